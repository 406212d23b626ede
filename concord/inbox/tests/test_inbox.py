"""What waits for a user, and the notifications drawn from the audit log: who hears of
what, once, by e-mail at once or in a daily digest, as each user chose."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from concord.accounts.testing import enrol_known_totp, login_verified, totp_code
from concord.inbox import selectors, services
from concord.inbox.models import Channel, Kind, Notification
from concord.negotiation import services as negotiation
from concord.negotiation.tests import conftest as negotiation_fixtures
from concord.negotiation.tests.factories import document, provisions

pytestmark = pytest.mark.django_db

people = negotiation_fixtures.actors  # the negotiation tests' users, as a fixture


@pytest.fixture
def users(people):
    for name, actor in people.items():
        actor.user.email = f"{name}@example.org"
        actor.user.save(update_fields=["email"])
    return {name: actor.user for name, actor in people.items()}


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_new_version_asks_the_heads_who_may_read_it(people, users, sco):
    doc = document(people, sco, classification="restricted")
    services.notifications_dispatch()
    # Every member's head hears of it; a partner's head may not read a restricted text,
    # and a head of a state outside the organization never hears of it.
    assert kinds_of(users["head-rus"]) == [Kind.POSITION_NEEDED]
    assert kinds_of(users["head-tur"]) == []
    assert kinds_of(users["stranger"]) == []
    assert kinds_of(users["delegate-kaz"]) == []  # a delegate does not answer for its state
    # ... by e-mail, in words naming the document.
    sent = services.notifications_email()
    assert sent == len(mail.outbox) == Notification.objects.count()
    to_rus = [m for m in mail.outbox if m.to == ["head-rus@example.org"]]
    assert len(to_rus) == 1
    assert doc.symbol in to_rus[0].subject
    assert f"/documents/{doc.pk}/" in to_rus[0].body


def test_dispatching_twice_notifies_once(people, users, sco):
    document(people, sco)
    made = services.notifications_dispatch()
    assert made > 0
    assert services.notifications_dispatch() == 0
    services.notifications_email()
    count = len(mail.outbox)
    assert services.notifications_email() == 0
    assert len(mail.outbox) == count


def test_a_version_waits_for_a_position_until_the_state_answers_and_again_after_a_new_one(
    people, users, sco
):
    doc = document(people, sco)
    rus = users["head-rus"]
    waiting = selectors.waiting_for(rus)
    assert [(w.document.pk, w.version.number, w.answered_version) for w in waiting.positions] == [
        (doc.pk, 1, None)
    ]
    negotiation.position_set(
        actor=rus, document_id=doc.pk, version_number=1, iso3="RUS", stand="support"
    )
    assert selectors.waiting_for(rus).positions == []
    negotiation.version_create(
        actor=users["head-kaz"], document_id=doc.pk, provisions=provisions(4)
    )
    again = selectors.waiting_for(rus).positions
    assert [(w.version.number, w.answered_version) for w in again] == [(2, 1)]


def test_a_silence_is_announced_and_listed_with_its_deadline(people, users, sco):
    doc = document(people, sco, supporters=())
    deadline = timezone.now() + timedelta(days=4)
    negotiation.silence_open(
        actor=users["secretariat"], document_id=doc.pk, version_number=1, deadline=deadline
    )
    services.notifications_dispatch()
    assert Kind.SILENCE_OPENED in kinds_of(users["head-chn"])
    silences = selectors.waiting_for(users["head-chn"]).silences
    assert [(s.document.pk, s.deadline) for s in silences] == [(doc.pk, deadline)]
    # A day before the deadline, it is announced once more, once.
    from concord.negotiation.models import SilenceProcedure

    SilenceProcedure.objects.update(deadline=timezone.now() + timedelta(hours=3))
    services.notifications_dispatch()
    services.notifications_dispatch()
    assert kinds_of(users["head-chn"]).count(Kind.SILENCE_EXPIRING) == 1


def test_amendments_wait_for_the_pen_and_their_decision_reaches_the_proposer(people, users, sco):
    doc = document(people, sco)
    amendment = negotiation.amendment_propose(
        actor=users["head-rus"],
        document_id=doc.pk,
        version_number=1,
        provision="p1",
        op="replace",
        texts={"en": "A better first paragraph."},
        reason="Clearer.",
    )
    pen = users["head-kaz"]
    assert [a.pk for a in selectors.waiting_for(pen).to_decide] == [amendment.pk]
    negotiation.amendment_accept(actor=pen, amendment_id=amendment.pk)
    waiting = selectors.waiting_for(pen)
    assert waiting.to_decide == []
    assert [a.pk for a in waiting.to_apply] == [amendment.pk]
    services.notifications_dispatch()
    assert Kind.AMENDMENT_DECIDED in kinds_of(users["head-rus"])
    assert Kind.AMENDMENT_DECIDED not in kinds_of(users["head-chn"])
    note = Notification.objects.get(user=users["head-rus"], kind=Kind.AMENDMENT_DECIDED)
    from concord.inbox import present

    assert "p1" in present.describe(note) and "accepted" in present.describe(note)


def test_a_digest_goes_out_once_a_day_with_everything_pending(people, users, sco):
    rus = users["head-rus"]
    services.inbox_settings_set(
        actor=rus, channels=dict.fromkeys(Kind.values, Channel.DIGEST), language="ru"
    )
    document(people, sco, symbol="SCO/CHS/2025/DEC.1")
    document(people, sco, symbol="SCO/CHS/2025/DEC.2")
    services.notifications_dispatch()
    services.notifications_email()
    digests = [m for m in mail.outbox if m.to == ["head-rus@example.org"]]
    assert len(digests) == 1
    assert "DEC.1" in digests[0].body and "DEC.2" in digests[0].body
    assert "Concord" in digests[0].subject and "уведомлени" in digests[0].subject  # Russian
    document(people, sco, symbol="SCO/CHS/2025/DEC.3")
    services.notifications_dispatch()
    services.notifications_email()
    assert len([m for m in mail.outbox if m.to == ["head-rus@example.org"]]) == 1
    services.notifications_email(now=timezone.now() + timedelta(hours=25))
    later = [m for m in mail.outbox if m.to == ["head-rus@example.org"]]
    assert len(later) == 2 and "DEC.3" in later[1].body


def test_in_concord_only_sends_no_mail(people, users, sco):
    rus = users["head-rus"]
    services.inbox_settings_set(
        actor=rus, channels={Kind.POSITION_NEEDED: Channel.INBOX}, language=""
    )
    document(people, sco)
    services.notifications_dispatch()
    services.notifications_email()
    assert kinds_of(rus) == [Kind.POSITION_NEEDED]
    assert [m for m in mail.outbox if m.to == ["head-rus@example.org"]] == []


def test_the_page_lists_what_waits_and_marks_notifications_read(people, users, sco):
    doc = document(people, sco)
    services.notifications_dispatch()
    client = Client()
    login_verified(client, users["head-rus"])
    page = client.get("/me/").content.decode()
    assert 'id="waiting-positions"' in page and doc.symbol in page
    assert 'id="unread-count">1<' in page
    assert client.post("/me/read/").status_code == 302
    assert "unread-count" not in client.get("/me/").content.decode()
    ru = client.get("/ru/me/").content.decode()
    assert "Ждёт меня" in ru or "ждёт" in ru.lower()


def test_settings_refuse_an_unknown_channel_beside_the_field(users):
    client = Client()
    login_verified(client, users["head-rus"])
    response = client.post(
        "/me/settings/", {f"channel-{Kind.SILENCE_OPENED}": "pigeon", "language": "en"}
    )
    assert response.status_code == 422
    assert f'id="error-{Kind.SILENCE_OPENED}"' in response.content.decode()
    assert not hasattr(users["head-rus"], "inbox_settings") or (
        users["head-rus"].inbox_settings.channels == {}
    )
    ok = client.post("/me/settings/", {f"channel-{Kind.SILENCE_OPENED}": "digest"})
    assert ok.status_code == 302
    users["head-rus"].refresh_from_db()
    assert users["head-rus"].inbox_settings.channels[Kind.SILENCE_OPENED] == "digest"


def test_signing_in_leads_to_what_waits(users, client):
    rus = users["head-rus"]
    rus.set_password("a-long-password-1")
    rus.save()
    enrol_known_totp(rus)
    response = client.post("/login/", {"username": "head-rus", "password": "a-long-password-1"})
    assert response.status_code == 302  # a head goes on to the second factor
    response = client.post(response["Location"], {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert Client().get("/me/").status_code == 302  # anonymous: to sign in


@pytest.mark.parametrize("who", ["head-rus", "head-kaz", "secretariat"])
def test_the_page_runs_a_fixed_number_of_queries(
    people, users, sco, who, django_assert_max_num_queries
):
    soon = timezone.localdate() + timedelta(days=30)
    meeting = negotiation.meeting_create(
        actor=users["secretariat"], org_slug=sco.slug, body="chs", start=soon, end=soon
    )

    def count(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(n):
            doc = document(people, sco, symbol=f"SCO/CHS/2025/Q{who}{n}.{i}")
            doc.meeting = meeting
            doc.save(update_fields=["meeting"])
        services.notifications_dispatch()
        client = Client()
        login_verified(client, users[who])
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/me/").content.decode()
        # Each size shows what it should: the secretariat its meeting's agenda, a head
        # every new version.
        shown = set(re.findall(rf"SCO/CHS/2025/Q{who}{n}\.\d+", page))
        assert len(shown) == n
        return len(queries.captured_queries)

    assert count(1) == count(6)


def test_the_page_lists_amendments_to_decide_and_to_apply(people, users, sco):
    doc = document(people, sco)
    proposed = [
        negotiation.amendment_propose(
            actor=users["head-rus"],
            document_id=doc.pk,
            version_number=1,
            provision=key,
            op="replace",
            texts={"en": "Better."},
            reason="Clearer.",
        )
        for key in ("p1", "p2")
    ]
    negotiation.amendment_accept(actor=users["head-kaz"], amendment_id=proposed[0].pk)
    client = Client()
    login_verified(client, users["head-kaz"])
    page = client.get("/me/").content.decode()
    to_decide = page[page.index('id="waiting-amendments"') : page.index('id="waiting-to-apply"')]
    to_apply = page[page.index('id="waiting-to-apply"') :]
    assert f'data-amendment="{proposed[1].pk}"' in to_decide
    assert f'data-amendment="{proposed[0].pk}"' not in to_decide
    assert f'data-amendment="{proposed[0].pk}"' in to_apply.split("</section>")[0]
