"""Input that used to be a 500 (issue 13) is a 422 problem and changes nothing."""

from __future__ import annotations

import pytest

from concord.negotiation.models import Bracket, ProvisionText
from concord.negotiation.tests import factories
from concord.negotiation.tests.test_validation import _snapshot

pytestmark = pytest.mark.django_db

HUGE = 2**63


@pytest.mark.parametrize("ids", [[HUGE], [1, HUGE], [2**70]])
def test_from_amendments_id_beyond_64_bits_is_422(api, actors, sco, ids) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], {"from_amendments": ids})
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"].startswith("from_amendments")
    assert _snapshot() == before


def test_path_id_beyond_64_bits_is_422(api, actors, sco) -> None:
    r = api.get(f"/documents/{HUGE}", actors["head-kaz"])
    assert r.status_code == 422, r.content


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\ufffe"])
def test_control_character_in_provision_text_is_422(api, actors, sco, char) -> None:
    doc = factories.document(actors, sco)
    before = _snapshot()
    body = {"provisions": [{"key": "a", "texts": {"en": f"Text{char}here."}}]}
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "provisions.0.texts.en"
    assert _snapshot() == before


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1f", "\x9f"])
def test_control_character_in_a_title_is_422(api, actors, sco, char) -> None:
    before = _snapshot()
    body = {
        "symbol": "SCO/CHS/2025/DEC.9",
        "kind": "declaration",
        "title": {"en": f"A title{char}"},
        "body": "chs",
        "sponsors": ["KAZ"],
        "languages": ["en"],
    }
    r = api.post(f"/orgs/{sco.slug}/documents", actors["head-kaz"], body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "title.en"
    assert _snapshot() == before


def test_tab_and_newlines_are_still_text(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    body = {"provisions": [{"key": "a", "texts": {"en": "One\tcell,\r\nnext line."}}]}
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == 201, r.content


def test_literal_brackets_in_provision_text_are_accepted_as_text(api, actors, sco) -> None:
    # Disputed spans are bracket data; "[" written by a delegate is text, and the renderers
    # escape it (concord/negotiation/publication/tests: it publishes in the three formats).
    doc = factories.document(actors, sco)
    brackets = Bracket.objects.count()
    body = {"provisions": [{"key": "a", "texts": {"en": "See annex [A] and ]."}}]}
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == 201, r.content
    assert Bracket.objects.count() == brackets  # no dispute is read into the text
    assert ProvisionText.objects.filter(text="See annex [A] and ].").exists()


def test_a_body_over_the_limit_is_413_and_changes_nothing(api, actors, sco, settings) -> None:
    settings.CONCORD_MAX_BODY_BYTES = 10_000
    doc = factories.document(actors, sco)
    before = _snapshot()
    body = {"provisions": [{"key": "a", "texts": {"en": "word " * 5_000}}]}
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == 413, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert _snapshot() == before


def test_a_provision_over_the_text_limit_is_422(api, actors, sco, settings) -> None:
    settings.CONCORD_MAX_TEXT_CHARS = 1_000
    doc = factories.document(actors, sco)
    before = _snapshot()
    body = {"provisions": [{"key": "a", "texts": {"en": "word " * 300}}]}
    r = api.post(f"/documents/{doc.pk}/versions", actors["head-kaz"], body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "provisions.0.texts.en"
    assert _snapshot() == before
