"""Bad input gets a 4xx problem+json and leaves the database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.timezone import localdate as timezone_today

from concord.audit.models import Event
from concord.negotiation.models import (
    Amendment,
    Bracket,
    Document,
    Position,
    ProvisionText,
    SilenceProcedure,
    Version,
)
from concord.negotiation.tests import factories
from concord.organization.models import Meeting

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Document,
            Version,
            ProvisionText,
            Bracket,
            Amendment,
            Position,
            SilenceProcedure,
            Event,
        )
    ) + tuple(Document.objects.values_list("revision", flat=True).order_by("id"))


GOOD_TEXT = {"en": "Text."}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"provisions": []}, 422),
        ({"provisions": [{"key": "", "texts": GOOD_TEXT}]}, 422),
        ({"provisions": [{"key": "a", "texts": {}}]}, 422),
        ({"provisions": [{"key": "a", "texts": {"en": "   "}}]}, 422),
        ({"provisions": [{"key": "a", "texts": {"fr": "Texte."}}]}, 422),
        ({"provisions": [{"key": "a", "kind": "chapter", "texts": GOOD_TEXT}]}, 422),
        ({"provisions": [{"key": "a", "texts": GOOD_TEXT}, {"key": "a", "texts": GOOD_TEXT}]}, 422),
        ({"provisions": [{"key": "b", "parent": "zz", "texts": GOOD_TEXT}]}, 422),
        (
            {
                "provisions": [
                    {
                        "key": "a",
                        "texts": GOOD_TEXT,
                        "brackets": [{"span": [0, 99], "held_by": ["IND"]}],
                    }
                ]
            },
            422,
        ),
        (
            {
                "provisions": [
                    {"key": "a", "texts": GOOD_TEXT, "brackets": [{"span": [0, 2], "held_by": []}]}
                ]
            },
            422,
        ),
        (
            {
                "provisions": [
                    {
                        "key": "a",
                        "texts": {"en": "abcdefgh"},
                        "brackets": [
                            {"span": [0, 4], "held_by": ["IND"]},
                            {"span": [2, 6], "held_by": ["CHN"]},
                        ],
                    }
                ]
            },
            422,
        ),
        (
            {
                "provisions": [
                    {
                        "key": "a",
                        "texts": GOOD_TEXT,
                        "brackets": [{"span": [0, 2], "held_by": ["ZZZ"]}],
                    }
                ]
            },
            404,  # an unknown state code is 404, as in a path
        ),
        ({"provisions": [{"key": "a", "texts": GOOD_TEXT}], "from_amendments": [1]}, 422),
        ({}, 422),
        ({"provisions": None, "from_amendments": None}, 422),
        ({"from_amendments": []}, 422),
        ([None, None], 422),  # not an object: once read as {}
        ({"from_amendments": [999999]}, 404),  # no such amendment: what the database lacks
        ({"provisions": "nope"}, 422),
        ({"provisions": [{"key": "a", "texts": GOOD_TEXT}], "revision": 999}, 409),
    ],
)
def test_bad_version_input(api, actors, sco, body, status) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"stand": "maybe"}, 422),
        ({"stand": "reservation", "text": ""}, 422),
        ({"stand": "objection"}, 422),
        ({"stand": "objection", "provisions": ["nope"]}, 422),
        ({"stand": "support", "provisions": ["p1"]}, 422),
        ({"stand": "support", "revision": 1}, 409),
        ({}, 422),
    ],
)
def test_bad_position_input(api, actors, sco, body, status) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    r = api.put(f"/documents/{doc.pk}/versions/1/positions/KAZ", actors["head-kaz"], body)
    assert r.status_code == status, r.content
    assert _snapshot() == before


def test_position_on_a_missing_version_is_404(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    r = api.put(
        f"/documents/{doc.pk}/versions/7/positions/KAZ", actors["head-kaz"], {"stand": "support"}
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (
            {"version": 1, "provision": "p9", "op": "replace", "texts": GOOD_TEXT, "reason": "r"},
            422,
        ),
        ({"version": 1, "provision": "p1", "op": "insert", "texts": GOOD_TEXT, "reason": "r"}, 422),
        ({"version": 1, "provision": "p1", "op": "merge", "texts": GOOD_TEXT, "reason": "r"}, 422),
        ({"version": 1, "provision": "p1", "op": "replace", "texts": GOOD_TEXT, "reason": ""}, 422),
        ({"version": 1, "provision": "p1", "op": "replace", "reason": "r"}, 422),
        ({"version": 1, "provision": "p1", "op": "delete", "texts": GOOD_TEXT, "reason": "r"}, 422),
        ({"version": 2, "provision": "p1", "op": "delete", "reason": "r"}, 404),
        ({"version": "one", "provision": "p1", "op": "delete", "reason": "r"}, 422),
    ],
)
def test_bad_amendment_input(api, actors, sco, body, status) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    r = api.post(f"/documents/{doc.pk}/amendments", actors["head-ind"], body)
    assert r.status_code == status, r.content
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("deadline", "status"),
    [
        ("2020-01-01T00:00:00+00:00", 422),  # in the past
        ((datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None).isoformat(), 422),
        ("tomorrow", 422),
    ],
)
def test_bad_silence_deadline(api, actors, sco, deadline, status) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/open-silence",
        actors["secretariat"],
        {"deadline": deadline},
    )
    assert r.status_code == status, r.content
    assert _snapshot() == before


def test_silence_on_a_bracketed_version_is_refused(api, actors, sco) -> None:
    doc = factories.document(actors, sco, bracket_first=True)
    before = _snapshot()
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/open-silence",
        actors["secretariat"],
        {"deadline": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
    )
    assert r.status_code == 409
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"symbol": "not a symbol"}, 422),
        ({"symbol": "SCO/CHS/2025/DEC.1/Rev.1"}, 422),  # revisions are versions
        ({"symbol": "SCO/CHS/2025/DEC.7/Add.1"}, 404),  # adds to nothing
        ({"kind": "poem"}, 422),
        ({"classification": "secret"}, 422),
        ({"languages": ["fr"]}, 422),
        ({"title": {}}, 422),
        # An unknown slug, id or state code named in the body is 404, as in a path.
        ({"body": "nope"}, 404),
        ({"meeting": 999999}, 404),
        ({"sponsors": ["ZZZ"]}, 404),
        ({"symbol": "SCO/CHS/2025/DEC.1"}, 409),  # exists
    ],
)
def test_bad_document_input(api, actors, sco, body, status) -> None:
    factories.document(actors, sco)
    before = _snapshot()
    good = {
        "symbol": "SCO/CHS/2025/DEC.2",
        "kind": "decision",
        "title": {"en": "Decision"},
        "body": "chs",
        "languages": ["en", "ru", "zh"],
    }
    r = api.post("/orgs/sco/documents", actors["head-kaz"], {**good, **body})
    assert r.status_code == status, r.content
    assert _snapshot() == before


def test_addendum_and_corrigendum_symbols(api, actors, sco) -> None:
    factories.document(actors, sco)
    body = {
        "kind": "decision",
        "title": {"en": "Addendum"},
        "body": "chs",
        "languages": ["en"],
    }
    add = api.post(
        "/orgs/sco/documents", actors["head-kaz"], {**body, "symbol": "SCO/CHS/2025/DEC.1/Add.1"}
    )
    assert add.status_code == 201, add.content
    corr = api.post(
        "/orgs/sco/documents",
        actors["head-kaz"],
        {**body, "symbol": "SCO/CHS/2025/DEC.1/Add.1/Corr.1"},
    )
    assert corr.status_code == 201, corr.content
    assert Document.objects.get(symbol="SCO/CHS/2025/DEC.1/Add.1/Corr.1").parent.symbol == (
        "SCO/CHS/2025/DEC.1/Add.1"
    )


def test_bad_meeting_input(api, actors, sco) -> None:
    before = _snapshot()
    sec = actors["secretariat"]
    assert (
        api.post(
            "/orgs/sco/meetings", sec, {"body": "chs", "start": "2026-01-02", "end": "2026-01-01"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            "/orgs/sco/meetings", sec, {"body": "xyz", "start": "2026-01-01", "end": "2026-01-01"}
        ).status_code
        == 404
    )
    assert (
        api.post(
            "/orgs/sco/meetings", sec, {"body": "chs", "start": "soon", "end": "2026-01-01"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            "/orgs/nope/meetings", sec, {"body": "chs", "start": "2026-01-01", "end": "2026-01-01"}
        ).status_code
        == 404
    )
    assert _snapshot() == before


@pytest.mark.parametrize("field", ["city", "title"])
def test_meeting_text_over_the_model_limit_is_422_naming_the_field(api, actors, sco, field) -> None:
    # Found by schemathesis: full_clean()'s ValidationError escaped the service as a 500.
    before = _snapshot()
    body = {"body": "chs", "start": TODAY, "end": TODAY, field: "x" * 10_000}
    response = api.post("/orgs/sco/meetings", actors["secretariat"], body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert _snapshot() == before


def test_bad_query_parameters(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    kaz = actors["head-kaz"]
    assert api.get(f"/documents/{doc.pk}/versions/1/consensus?on=yesterday", kaz).status_code == 422
    # No text in that language: 404, as for any missing object.
    assert api.get(f"/documents/{doc.pk}/versions/1/diff?against=1&lang=fr", kaz).status_code == 404
    assert api.get(f"/documents/{doc.pk}/versions/1/diff?against=9", kaz).status_code == 404
    assert api.get(f"/documents/{doc.pk}/adopted.html?lang=en", kaz).status_code == 404
    assert api.get("/documents/999999", kaz).status_code == 404
    assert api.get("/meetings/999999/readiness", kaz).status_code == 404


def test_a_body_that_fails_its_schema_names_the_fields_as_the_client_wrote_them(
    api, actors, sco
) -> None:
    # Not "payload.start" (the handler's parameter), and a field may be called "body".
    response = api.post("/orgs/sco/meetings", actors["secretariat"], {"start": "soon"})
    assert response.status_code == 422
    problem = response.json()
    assert {e["field"] for e in problem["errors"]} == {"body", "start", "end"}
    response = api.get(
        f"/documents/{factories.document(actors, sco).pk}/versions/x", actors["secretariat"]
    )
    assert response.status_code == 422 and response.json()["field"] == "number"


def test_a_meeting_created_through_the_api_is_entered_not_verified(api, actors, sco) -> None:
    # Meetings are entered from today on (past ones come with the reference data).
    start = (timezone.localdate() + timedelta(days=30)).isoformat()
    body = {"body": "chs", "start": start, "end": start, "city": "Bishkek"}
    response = api.post("/orgs/sco/meetings", actors["secretariat"], body)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(organization=sco, start=start)
    assert meeting.verification == "entered"
    listed = [m for m in api.get("/orgs/sco/meetings", None).json() if m["start"] == start]
    assert listed[0]["verification"] == "entered"
    # The researched summits keep theirs.
    assert Meeting.objects.get(organization=sco, start="2024-07-04").verification == "verified"


def test_bad_agenda_input(api, actors, sco) -> None:
    from concord.negotiation import services

    sec = actors["secretariat"]
    doc = factories.document(actors, sco)  # adopted by the CHS
    today = timezone_today()
    meeting = services.meeting_create(
        actor=sec.user, org_slug=sco.slug, body="chg", start=today, end=today
    )
    path = f"/meetings/{meeting.pk}/agenda"
    before = (_snapshot(), list(Document.objects.values_list("meeting", flat=True)))
    for raw, status in (
        # Not an object: ninja once read these as {} and set an empty agenda.
        ("[null, null]", 422),
        ("[]", 422),
        ("null", 422),
        ('{"documents": [null]}', 422),
        ('{"documents": [999999]}', 404),  # no such document: what the database lacks
        (f'{{"documents": [{doc.pk}]}}', 409),  # another body's document: the database's
    ):
        r = api.client.put(f"/api/v1{path}", raw, content_type="application/json", **sec.auth)
        assert r.status_code == status, (raw, r.content)
        assert r["Content-Type"] == "application/problem+json"
        assert (_snapshot(), list(Document.objects.values_list("meeting", flat=True))) == before
