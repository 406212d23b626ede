"""A participant's privacy (issue 13): they see their data and delete it (votes kept only
as anonymous counts, statements kept without the link), revoke their tokens (401 after),
a signed-in user's votes sit under a pseudonymous participant, and the public map shows
no stable participant ids unless the consultation publishes them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.audit.models import Event
from concord.audit.services import chain_verify
from concord.consultation import selectors
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Participant, Statement, Vote, VoteEvent
from concord.consultation.tests.factories import StatementFactory
from concord.consultation.tokens import claim_of

pytestmark = pytest.mark.django_db


def _vote(api, token, statement, value=1):  # type: ignore[no-untyped-def]
    r = api.post(
        "/consultations/jwf/votes", {"statement": statement.pk, "vote": value}, token=token
    )
    assert r.status_code in (200, 201), r.content
    return r


def test_a_participant_sees_their_statements_votes_and_when(api, consultation, statements):
    token = api.join("jwf")
    _vote(api, token, statements[0], 1)
    _vote(api, token, statements[1], -1)
    r = api.post("/consultations/jwf/statements", {"text": "Mine, all mine"}, token=token)
    assert r.status_code == 201
    data = api.get("/consultations/jwf/participants/me", token=token).json()
    assert data["consultation"] == "jwf" and data["joined_at"] and data["signed_in"] is False
    assert [s["text"] for s in data["statements"]] == ["Mine, all mine"]
    assert [(v["statement"], v["vote"]) for v in data["votes"]] == [
        (statements[0].pk, 1),
        (statements[1].pk, -1),
    ]
    assert all(v["at"] for v in data["votes"])
    other = api.join("jwf")
    assert api.get("/consultations/jwf/participants/me", token=other).json()["votes"] == []
    assert api.get("/consultations/jwf/participants/me").status_code == 401


def test_deleting_keeps_votes_as_anonymous_counts_and_statements_unlinked(
    api, client: Client, consultation, statements
):
    token = api.join("jwf")
    _vote(api, token, statements[0], 1)
    _vote(api, token, statements[1], -1)
    _vote(api, token, statements[1], 0)  # replaced: history has two acts
    kept = api.join("jwf")
    _vote(api, kept, statements[0], 1)
    api.post("/consultations/jwf/statements", {"text": "Said and kept"}, token=token)
    before = selectors.statement_counts(consultation)
    assert before[statements[0].pk] == (2, 0, 0) and before[statements[1].pk] == (0, 0, 1)
    me = selectors.participant_of(claim_of(token), consultation)
    response = client.delete(
        "/api/v1/consultations/jwf/participants/me", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 204
    # The counts are unchanged, but no row links a vote to the participant any more.
    assert selectors.statement_counts(consultation) == before
    assert not Participant.objects.filter(pk=me.pk).exists()
    assert not VoteEvent.objects.filter(participant_id=me.pk).exists()
    assert Vote.objects.filter(consultation=consultation).count() == 1  # the other one's
    statement = Statement.objects.get(text="Said and kept")
    assert statement.author_id is None
    # The token is dead, and the act is in the log with counts only.
    assert api.get("/consultations/jwf/participants/me", token=token).status_code in (401, 404)
    event = Event.objects.get(act="participant.erase")
    assert event.payload == {"consultation": "jwf", "statements": 1, "votes": 2}
    assert chain_verify().ok, chain_verify().problems


def test_a_revoked_participant_token_answers_401(api, consultation, statements):
    token = api.join("jwf")
    _vote(api, token, statements[0])
    r = api.post("/consultations/jwf/participants/me/actions/revoke", token=token)
    assert r.status_code == 204
    for attempt in (
        api.post("/consultations/jwf/votes", {"statement": statements[1].pk, "vote": 1}, token),
        api.get("/consultations/jwf/participants/me", token=token),
        api.post("/consultations/jwf/statements", {"text": "After revocation"}, token=token),
    ):
        assert attempt.status_code == 401, attempt.content
        assert attempt["Content-Type"] == "application/problem+json"
    assert Vote.objects.filter(consultation=consultation).count() == 1  # the data stays
    assert Event.objects.filter(act="participant.tokens_revoke").count() == 1


def test_a_signed_in_users_votes_sit_under_a_pseudonymous_participant(
    api, users, tokens, consultation, statements
):
    _vote(api, tokens["participant"], statements[0])
    participant = Participant.objects.get(consultation=consultation)
    user = users["participant"]
    # A keyed digest, not the account id: it can only be matched by one holding the key.
    assert participant.user_pseudonym
    assert participant.user_pseudonym not in {str(user.pk), user.username}
    assert len(participant.user_pseudonym) >= 32
    columns = {f.column for f in Participant._meta.concrete_fields}
    assert "user_id" not in columns  # no table says which account voted what
    _vote(api, tokens["participant"], statements[1])
    assert Participant.objects.filter(consultation=consultation).count() == 1  # found again
    data = api.get("/consultations/jwf/participants/me", token=tokens["participant"]).json()
    assert data["signed_in"] is True and len(data["votes"]) == 2


def test_the_page_shows_and_deletes_the_browsers_data(client: Client, consultation, statements):
    assert "You have no data" in client.get("/consultations/jwf/my-data/").content.decode()
    client.post("/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "1"})
    page = client.get("/consultations/jwf/my-data/").content.decode()
    assert 'id="my-votes"' in page and f"#{statements[0].pk}" in page
    ru = client.get("/ru/consultations/jwf/my-data/").content.decode()
    assert 'lang="ru"' in ru
    done = client.post("/consultations/jwf/my-data/delete/")
    assert done.status_code == 302
    assert selectors.statement_counts(consultation)[statements[0].pk] == (1, 0, 0)
    assert not Participant.objects.filter(consultation=consultation).exists()
    assert "You have no data" in client.get("/consultations/jwf/my-data/").content.decode()
    assert client.post("/consultations/jwf/my-data/delete/").status_code == 404
    assert client.post("/consultations/jwf/my-data/forget/").status_code == 404


def test_the_page_revokes_the_browsers_token(client: Client, consultation, statements):
    client.post("/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "1"})
    assert client.post("/consultations/jwf/my-data/revoke/").status_code == 302
    assert Participant.objects.get(consultation=consultation).tokens_revoked_at is not None
    assert "You have no data" in client.get("/consultations/jwf/my-data/").content.decode()


def test_the_data_page_runs_a_fixed_number_of_queries(client: Client, consultation):
    def count(n: int) -> int:
        for s in StatementFactory.create_batch(n, consultation=consultation):
            client.post("/consultations/jwf/vote/", {"statement": s.pk, "vote": "1"})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/consultations/jwf/my-data/").status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(8)


def test_the_public_map_lists_ids_only_when_the_consultation_publishes_them(
    api, consultation, statements
):
    for i in range(12):
        token = api.join("jwf")
        for j, s in enumerate(statements):
            _vote(api, token, s, 1 if (i + j) % 2 else -1)
    snapshot_compute(consultation)
    hidden = api.get("/consultations/jwf/map").json()
    assert all("participants" not in g and g["size"] > 0 for g in hidden["groups"])
    assert len(hidden["positions"]) == 12 and hidden["participant_ids_published"] is False
    consultation.publish_participant_ids = True
    consultation.save(update_fields=["publish_participant_ids"])
    shown = api.get("/consultations/jwf/map").json()
    assert all(len(g["participants"]) == g["size"] for g in shown["groups"])
