"""Server-rendered pages: they call the same services as the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.timezone import localdate as timezone_today

from concord.accounts.testing import login_verified
from concord.negotiation import services
from concord.negotiation.models import Amendment, Position
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db


def _client(actor=None) -> Client:
    client = Client()
    if actor is not None:
        login_verified(client, actor.user)
    return client


def test_document_page_shows_brackets_positions_and_why_not(actors, sco) -> None:
    doc = factories.document(actors, sco, bracket_first=True, supporters=("KAZ",))
    html = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="consensus-banner"' in html and 'data-reached="false"' in html
    assert "carries brackets" in html and "have not answered" in html
    assert '<mark class="bracket" data-held-by="IND"' in html
    assert 'id="position-KAZ"' in html and 'id="position-MNG"' in html
    assert 'id="position-form"' in html  # India's head may state its position
    assert 'id="amendment-form"' in html


def test_restricted_page_is_404_for_outsiders(actors, sco) -> None:
    doc = factories.document(actors, sco)
    assert _client().get(f"/documents/{doc.pk}/").status_code == 404
    assert _client(actors["participant"]).get(f"/documents/{doc.pk}/").status_code == 404
    assert _client(actors["head-mng"]).get(f"/documents/{doc.pk}/").status_code == 404
    listing = _client().get("/orgs/sco/documents/").content.decode()
    assert doc.symbol not in listing
    assert doc.symbol in _client(actors["head-ind"]).get("/orgs/sco/documents/").content.decode()


def test_position_form_changes_the_banner(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=tuple(m for m in MEMBERS if m != "IND"))
    client = _client(actors["head-ind"])
    before = client.get(f"/documents/{doc.pk}/").content.decode()
    assert 'data-reached="false"' in before
    r = client.post(
        f"/documents/{doc.pk}/position/", {"version": 1, "stand": "support"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    fragment = r.content.decode()
    assert "<html" not in fragment and 'data-reached="true"' in fragment
    assert Position.objects.filter(state__iso3="IND").count() == 1


def test_position_form_refuses_a_delegate_and_shows_why(actors, sco) -> None:
    doc = factories.document(actors, sco)
    r = _client(actors["delegate-kaz"]).post(
        f"/documents/{doc.pk}/position/", {"version": 1, "stand": "support"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 403
    assert "head of delegation" in r.content.decode()
    assert not Position.objects.exists()


def test_amendment_forms(actors, sco) -> None:
    doc = factories.document(actors, sco)
    r = _client(actors["head-ind"]).post(
        f"/documents/{doc.pk}/amendments/",
        {
            "version": 1,
            "op": "replace",
            "provision": "p2",
            "lang": "en",
            "text": "Better.",
            "reason": "Clarity",
        },
    )
    assert r.status_code == 302
    a = Amendment.objects.get()
    assert _client(actors["head-ind"]).post(f"/amendments/{a.pk}/accept/").status_code == 302
    a.refresh_from_db()
    assert a.status == "proposed"  # India is not the penholder
    _client(actors["head-kaz"]).post(f"/amendments/{a.pk}/accept/")
    a.refresh_from_db()
    assert a.status == "accepted"


def test_diff_page_side_by_side_per_language(actors, sco) -> None:
    doc = factories.document(actors, sco)
    kaz = actors["head-kaz"].user
    items = factories.provisions(3)
    items[1] = services.ProvisionIn(
        key="p2", kind="operative", texts={"en": "Paragraph 2: the Member States will act."}
    )
    services.version_create(actor=kaz, document_id=doc.pk, provisions=items)
    html = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/versions/2/diff/?against=1")
    text = html.content.decode()
    assert 'id="diff-en"' in text and 'id="diff-ru"' in text and 'id="diff-zh"' in text
    assert "<del>" in text and "<ins>" in text
    assert 'class="change-changed" id="diff-en-p2"' in text


def test_silence_countdown_and_readiness_and_adopted_pages(actors, sco, api) -> None:
    from datetime import UTC, datetime, timedelta

    sec = actors["secretariat"]
    meeting = api.post(
        "/orgs/sco/meetings", sec, {"body": "chs", "start": TODAY, "end": TODAY}
    ).json()["id"]
    doc = factories.document(actors, sco, supporters=MEMBERS)
    doc.meeting_id = meeting
    doc.save(update_fields=["meeting"])
    services.silence_open(
        actor=sec.user,
        document_id=doc.pk,
        version_number=1,
        deadline=datetime.now(UTC) + timedelta(days=4),
    )
    page = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="silence-countdown"' in page
    readiness = _client(sec).get(f"/meetings/{meeting}/readiness/").content.decode()
    assert f'id="readiness-{doc.pk}"' in readiness
    services.silence_break(
        actor=actors["head-ind"].user, document_id=doc.pk, version_number=1, reason="Wait."
    )
    services.adoption_record(
        actor=sec.user, document_id=doc.pk, version_number=1, meeting_id=meeting
    )
    adopted = _client().get(f"/documents/{doc.pk}/adopted/?lang=ru")
    assert adopted.status_code == 404  # restricted stays restricted
    adopted = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/adopted/?lang=ru")
    assert adopted.status_code == 200 and "Пункт 1." in adopted.content.decode()


def test_a_blocking_member_is_marked_in_the_positions_table(actors, sco) -> None:
    doc = factories.document(actors, sco)
    services.position_set(
        actor=actors["head-ind"].user,
        document_id=doc.pk,
        version_number=1,
        iso3="IND",
        stand="objection",
        provisions=["p2"],
    )
    html = _client(actors["head-ind"]).get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="position-IND" class="status-row-member blocking"' in html


def test_the_positions_table_names_each_states_status_in_the_page_language(client, sco):
    from concord.negotiation.demo import load_demo
    from concord.negotiation.models import Document
    from concord.reference.demo import load_demo_users

    load_demo_users()
    load_demo()
    draft = Document.objects.get(symbol="SCO/CHS/2026/DEMO.2")
    page = client.get(f"/ru/documents/{draft.pk}/").content.decode()
    row = page[page.index('id="position-KAZ"') :][:400]
    assert "<td>член</td>" in row
