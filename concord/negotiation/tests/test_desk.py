"""The negotiation desk's page forms (issue 11): each act succeeds with a flash message
after a redirect, shows a refusal beside the field it names (in the page's language), and
leaves the database unchanged when refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concord.accounts.testing import login_verified
from concord.audit.models import Event
from concord.negotiation import services
from concord.negotiation.models import (
    Adoption,
    Amendment,
    Bracket,
    Document,
    ProvisionText,
    SilenceProcedure,
    Sponsorship,
    Version,
)
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS
from concord.organization.models import Meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _client(actor=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if actor is not None:
        login_verified(client, actor.user)
    return client


def _flash(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def _counts() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        Document.objects.count(),
        Version.objects.count(),
        ProvisionText.objects.count(),
        Bracket.objects.count(),
        Amendment.objects.count(),
        Sponsorship.objects.count(),
        SilenceProcedure.objects.count(),
        Adoption.objects.count(),
        Event.objects.count(),
    )


def _refused_beside(html: str, field: str, words: str) -> None:
    start = html.index(f'id="field-{field}"')
    block = html[start : html.index("</div>", start)]
    assert 'class="field-error"' in block and words in block, block


# --- meetings ------------------------------------------------------------------------------


def test_secretariat_schedules_a_meeting_with_its_agenda(actors, sco) -> None:
    doc = factories.document(actors, sco)
    client = _client(actors["secretariat"])
    assert client.get("/orgs/sco/meetings/new/").status_code == 200
    r = client.post(
        "/orgs/sco/meetings/new/",
        {
            "body": "chs",
            "start": TODAY.isoformat(),
            "end": TODAY.isoformat(),
            "title": "Desk summit",
            "city": "Astana",
            "agenda": [str(doc.pk)],
        },
    )
    meeting = Meeting.objects.get(title="Desk summit")
    assert r.status_code == 302 and r["Location"] == f"/meetings/{meeting.pk}/readiness/"
    page = _flash(client, r["Location"])
    assert "The meeting is scheduled." in page and doc.symbol in page
    assert "The meeting is scheduled." not in _flash(client, r["Location"])  # once
    doc.refresh_from_db()
    assert doc.meeting_id == meeting.pk


def test_meeting_in_the_past_is_refused_beside_the_date_in_russian(actors, sco) -> None:
    before = _counts()
    r = _client(actors["secretariat"]).post(
        "/ru/orgs/sco/meetings/new/",
        {
            "body": "chs",
            "start": (TODAY - timedelta(days=40)).isoformat(),
            "end": TODAY.isoformat(),
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="error-start"' in html and "past meetings" not in html  # Russian, not English
    _refused_beside(html, "start", "")
    assert _counts() == before


def test_failed_agenda_leaves_the_new_meeting_unmade(actors, sco) -> None:
    doc = factories.document(actors, sco)
    services.document_withdraw(actor=actors["secretariat"].user, document_id=doc.pk, reason="x")
    before = _counts()
    r = _client(actors["secretariat"]).post(
        "/orgs/sco/meetings/new/",
        {"body": "chs", "start": TODAY.isoformat(), "end": TODAY.isoformat(), "agenda": [doc.pk]},
    )
    # A withdrawn document is not even offered: the choice is refused beside the field.
    assert r.status_code == 422 and 'id="error-agenda"' in r.content.decode()
    assert _counts() == before


def test_a_head_may_not_schedule(actors, sco) -> None:
    r = _client(actors["head-kaz"]).get("/orgs/sco/meetings/new/")
    assert r.status_code == 403
    r = _client().get("/orgs/sco/meetings/new/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_agenda_page_sets_and_clears(actors, sco) -> None:
    doc = factories.document(actors, sco)
    sec = actors["secretariat"].user
    meeting = services.meeting_create(
        actor=sec, org_slug=sco.slug, body="chs", start=TODAY, end=TODAY
    )
    client = _client(actors["secretariat"])
    r = client.post(f"/meetings/{meeting.pk}/agenda/", {"agenda": [doc.pk]})
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.meeting_id == meeting.pk
    r = client.post(f"/meetings/{meeting.pk}/agenda/", {})
    doc.refresh_from_db()
    assert doc.meeting_id is None


# --- documents -----------------------------------------------------------------------------


def _document_post(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "symbol": "SCO/CHS/2026/DESK.1",
        "kind": "declaration",
        "body": "chs",
        "languages": ["en", "ru", "zh"],
        "title_en": "Desk declaration",
        "title_ru": "Декларация",
        "classification": "restricted",
        "sponsors": "KAZ",
    }
    data.update(extra)
    return data


def test_member_delegation_creates_a_document(actors, sco) -> None:
    client = _client(actors["head-kaz"])
    assert client.get("/orgs/sco/documents/new/").status_code == 200
    r = client.post("/orgs/sco/documents/new/", _document_post())
    doc = Document.objects.get(symbol="SCO/CHS/2026/DESK.1")
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/"
    assert doc.penholder.iso3 == "KAZ" and doc.titles["ru"] == "Декларация"
    assert "The document is created." in _flash(client, r["Location"])


def test_document_refusals_beside_their_fields(actors, sco) -> None:
    client = _client(actors["head-kaz"])
    before = _counts()
    r = client.post("/orgs/sco/documents/new/", _document_post(symbol="not a symbol"))
    assert r.status_code == 422
    _refused_beside(r.content.decode(), "symbol", "symbol pattern")
    r = client.post("/orgs/sco/documents/new/", _document_post(sponsors="KAZ, IND"))
    _refused_beside(r.content.decode(), "sponsors", "IND")
    assert _counts() == before


# --- versions ------------------------------------------------------------------------------


def _doc_without_version(actors, sco) -> Document:  # type: ignore[no-untyped-def]
    return services.document_submit(
        actor=actors["head-kaz"].user,
        org_slug=sco.slug,
        symbol="SCO/CHS/2026/DESK.2",
        kind="declaration",
        titles={"en": "Editor test"},
        body="chs",
        languages=["en", "ru"],
    )


def test_penholder_issues_a_version_with_a_bracket(actors, sco) -> None:
    doc = _doc_without_version(actors, sco)
    client = _client(actors["head-kaz"])
    page = client.get(f"/documents/{doc.pk}/versions/new/").content.decode()
    assert 'name="p0_text_en"' in page and 'name="p0_text_ru"' in page
    r = client.post(
        f"/documents/{doc.pk}/versions/new/",
        {
            "rows": 3,
            "p0_key": "p1",
            "p0_kind": "operative",
            "p0_text_en": "We agree to cooperate.",
            "p0_text_ru": "Мы договорились сотрудничать.",
            "p0_brackets_en": "3-8 IND",
            "p1_kind": "operative",
            "p2_kind": "operative",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    bracket = Bracket.objects.get()
    assert (bracket.start, bracket.end, bracket.held_by) == (3, 8, ["IND"])
    assert "Version 1 is issued." in _flash(client, f"/documents/{doc.pk}/")
    # The editor opens again on version 1, its bracket in the field.
    again = client.get(f"/documents/{doc.pk}/versions/new/").content.decode()
    assert "3-8 IND" in again


def test_bad_bracket_is_refused_beside_its_field(actors, sco) -> None:
    doc = _doc_without_version(actors, sco)
    before = _counts()
    r = _client(actors["head-kaz"]).post(
        f"/documents/{doc.pk}/versions/new/",
        {
            "rows": 1,
            "p0_key": "p1",
            "p0_kind": "operative",
            "p0_text_en": "Short.",
            "p0_brackets_en": "2-99 IND",
        },
    )
    assert r.status_code == 422
    _refused_beside(r.content.decode(), "p0_brackets_en", "")
    r = _client(actors["head-kaz"]).post(
        f"/documents/{doc.pk}/versions/new/",
        {"rows": 1, "p0_key": "p1", "p0_kind": "operative", "p0_brackets_en": "nonsense"},
    )
    _refused_beside(r.content.decode(), "p0_brackets_en", "start-end")
    assert _counts() == before


def test_only_the_penholder_edits(actors, sco) -> None:
    doc = factories.document(actors, sco)
    assert _client(actors["head-ind"]).get(f"/documents/{doc.pk}/versions/new/").status_code == 403
    html = _client(actors["head-kaz"]).get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="desk-version"' in html
    html = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="desk-version"' not in html


def _accepted(actors, sco):  # type: ignore[no-untyped-def]
    doc = factories.document(actors, sco)
    amendment = services.amendment_propose(
        actor=actors["head-ind"].user,
        document_id=doc.pk,
        version_number=1,
        provision="p2",
        op="replace",
        texts={"en": "The Member States agree to cooperate closely."},
        reason="Clearer",
    )
    return doc, amendment


def test_accepting_says_what_changes_and_what_comes_next(actors, sco) -> None:
    _doc, amendment = _accepted(actors, sco)
    client = _client(actors["head-kaz"])
    r = client.post(f"/amendments/{amendment.pk}/accept/")
    page = _flash(client, r["Location"])
    assert "replaces the text of provision p2" in page
    assert "issues a version from the accepted amendments" in page
    assert 'id="desk-from-amendments"' in page


def test_version_from_accepted_amendments(actors, sco) -> None:
    doc, amendment = _accepted(actors, sco)
    services.amendment_accept(actor=actors["head-kaz"].user, amendment_id=amendment.pk)
    client = _client(actors["head-kaz"])
    assert (
        f"No. {amendment.pk}"
        in client.get(f"/documents/{doc.pk}/versions/from-amendments/").content.decode()
    )
    r = client.post(
        f"/documents/{doc.pk}/versions/from-amendments/", {"amendments": [amendment.pk]}
    )
    assert r.status_code == 302
    assert Version.objects.filter(document=doc).count() == 2
    amendment.refresh_from_db()
    assert amendment.applied_in.number == 2


def test_version_from_unknown_amendment_is_refused(actors, sco) -> None:
    doc, amendment = _accepted(actors, sco)
    services.amendment_accept(actor=actors["head-kaz"].user, amendment_id=amendment.pk)
    before = _counts()
    r = _client(actors["head-kaz"]).post(
        f"/documents/{doc.pk}/versions/from-amendments/", {"amendments": [amendment.pk + 99]}
    )
    assert r.status_code == 422 and 'id="error-amendments"' in r.content.decode()
    assert _counts() == before


# --- translations, sponsors, silence, withdrawal ---------------------------------------------


def test_translator_verifies_a_stale_text(actors, sco) -> None:
    doc, amendment = _accepted(actors, sco)
    kaz = actors["head-kaz"].user
    services.amendment_accept(actor=kaz, amendment_id=amendment.pk)
    services.version_create(actor=kaz, document_id=doc.pk, from_amendments=[amendment.pk])
    client = _client(actors["secretariat"])
    html = client.get(f"/documents/{doc.pk}/translations/").content.decode()
    assert 'id="text-p2-ru"' in html and "Verify" in html
    r = client.post(f"/documents/{doc.pk}/translations/", {"version": 2, "key": "p2", "lang": "ru"})
    assert r.status_code == 302
    assert not ProvisionText.objects.get(
        provision__version__number=2, provision__key="p2", language="ru"
    ).stale
    assert "is verified" in _flash(client, r["Location"])
    before = _counts()
    r = client.post(f"/documents/{doc.pk}/translations/", {"version": 1, "key": "p2", "lang": "ru"})
    assert r.status_code == 422 and "form-error" in r.content.decode()
    assert _counts() == before


def test_heads_join_and_leave_the_sponsors(actors, sco) -> None:
    doc = factories.document(actors, sco)
    client = _client(actors["head-ind"])
    r = client.post(f"/documents/{doc.pk}/sponsors/", {"state": "IND", "action": "join"})
    assert r.status_code == 302
    assert "IND now sponsors" in _flash(client, r["Location"])
    before = _counts()
    r = client.post(f"/documents/{doc.pk}/sponsors/", {"state": "PAK", "action": "join"})
    assert r.status_code == 422 and 'class="form-error"' in r.content.decode()
    assert _counts() == before
    r = client.post(f"/documents/{doc.pk}/sponsors/", {"state": "IND", "action": "leave"})
    assert r.status_code == 302 and Sponsorship.objects.get(state__iso3="IND").left_at


def test_silence_opens_is_followed_and_broken(actors, sco) -> None:
    doc = factories.document(actors, sco)
    sec = _client(actors["secretariat"])
    before = _counts()
    short = (timezone.now() + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    r = sec.post(
        f"/documents/{doc.pk}/silence/open/", {"version": 1, "deadline": short, "zone": "UTC"}
    )
    assert r.status_code == 422
    _refused_beside(r.content.decode(), "deadline", "")
    assert _counts() == before
    later = (timezone.now() + timedelta(hours=100)).strftime("%Y-%m-%dT%H:%M")
    r = sec.post(
        f"/documents/{doc.pk}/silence/open/",
        {"version": 1, "deadline": later, "zone": "Asia/Shanghai"},
    )
    assert r.status_code == 302
    head = _client(actors["head-ind"])
    page = head.get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="silence-countdown"' in page and 'id="desk-silence-break"' in page
    r = head.post(f"/documents/{doc.pk}/silence/break/", {"version": 1, "reason": "Not yet"})
    assert r.status_code == 302
    assert "silence is broken" in _flash(head, r["Location"])
    assert SilenceProcedure.objects.get().outcome == "broken"


def test_withdrawal_needs_a_reason_and_the_right_person(actors, sco) -> None:
    doc = factories.document(actors, sco)
    assert _client(actors["head-ind"]).get(f"/documents/{doc.pk}/withdraw/").status_code == 403
    client = _client(actors["head-kaz"])
    before = _counts()
    r = client.post(f"/documents/{doc.pk}/withdraw/", {"reason": "   "})
    assert r.status_code == 422 and 'id="error-reason"' in r.content.decode()
    assert _counts() == before
    r = client.post(f"/documents/{doc.pk}/withdraw/", {"reason": "Overtaken by events"})
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.stage == "withdrawn"


# --- adoption ------------------------------------------------------------------------------


def test_adopt_shows_what_blocks_and_refuses_without_change(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=("KAZ",))
    sec = actors["secretariat"]
    meeting = services.meeting_create(
        actor=sec.user, org_slug=sco.slug, body="chs", start=TODAY, end=TODAY
    )
    client = _client(sec)
    html = client.get(f"/documents/{doc.pk}/adopt/").content.decode()
    assert 'id="adopt-verdict"' in html and 'id="pending"' in html and "IND" in html
    before = _counts()
    r = client.post(f"/documents/{doc.pk}/adopt/", {"version": 1, "meeting": meeting.pk})
    assert r.status_code == 422
    _refused_beside(
        r.content.decode(), "version", ""
    ) if 'id="field-version"' in r.content.decode() else None
    assert "No consensus" in r.content.decode()
    assert _counts() == before


def test_adopt_when_everyone_agrees(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=MEMBERS)
    sec = actors["secretariat"]
    meeting = services.meeting_create(
        actor=sec.user, org_slug=sco.slug, body="chs", start=TODAY, end=TODAY
    )
    client = _client(sec)
    html = client.get(f"/documents/{doc.pk}/adopt/").content.decode()
    assert 'data-reached="true"' in html
    r = client.post(f"/documents/{doc.pk}/adopt/", {"version": 1, "meeting": meeting.pk})
    assert r.status_code == 302 and r["Location"] == f"/documents/{doc.pk}/adopted/"
    assert "The document is adopted." in _flash(client, r["Location"])
    assert Adoption.objects.filter(document=doc, meeting=meeting).exists()


def test_document_page_queries_do_not_grow_with_the_desk(actors, sco) -> None:
    """The desk's buttons add no per-row queries: the page at 1 and 6 amendments."""
    counts = []
    for n, symbol in ((1, "SCO/CHS/2026/Q.1"), (6, "SCO/CHS/2026/Q.2")):
        doc = factories.document(actors, sco, symbol=symbol)
        for i in range(n):
            a = services.amendment_propose(
                actor=actors["head-ind"].user,
                document_id=doc.pk,
                version_number=1,
                provision="p2",
                op="replace",
                texts={"en": f"Text {i}."},
                reason="r",
            )
            services.amendment_accept(actor=actors["head-kaz"].user, amendment_id=a.pk)
        client = _client(actors["head-kaz"])
        client.get(f"/documents/{doc.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/documents/{doc.pk}/versions/from-amendments/").status_code == 200
            assert client.get(f"/documents/{doc.pk}/translations/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_desk_choice_pages_run_the_same_queries_at_two_sizes(actors, sco) -> None:
    sec = actors["secretariat"]
    meeting = services.meeting_create(
        actor=sec.user, org_slug=sco.slug, body="chs", start=TODAY, end=TODAY
    )
    client = _client(sec)
    counts = []
    for n in (1, 6):
        for i in range(n):
            factories.document(actors, sco, symbol=f"SCO/CHS/2026/S{n}.{i + 1}", n=1)
        client.get("/orgs/sco/documents/new/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/orgs/sco/documents/new/").status_code == 200
            assert client.get("/orgs/sco/meetings/new/").status_code == 200
            assert client.get(f"/meetings/{meeting.pk}/agenda/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_agenda_api_uses_the_same_service(actors, sco) -> None:
    import json

    doc = factories.document(actors, sco)
    sec = actors["secretariat"]
    meeting = services.meeting_create(
        actor=sec.user, org_slug=sco.slug, body="chs", start=TODAY, end=TODAY
    )
    body = json.dumps({"documents": [doc.pk]})
    r = Client().put(
        f"/api/v1/meetings/{meeting.pk}/agenda",
        body,
        content_type="application/json",
        **actors["head-kaz"].auth,
    )
    assert r.status_code == 403
    r = Client().put(
        f"/api/v1/meetings/{meeting.pk}/agenda", body, content_type="application/json", **sec.auth
    )
    assert r.status_code == 200 and r.json() == {"meeting": meeting.pk, "documents": [doc.pk]}
    doc.refresh_from_db()
    assert doc.meeting_id == meeting.pk


def test_amendment_refusal_beside_its_field(actors, sco) -> None:
    doc = factories.document(actors, sco)
    client = _client(actors["head-ind"])
    assert client.get(f"/documents/{doc.pk}/amendments/").status_code == 200
    before = _counts()
    post = {"version": 1, "op": "replace", "provision": "p9", "lang": "en", "kind": "operative"}
    r = client.post(f"/documents/{doc.pk}/amendments/", {**post, "text": "x", "reason": "Why"})
    assert r.status_code == 422
    _refused_beside(r.content.decode(), "provision", "p9")
    r = client.post(f"/documents/{doc.pk}/amendments/", {**post, "provision": "p2", "text": "x"})
    assert 'id="error-reason"' in r.content.decode()
    assert _counts() == before
    r = client.post(
        f"/documents/{doc.pk}/amendments/",
        {**post, "provision": "p2", "text": "Better.", "reason": "Clarity"},
    )
    assert r.status_code == 302 and Amendment.objects.count() == 1
    assert "Your amendment is proposed." in _flash(client, r["Location"])
    assert (
        _client(actors["head-kaz"]).post(f"/amendments/{Amendment.objects.get().pk}/x/").status_code
        == 404
    )


def test_the_amendment_form_is_refused_to_whoever_may_not_propose(actors, sco) -> None:
    """As the API (403 for the secretariat): only a member state's delegation is offered the
    form, and a submission by anyone else is a 403 that changes nothing."""
    doc = factories.document(actors, sco)
    url = f"/documents/{doc.pk}/amendments/"
    sec = _client(actors["secretariat"])
    assert sec.get(url).status_code == 403
    before = _counts()
    post = {"version": 1, "op": "replace", "provision": "p2", "lang": "en", "kind": "operative"}
    r = sec.post(url, {**post, "text": "Better.", "reason": "Clarity"})
    assert r.status_code == 403 and _counts() == before
    assert Amendment.objects.count() == 0
    assert _client(actors["head-ind"]).get(url).status_code == 200


def test_parallel_bracket_shows_in_the_other_languages(actors, sco) -> None:
    doc = factories.document(actors, sco, bracket_first=True)  # p1 bracketed in English
    client = _client(actors["head-ind"])
    ru = client.get(f"/ru/documents/{doc.pk}/").content.decode()
    start = ru.index('id="provision-p1"')
    assert "parallel-bracket" in ru[start : ru.index("</li>", start)] and "IND" in ru
    en = client.get(f"/documents/{doc.pk}/").content.decode()
    start = en.index('id="provision-p1"')
    assert "parallel-bracket" not in en[start : en.index("</li>", start)]
