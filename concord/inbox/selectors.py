"""Reads for the inbox: what waits for the signed-in user, and their notifications.

Every function runs a fixed number of queries whatever the number of documents: the
meetings shown to the secretariat are the next ``MEETINGS`` only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from concord.accounts import access
from concord.accounts.models import User
from concord.inbox.models import Notification
from concord.negotiation import selectors as negotiation_selectors
from concord.negotiation.models import (
    Amendment,
    AmendmentStatus,
    Document,
    Position,
    SilenceProcedure,
    SilenceStatus,
    Stage,
    Version,
)
from concord.organization.models import Meeting

#: How many of the coming meetings the secretariat sees with their readiness.
MEETINGS = 3
#: How many notifications the page lists.
RECENT = 20


@dataclass(frozen=True)
class PositionWait:
    document: Document
    version: Version
    #: The version the state's last position was on, if it answered an earlier one: that
    #: answer no longer counts.
    answered_version: int | None


@dataclass(frozen=True)
class SilenceWait:
    document: Document
    version: Version
    deadline: datetime


@dataclass(frozen=True)
class Waiting:
    positions: list[PositionWait] = field(default_factory=list)
    silences: list[SilenceWait] = field(default_factory=list)
    #: Proposed amendments on documents the state pens or sponsors.
    to_decide: list[Amendment] = field(default_factory=list)
    #: Accepted amendments not yet in a version, on documents the state pens.
    to_apply: list[Amendment] = field(default_factory=list)
    meetings: list[tuple[Meeting, list[negotiation_selectors.ReadinessRow]]] = field(
        default_factory=list
    )

    @property
    def empty(self) -> bool:
        return not (
            self.positions or self.silences or self.to_decide or self.to_apply or self.meetings
        )


def _delegation(actor: User) -> Waiting:
    org, state = actor.organization, access.acting_state(actor)
    assert org is not None and state is not None
    documents = list(
        Document.objects.filter(organization=org, stage__in=[Stage.NEGOTIATION, Stage.SILENCE])
        .filter(access.documents_visible_to(actor, org))
        .order_by("symbol")
    )
    latest: dict[int, Version] = {}
    for v in Version.objects.filter(document__in=documents).order_by("document_id", "number"):
        latest[v.document_id] = v
    answered: dict[int, int] = {}  # document -> number of the version the state last answered
    for document_id, number in (
        Position.objects.filter(version__document__in=documents, state=state)
        .order_by("version__number", "id")
        .values_list("version__document_id", "version__number")
    ):
        answered[document_id] = number
    positions = []
    for document in documents:
        version = latest.get(document.pk)
        if version is None or answered.get(document.pk) == version.number:
            continue
        positions.append(PositionWait(document, version, answered.get(document.pk)))
    silences = [
        SilenceWait(s.version.document, s.version, s.deadline)
        for s in SilenceProcedure.objects.filter(
            version__document__in=documents, outcome=SilenceStatus.RUNNING
        )
        .select_related("version__document")
        .order_by("deadline")
    ]
    own = Q(document__penholder=state) | Q(
        document__sponsorships__state=state, document__sponsorships__left_at__isnull=True
    )
    amendments = list(
        Amendment.objects.filter(document__organization=org)
        .filter(own)
        .filter(
            Q(status=AmendmentStatus.PROPOSED)
            | Q(status=AmendmentStatus.ACCEPTED, applied_in__isnull=True, document__penholder=state)
        )
        .exclude(document__stage__in=[Stage.ADOPTED, Stage.WITHDRAWN])
        .select_related("document", "state", "version")
        .distinct()
        .order_by("document__symbol", "proposed_at")
    )
    return Waiting(
        positions=positions,
        silences=silences,
        to_decide=[a for a in amendments if a.status == AmendmentStatus.PROPOSED],
        to_apply=[a for a in amendments if a.status == AmendmentStatus.ACCEPTED],
    )


def _secretariat(actor: User) -> Waiting:
    org = actor.organization
    coming = (
        Meeting.objects.filter(organization=org, end__gte=timezone.localdate())
        .select_related("body", "organization", "host")
        .order_by("start")[:MEETINGS]
    )
    return Waiting(meetings=[(m, negotiation_selectors.readiness(actor, m)) for m in coming])


def waiting_for(actor: User) -> Waiting:
    """What the actor should act on now: a delegation's answers and decisions, or the
    readiness of the secretariat's coming meetings. Nothing for anyone else."""
    if access.acting_state(actor) is not None and actor.organization is not None:
        return _delegation(actor)
    if actor.organization is not None and access.is_secretariat(actor, actor.organization):
        return _secretariat(actor)
    return Waiting()


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:RECENT]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
