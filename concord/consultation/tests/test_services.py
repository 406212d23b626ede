"""Services against the real database."""

from __future__ import annotations

import pytest

from concord.audit.models import Event
from concord.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from concord.consultation import services
from concord.consultation.models import (
    Moderation,
    ModerationMode,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)
from concord.consultation.tests.conftest import make_document
from concord.consultation.tests.factories import ParticipantFactory, StatementFactory
from concord.consultation.tokens import ParticipantClaim, claim_of, token_for

pytestmark = pytest.mark.django_db


def claim(p: Participant) -> ParticipantClaim:
    return ParticipantClaim(p.pk, p.consultation_id)


def test_create_needs_the_secretariat(sco, users):
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=users["head"], org_slug=sco.slug, slug="x", title="X")
    c = services.consultation_create(
        actor=users["secretariat"],
        org_slug=sco.slug,
        slug="x",
        title={"en": "X"},
        languages=["en", "ru"],
    )
    assert c.created_by == users["secretariat"]
    assert Event.objects.filter(act="consultation.create", object_id=str(c.pk)).exists()
    with pytest.raises(Conflict):
        services.consultation_create(
            actor=users["secretariat"], org_slug=sco.slug, slug="x", title="Y"
        )


def test_vote_first_then_replaced_keeps_history(consultation, statements):
    p = ParticipantFactory(consultation=consultation)
    s = statements[0]
    assert services.vote_cast(claim=claim(p), slug="jwf", statement_id=s.pk, vote=1) is True
    assert services.vote_cast(claim=claim(p), slug="jwf", statement_id=s.pk, vote=-1) is False
    current = Vote.objects.get(participant=p, statement=s)
    assert (current.value, current.revision) == (-1, 2)
    assert list(
        VoteEvent.objects.filter(participant=p).order_by("id").values_list("value", flat=True)
    ) == [1, -1]


@pytest.mark.parametrize("bad", [2, -2, "1", True, None, 1.0])
def test_malformed_vote_writes_nothing(consultation, statements, bad):
    p = ParticipantFactory(consultation=consultation)
    with pytest.raises(InvalidInput):
        services.vote_cast(claim=claim(p), slug="jwf", statement_id=statements[0].pk, vote=bad)
    assert not Vote.objects.exists() and not VoteEvent.objects.exists()


def test_vote_on_unknown_pending_or_foreign_statement(sco, consultation, statements):
    p = ParticipantFactory(consultation=consultation)
    with pytest.raises(NotFound):
        services.vote_cast(claim=claim(p), slug="jwf", statement_id=999_999, vote=1)
    pending = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    with pytest.raises(InvalidInput):
        services.vote_cast(claim=claim(p), slug="jwf", statement_id=pending.pk, vote=1)
    other = StatementFactory(consultation__organization=sco)
    with pytest.raises(NotFound):
        services.vote_cast(claim=claim(p), slug="jwf", statement_id=other.pk, vote=1)
    # a token of this consultation does not vote in another one
    with pytest.raises(NotFound):
        services.vote_cast(
            claim=claim(p), slug=other.consultation.slug, statement_id=other.pk, vote=1
        )
    assert not VoteEvent.objects.exists()


def test_vote_on_closed_consultation(users, consultation, statements):
    p = ParticipantFactory(consultation=consultation)
    services.consultation_close(actor=users["secretariat"], slug=consultation.slug)
    with pytest.raises(Conflict):
        services.vote_cast(claim=claim(p), slug="jwf", statement_id=statements[0].pk, vote=1)
    assert not VoteEvent.objects.exists()
    with pytest.raises(Conflict):
        services.consultation_close(actor=users["secretariat"], slug=consultation.slug)


@pytest.mark.django_db(transaction=True)
def test_vote_of_a_deleted_participant_is_refused(consultation, statements):
    p = ParticipantFactory(consultation=consultation)
    gone = claim(p)
    p.delete()
    with pytest.raises(NotFound):
        services.vote_cast(claim=gone, slug="jwf", statement_id=statements[0].pk, vote=1)
    assert not Vote.objects.exists() and not VoteEvent.objects.exists()


def test_statement_rules(users, consultation):
    p = ParticipantFactory(consultation=consultation)
    s = services.statement_submit(
        actor=None, slug=consultation.slug, participant=p, text="Trade  should be fair."
    )
    assert s.moderation == Moderation.ACCEPTED and s.text == "Trade should be fair."
    with pytest.raises(Conflict):  # same text once normalised
        services.statement_submit(
            actor=None, slug=consultation.slug, participant=p, text="trade should be FAIR"
        )
    with pytest.raises(InvalidInput):
        services.statement_submit(actor=None, slug=consultation.slug, participant=p, text="x" * 281)
    with pytest.raises(InvalidInput):
        services.statement_submit(actor=None, slug=consultation.slug, participant=p, text="   ")
    assert Statement.objects.count() == 1
    services.statement_submit(actor=None, slug=consultation.slug, participant=p, text="y" * 280)


def test_pre_moderation_and_audited_moderation(users, consultation):
    consultation.moderation_mode = ModerationMode.PRE
    consultation.save()
    p = ParticipantFactory(consultation=consultation)
    s = services.statement_submit(
        actor=None, slug=consultation.slug, participant=p, text="Schools first"
    )
    assert s.moderation == Moderation.PENDING
    # A pending statement is the secretariat's to see: to anyone else it does not exist.
    with pytest.raises(NotFound):
        services.statement_moderate(
            actor=users["head"], statement_id=s.pk, decision=Moderation.ACCEPTED
        )
    s = services.statement_moderate(
        actor=users["secretariat"], statement_id=s.pk, decision=Moderation.ACCEPTED
    )
    assert s.moderation == Moderation.ACCEPTED
    event = Event.objects.get(act="statement.accept")
    assert event.payload["from"] == "pending" and event.actor == users["secretariat"]
    with pytest.raises(Conflict):
        services.statement_moderate(
            actor=users["secretariat"], statement_id=s.pk, decision=Moderation.ACCEPTED
        )
    # An accepted statement is everyone's to read and still only the secretariat's to moderate.
    with pytest.raises(PermissionDenied):
        services.statement_moderate(
            actor=users["head"], statement_id=s.pk, decision=Moderation.REJECTED
        )


def test_seed_statements_are_the_secretariats(users, consultation):
    with pytest.raises(PermissionDenied):
        services.statement_submit(
            actor=users["head"], slug=consultation.slug, participant=None, text="A", seed=True
        )
    s = services.statement_submit(
        actor=users["secretariat"], slug=consultation.slug, participant=None, text="A", seed=True
    )
    assert s.is_seed and s.moderation == Moderation.ACCEPTED


def test_participant_of_a_user_is_made_once(users, consultation):
    a = services.participant_create(slug=consultation.slug, actor=users["participant"])
    b = services.participant_create(slug=consultation.slug, actor=users["participant"])
    assert a == b
    anon = services.participant_create(slug=consultation.slug, actor=None)
    assert anon.user_pseudonym is None and anon != a
    # The participant row names no account: only a keyed pseudonym.
    assert a.user_pseudonym
    assert a.user_pseudonym not in {str(users["participant"].pk), users["participant"].username}


def test_tokens_are_signed_and_distinct_from_user_tokens():
    token = token_for(12, 3)
    claim = claim_of(token)
    assert (claim.participant_id, claim.consultation_id) == (12, 3) and claim.issued_at > 0
    assert claim_of(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert claim_of("cc_" + token) is None
    assert claim_of("garbage") is None
    from django.core import signing

    assert claim_of(signing.dumps([12, 3])) is None  # another salt


def test_citations(sco, users, consultation, statements):
    doc = make_document(sco)
    c = services.citation_add(
        actor=users["secretariat"],
        statement_id=statements[0].pk,
        document_id=doc.pk,
        provision="op-1",
    )
    assert (c.document_id, c.provision) == (doc.pk, "op-1")
    with pytest.raises(Conflict):
        services.citation_add(
            actor=users["secretariat"],
            statement_id=statements[0].pk,
            document_id=doc.pk,
            provision="op-1",
        )
    with pytest.raises(PermissionDenied):
        services.citation_add(
            actor=users["head"], statement_id=statements[0].pk, document_id=doc.pk, provision="op-2"
        )
    with pytest.raises(NotFound):
        services.citation_add(
            actor=users["secretariat"],
            statement_id=statements[0].pk,
            document_id=doc.pk,
            provision="op-9",
        )
    with pytest.raises(NotFound):
        services.citation_add(
            actor=users["secretariat"],
            statement_id=statements[0].pk,
            document_id=doc.pk + 99,
            provision="op-1",
        )
    assert Event.objects.filter(act="statement.cite").count() == 1
    from concord.consultation.selectors import citations_for_document

    assert [x.statement_id for x in citations_for_document(doc)] == [statements[0].pk]
