"""Issue 9: a text map (a text per language: en, ru, zh) is one typed schema that states
every rule the server applies: at least one language, only en, ru and zh, no blank text. A
request the schema allows is taken; one it forbids is a 422 naming the field, nothing written."""

from __future__ import annotations

import re

import pytest

from concord.implementation.models import Activity, Indicator

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _schema(api, name: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return api.get("/openapi.json").json()["components"]["schemas"][name]


@pytest.mark.parametrize(
    "title",
    [{}, {"en": ""}, {"en": "   ", "ru": "\t"}, {"en": "Exchange", "ru": " "}, {"fr": "Échange"}],
)
def test_an_activity_title_without_text_or_in_another_language_is_422(
    api, actors, sco, title
) -> None:
    before = Activity.objects.count()
    body = {"kind": "project", "title": title}
    r = api.post("/orgs/sco/activities", actors["secretariat"], body)
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"].startswith("title")
    assert Activity.objects.count() == before


@pytest.mark.parametrize("name", ["  ", {"en": "\u3000"}, {}])
def test_an_indicator_name_without_text_is_422(api, actors, sco, name) -> None:
    before = Indicator.objects.count()
    body = {"name": name, "unit": "%", "scope": "state"}
    r = api.post("/orgs/sco/indicators", actors["secretariat"], body)
    assert r.status_code == 422, r.content
    assert r.json()["field"].startswith("name")
    assert Indicator.objects.count() == before


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("Exchange", True),
        (" Exchange ", True),
        ("交流", True),
        ("", False),
        (" \t\n", False),
        ("\u00a0\u2003", False),
        ("\u3000", False),
    ],
)
def test_the_schema_and_the_server_agree_on_a_blank_text(api, actors, sco, text, taken) -> None:
    title = _schema(api, "ActivityIn")["properties"]["title"]
    assert title["minProperties"] == 1 and title["additionalProperties"] is False
    assert sorted(title["properties"]) == ["en", "ru", "zh"]
    pattern = title["properties"]["en"]["pattern"]
    assert (re.search(pattern, text) is not None) == taken
    r = api.post(
        "/orgs/sco/activities", actors["secretariat"], {"kind": "project", "title": {"en": text}}
    )
    assert r.status_code == (201 if taken else 422), r.content
