"""The silence procedure.

    negotiation/agreed --silence_open--> silence --(deadline passes unbroken)--> agreed
                                           +------silence_break--> negotiation

Rules (checks in ``accounts/access.py``; timing in the pure ``concord.consensus.silence``):

- ``silence_open``: the secretariat (for the chair), on a clean latest version of a
  document under negotiation or agreed, with a future deadline carrying an explicit time
  zone; one running procedure per version.
- ``silence_break``: a member's head of delegation, before the deadline, with a reason.
- ``silence_expire_due`` (also the worker's ``tasks.expire_silence_procedures``): an
  unbroken procedure past its deadline makes the version agreed. Safe in several workers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import Conflict
from concord.consensus import silence as pure_silence
from concord.consensus.errors import RuleError
from concord.negotiation import selectors
from concord.negotiation.compute import (
    pure_procedure,
)
from concord.negotiation.models import (
    Document,
    SilenceProcedure,
    SilenceStatus,
    Stage,
    Version,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    from_rule,
    latest_version,
    require_open,
    time_now,
)


@transaction.atomic
def silence_open(
    *,
    actor: Actor,
    document_id: int,
    version_number: int,
    deadline: datetime,
    expected_revision: int | None = None,
) -> SilenceProcedure:
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    require_open(document)
    check_revision(document, expected_revision)
    if document.stage not in (Stage.NEGOTIATION, Stage.AGREED):
        raise Conflict(
            _("A silence procedure opens on a document under negotiation, not one %(stage)s."),
            stage=document.stage,
        )
    version = latest_version(document, version_number)
    now = time_now()
    clean = not selectors.bracketed_keys(version)
    minimum_hours = silence_minimum_hours(document.body.slug)
    try:
        proc = pure_silence.open_silence(
            now=now, deadline=deadline, clean=clean, minimum=timedelta(hours=minimum_hours)
        )
    except RuleError as exc:
        raise from_rule(exc, field="deadline") from None
    offset = deadline.utcoffset() or timedelta(0)
    row = SilenceProcedure(
        version=version,
        opened_by=access.user_of(actor),
        opened_at=proc.opened_at,
        deadline=proc.deadline.astimezone(UTC),
        deadline_offset_minutes=int(offset.total_seconds() // 60),
        minimum_hours=minimum_hours,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(_("A silence procedure is already running on this version.")) from None
    bump(document, stage=Stage.SILENCE)
    audit(
        actor,
        "silence.open",
        row,
        {
            "document": document.pk,
            "version": version.number,
            "deadline": deadline.isoformat(),
            "minimum_hours": minimum_hours,
        },
    )
    return row


def silence_minimum_hours(body: str) -> int:
    """The shortest silence procedure ``body`` may run (settings; default 72 hours)."""
    table: dict[str, int] = settings.CONCORD_SILENCE_MIN_HOURS
    return int(table.get(body, table.get("*", 72)))


def silence_break_by_objection(
    *, actor: Actor, document: Document, version: Version, state: Any, now: datetime
) -> bool:
    """A member's objection during a running silence procedure breaks it, as an explicit
    break would (the caller holds the document's lock and has checked the state may block).
    Returns whether a procedure was broken."""
    row = (
        SilenceProcedure.objects.select_for_update()
        .filter(version=version, outcome=SilenceStatus.RUNNING, deadline__gt=now)
        .first()
    )
    if row is None:
        return False
    reason = str(_("Objection recorded during the silence procedure."))
    row.broken_by = state
    row.broken_by_user = access.user_of(actor)
    row.broken_at = now
    row.reason = reason
    row.outcome = SilenceStatus.BROKEN
    row.closed_at = now
    row.save(
        update_fields=["broken_by", "broken_by_user", "broken_at", "reason", "outcome", "closed_at"]
    )
    audit(
        actor,
        "silence.break",
        row,
        {"document": document.pk, "version": version.number, "state": state.iso3, "reason": reason},
    )
    return True


def _running(version: Version) -> SilenceProcedure:
    row = (
        SilenceProcedure.objects.select_for_update()
        .filter(version=version, outcome=SilenceStatus.RUNNING)
        .first()
    )
    if row is None:
        raise Conflict(_("No silence procedure is running on this version."))
    return row


@transaction.atomic
def silence_break(
    *, actor: Actor, document_id: int, version_number: int, reason: str
) -> SilenceProcedure:
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    state = access.require_silence_breaker(actor, document)
    require_open(document)
    version = latest_version(document, version_number)
    row = _running(version)
    try:
        broken = pure_silence.break_silence(
            pure_procedure(row),
            state=state.iso3,
            now=time_now(),
            reason=reason or "",
            timeline=selectors.timeline_of_document(document),
        )
    except RuleError as exc:
        raise from_rule(exc, field="reason") from None
    row.broken_by = state
    row.broken_by_user = access.user_of(actor)
    row.broken_at = broken.broken_at
    row.reason = broken.reason
    row.outcome = SilenceStatus.BROKEN
    row.closed_at = broken.broken_at
    row.save(
        update_fields=["broken_by", "broken_by_user", "broken_at", "reason", "outcome", "closed_at"]
    )
    bump(document, stage=Stage.NEGOTIATION)
    audit(
        actor,
        "silence.break",
        row,
        {
            "document": document.pk,
            "version": version.number,
            "state": state.iso3,
            "reason": broken.reason,
        },
    )
    return row


def expire_if_past(row: SilenceProcedure, now: datetime) -> bool:
    if pure_silence.outcome(pure_procedure(row), now) is not pure_silence.SilenceOutcome.EXPIRED:
        return False
    row.outcome = SilenceStatus.EXPIRED
    row.closed_at = row.deadline
    row.save(update_fields=["outcome", "closed_at"])
    document = Document.objects.select_for_update().get(pk=row.version.document_id)
    if document.stage == Stage.SILENCE:
        # Silence deems the silent to agree; it does not silence an objection already on
        # the record: the stage says agreed only when consensus actually holds.
        verdict = selectors.verdict_of(row.version, on=timezone.localdate(now), now=now)
        bump(document, stage=Stage.AGREED if verdict.reached else Stage.NEGOTIATION)
    audit(
        None,
        "silence.expire",
        row,
        {
            "document": document.pk,
            "version": row.version.number,
            "deadline": row.deadline.isoformat(),
        },
    )
    return True


@transaction.atomic
def silence_expire_due(*, now: datetime | None = None) -> int:
    """Close every running procedure whose deadline has passed unbroken: the version is
    agreed. Safe to run in several workers at once (rows are locked; a closed one is skipped).
    Returns how many procedures expired."""
    now = now or time_now()
    due = list(
        SilenceProcedure.objects.filter(outcome=SilenceStatus.RUNNING, deadline__lte=now)
        .order_by("deadline", "id")
        .values_list("pk", "version__document_id")
    )
    expired = 0
    for pk, document_id in due:
        with transaction.atomic():
            # The document first, then the procedure, as silence_break does.
            Document.objects.select_for_update().filter(pk=document_id).first()
            row = (
                SilenceProcedure.objects.select_for_update(of=("self",))
                .select_related("version")
                .filter(pk=pk, outcome=SilenceStatus.RUNNING)
                .first()
            )
            expired += bool(row is not None and expire_if_past(row, now))
    return expired
