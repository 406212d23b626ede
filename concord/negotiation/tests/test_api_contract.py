"""Issue 9: the API refuses no request its OpenAPI schema allows for a reason the schema
hides. An unknown slug or code named in a body is 404 like an unknown id in a path; the rules
on a text map and a symbol are stated in the schema, in the server's own terms."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from concord.negotiation import symbols
from concord.negotiation.tests.test_validation import _snapshot
from concord.organization.models import Meeting

pytestmark = pytest.mark.django_db


def _schema(api, name: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return api.get("/openapi.json").json()["components"]["schemas"][name]


def _document(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "symbol": "SCO/CHS/2025/DEC.7",
        "kind": "declaration",
        "title": {"en": "A declaration"},
        "body": "chs",
        "sponsors": ["KAZ"],
        "languages": ["en"],
    }
    return {**body, **overrides}


@pytest.mark.parametrize("field", ["body", "host"])
def test_a_meeting_of_an_unknown_body_or_host_is_404_and_changes_nothing(
    api, actors, sco, field
) -> None:
    today = timezone.localdate().isoformat()
    body = {"body": "chs", "start": today, "end": today, "host": "KAZ", field: "nope"}
    before = Meeting.objects.count()
    r = api.post("/orgs/sco/meetings", actors["secretariat"], body)
    assert r.status_code == 404, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"] == field
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"body": "nope"}, "body"),
        ({"meeting": 10**9}, "meeting"),
        ({"sponsors": ["ZZZ"]}, "sponsors"),
    ],
)
def test_a_document_naming_an_unknown_body_meeting_or_state_is_404_and_changes_nothing(
    api, actors, sco, overrides, field
) -> None:
    before = _snapshot()
    r = api.post("/orgs/sco/documents", actors["head-kaz"], _document(**overrides))
    assert r.status_code == 404, r.content
    assert r.json()["field"] == field
    assert _snapshot() == before


def test_an_addendum_to_a_missing_document_is_404(api, actors, sco) -> None:
    r = api.post(
        "/orgs/sco/documents", actors["head-kaz"], _document(symbol="SCO/CHS/2025/DEC.7/Add.1")
    )
    assert r.status_code == 404, r.content
    assert r.json()["field"] == "symbol"


SYMBOLS = [
    ("SCO/CHS/2024/DEC.1", True),
    ("SCO/CHS/2024/DEC.1/Add.1", True),
    ("SCO/CHS/2024/DEC.1/Add.1/Corr.2", True),
    ("SCO/CHS/2024/DEC.1/Rev.1", False),
    ("SCO/CHS/2024/DEC.1/Rev.1/Add.1", False),
    ("SCO/CHS/2024/DEC.1/Add.1/Add.2/Add.3", False),
    ("sco/chs/1", False),
    ("SCO", False),
    (" SCO/CHS/1", False),
]


@pytest.mark.parametrize(("symbol", "valid"), SYMBOLS)
def test_the_schema_states_the_symbol_pattern_the_server_enforces(
    api, actors, sco, symbol, valid
) -> None:
    pattern = _schema(api, "DocumentIn")["properties"]["symbol"]["pattern"]
    assert pattern == f"^{symbols.pattern()}$"
    assert (re.search(pattern, symbol) is not None) == valid == symbols.is_valid(symbol)
    if not valid:
        before = _snapshot()
        r = api.post("/orgs/sco/documents", actors["head-kaz"], _document(symbol=symbol))
        assert r.status_code == 422, r.content
        assert r.json()["field"] == "symbol"
        assert _snapshot() == before


@pytest.mark.parametrize(
    "title", [{}, {"en": ""}, {"en": "  \n"}, {"en": "A title", "ru": "\u3000"}, {"e n": "X"}]
)
def test_a_document_title_with_no_text_or_a_blank_one_is_422_and_changes_nothing(
    api, actors, sco, title
) -> None:
    before = _snapshot()
    r = api.post("/orgs/sco/documents", actors["head-kaz"], _document(title=title))
    assert r.status_code == 422, r.content
    assert r.json()["field"].startswith("title")
    assert _snapshot() == before


def test_a_provision_text_map_is_the_typed_schema(api) -> None:
    texts = _schema(api, "ProvisionIn")["properties"]["texts"]
    assert texts["minProperties"] == 1
    assert texts["additionalProperties"]["pattern"]
