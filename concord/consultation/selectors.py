"""Reads for consultations: querysets already joined, a bounded number of queries each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.accounts.models import User
from concord.common.errors import NotFound
from concord.consultation.models import (
    Citation,
    Consultation,
    Moderation,
    OpinionMapSnapshot,
    Participant,
    RetiredVotes,
    Statement,
    StatementTranslation,
    Vote,
)
from concord.consultation.tokens import ParticipantClaim


def consultation_list(*, open_only: bool = False) -> QuerySet[Consultation]:
    qs = Consultation.objects.select_related("organization")
    return qs.filter(is_open=True) if open_only else qs


def statement_list(actor: Actor, consultation: Consultation) -> QuerySet[Statement]:
    """Accepted statements for everyone; every statement for the secretariat."""
    qs = (
        Statement.objects.filter(consultation=consultation)
        .prefetch_related("translations")
        .order_by("id")
    )
    if not access.may_moderate_consultation(actor, consultation):
        qs = qs.filter(moderation=Moderation.ACCEPTED)
    return qs


def moderation_queue(consultation: Consultation) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(consultation=consultation, moderation=Moderation.PENDING)
        .prefetch_related("translations")
        .order_by("id")
    )


def translations_of(statement: Statement) -> QuerySet[StatementTranslation]:
    return StatementTranslation.objects.filter(statement=statement).order_by("lang")


def statements_written_by(participant: Participant | None) -> QuerySet[Statement]:
    """The statements ``participant`` wrote, with their translations (for the author's own
    list on the voting page)."""
    if participant is None:
        return Statement.objects.none()
    return (
        Statement.objects.filter(author=participant).prefetch_related("translations").order_by("id")
    )


#: How many decided statements the moderation page lists (the newest first).
DECIDED_SHOWN = 100


def decided_statements(consultation: Consultation) -> QuerySet[Statement]:
    """The newest accepted and rejected statements (for the moderation page)."""
    return (
        Statement.objects.filter(consultation=consultation)
        .exclude(moderation=Moderation.PENDING)
        .prefetch_related("translations")
        .order_by("-id")[:DECIDED_SHOWN]
    )


def documents_to_link(actor: Actor, organization: Any) -> QuerySet[Any]:
    """The documents of ``organization`` that ``actor`` may read, by symbol (what a
    consultation can be linked to, or a statement cited by)."""
    from concord.negotiation.models import Document

    return (
        Document.objects.filter(organization=organization)
        .filter(access.documents_visible_to(actor, organization))
        .only("id", "symbol", "titles")
        .order_by("symbol")
    )


def latest_snapshot(consultation: Consultation) -> OpinionMapSnapshot | None:
    return OpinionMapSnapshot.objects.filter(consultation=consultation).order_by("-id").first()


def latest_snapshot_shown(consultation: Consultation) -> OpinionMapSnapshot | None:
    """The latest map as the pages show it: without ``map`` and ``points``, which list
    every participant (loaded only if touched)."""
    return (
        OpinionMapSnapshot.objects.filter(consultation=consultation)
        .defer("map", "points")
        .order_by("-id")
        .first()
    )


def snapshot_point(snapshot: OpinionMapSnapshot, participant_id: int) -> list[float] | None:
    """``participant_id``'s [x, y, group] on ``snapshot``, None when not on it; one query
    that reads one key of ``points`` in the database instead of loading all of them.

    Raw SQL because the ORM reads a numeric key of a JSON field as an array index."""
    if connection.vendor == "postgresql":
        sql = "SELECT points -> %s::text FROM consultation_opinionmapsnapshot WHERE id = %s"
        key = str(participant_id)
    else:  # SQLite, Concord's other database
        sql = "SELECT json_extract(points, %s) FROM consultation_opinionmapsnapshot WHERE id = %s"
        key = f'$."{participant_id}"'
    params: list[str | int] = [key, snapshot.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    value = json.loads(row[0]) if isinstance(row[0], str | bytes) else row[0]
    return list(value)


def participant_of(
    claim: ParticipantClaim | None, consultation: Consultation
) -> Participant | None:
    """The participant a token names, unless the token was revoked since it was issued."""
    if claim is None or claim.consultation_id != consultation.pk:
        return None
    participant = Participant.objects.filter(
        pk=claim.participant_id, consultation=consultation
    ).first()
    if participant is not None and token_revoked(participant, claim):
        return None
    return participant


def token_revoked(participant: Participant, claim: ParticipantClaim) -> bool:
    """Tokens issued up to the second of a revocation answer 401 (a signature's time is
    in whole seconds)."""
    revoked = participant.tokens_revoked_at
    if revoked is None or claim.issued_at is None:
        return False
    return claim.issued_at <= int(revoked.timestamp())


def claim_revoked(claim: ParticipantClaim) -> bool:
    """Whether ``claim``'s token was revoked (one indexed read of the participant)."""
    if claim.issued_at is None:
        return False
    revoked = (
        Participant.objects.filter(pk=claim.participant_id)
        .values_list("tokens_revoked_at", flat=True)
        .first()
    )
    return revoked is not None and claim.issued_at <= int(revoked.timestamp())


def participant_of_user(user: User, consultation: Consultation) -> Participant | None:
    """A signed-in user's own participant, found by its pseudonym (never the account id)."""
    from concord.consultation.privacy import user_pseudonym

    return Participant.objects.filter(
        consultation=consultation, user_pseudonym=user_pseudonym(user, consultation)
    ).first()


def votes_of(participant: Participant | None) -> dict[int, int]:
    """statement pk -> current vote of ``participant``."""
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def next_statement(consultation: Consultation, voted: Sequence[int]) -> Statement | None:
    """The first accepted statement the participant has not voted on (seed ones first)."""
    return (
        Statement.objects.filter(consultation=consultation, moderation=Moderation.ACCEPTED)
        .exclude(pk__in=list(voted))
        .prefetch_related("translations")
        .order_by("-is_seed", "id")
        .first()
    )


def statements_by_id(consultation: Consultation, ids: Sequence[int]) -> dict[int, Statement]:
    """Statements by pk, each with ``citations`` by PUBLIC documents only (a restricted
    draft's symbol is not for the public pages); two queries."""
    from django.db.models import Prefetch

    from concord.common.classification import Classification

    public = Citation.objects.filter(document__classification=Classification.PUBLIC)
    qs = Statement.objects.filter(consultation=consultation, pk__in=list(ids)).prefetch_related(
        Prefetch("citations", queryset=public.select_related("document")), "translations"
    )
    return {s.pk: s for s in qs}


def citations_for_document(document: Any) -> QuerySet[Citation]:
    """The consultation statements cited by a negotiation document's provisions.

    ``document`` is a Document or its id. Each citation has ``provision`` (the key),
    ``statement`` (with ``text``) and ``statement.consultation`` (``slug``, ``title_in``).
    For the negotiation pages: group by ``provision`` to show a link under each provision.
    """
    document_id = getattr(document, "pk", document)
    return (
        Citation.objects.filter(document_id=document_id)
        .select_related("statement", "statement__consultation")
        .order_by("provision", "id")
    )


@dataclass(frozen=True)
class StatementView:
    id: int
    text: str
    direction: str = ""
    agree: int = 0
    disagree: int = 0
    passes: int = 0


def statement_counts(consultation: Consultation) -> dict[int, tuple[int, int, int]]:
    """statement pk -> (agree, disagree, pass) of the current votes; one grouped query."""
    from django.db.models import Count, Q

    rows = (
        Vote.objects.filter(consultation=consultation)
        .values("statement_id")
        .annotate(
            a=Count("id", filter=Q(value=1)),
            d=Count("id", filter=Q(value=-1)),
            p=Count("id", filter=Q(value=0)),
        )
    )
    counts = {r["statement_id"]: (r["a"], r["d"], r["p"]) for r in rows}
    # Participants who deleted their data left their votes as counts only.
    for statement_id, a, d, p in RetiredVotes.objects.filter(
        statement__consultation=consultation
    ).values_list("statement_id", "agree", "disagree", "passes"):
        a0, d0, p0 = counts.get(statement_id, (0, 0, 0))
        counts[statement_id] = (a0 + a, d0 + d, p0 + p)
    return counts


# ------------------------------------------------ fetches by a user-given key
# Each returns the row if the actor may see it, else NotFound (missing and forbidden alike);
# the decision is access.py's. With ``for_update`` the row is locked (inside atomic).


def consultation_for_actor(actor: Actor, slug: str, *, for_update: bool = False) -> Consultation:
    """The consultation named ``slug`` (every consultation is public), else ``NotFound``.

    With ``for_update`` the row is locked (call inside ``transaction.atomic``)."""
    qs = Consultation.objects.select_related("organization")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    consultation = qs.filter(slug=slug).first() if isinstance(slug, str) else None
    if consultation is None:
        raise NotFound(_("No consultation %(slug)s."), slug=str(slug)[:100])
    return consultation


def statement_for_actor(actor: Actor, statement_id: int, *, for_update: bool = False) -> Statement:
    """The statement if ``actor`` may see it: accepted ones for everyone, pending and
    rejected ones for the consultation's secretariat only; else ``NotFound``."""
    qs = Statement.objects.select_related("consultation", "consultation__organization")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    statement = qs.filter(pk=statement_id).first()
    if statement is None or (
        statement.moderation != Moderation.ACCEPTED
        and not access.may_moderate_consultation(actor, statement.consultation)
    ):
        raise NotFound(_("No statement %(id)s."), id=statement_id)
    return statement
