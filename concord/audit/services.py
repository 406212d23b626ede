"""Appending to the audit log and verifying it.

The log is evidence in the manner of Certificate Transparency: every link hashes the one
before it, every adoption records the head it sealed, every data row a decision depends on
is checked against the event that wrote it (``concord.<app>.evidence``), and signed
checkpoints kept outside the database (``concord.audit.checkpoint``) prove that the log
was only ever extended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from importlib import import_module
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.audit import chain
from concord.audit.models import GENESIS, Event, Head
from concord.common.errors import DomainError

#: The apps whose data rows are checked against the log, as ``module:function``; each
#: function takes the ``Log`` and returns the problems it found (empty: all rows agree).
#: Named, not imported, so that the audit app depends on no feature app.
EVIDENCE = (
    "concord.accounts.evidence:check",
    "concord.organization.evidence:check",
    "concord.negotiation.evidence:check",
)


#: The same apps' finders of rows written before their kind was audited (``unlogged``),
#: for ``relog_existing``.
RELOG = (
    "concord.accounts.evidence:unlogged",
    "concord.organization.evidence:unlogged",
)
RELOGGED = "relogged"  # the payload key that marks an event written after the fact


class AuditRecordBroken(DomainError):
    """The log's head row is missing or disagrees with the log: no act may be recorded
    until an operator has looked (``concord audit verify`` names the damage)."""

    code = "audit_record_broken"
    status = 503
    message = _(
        "The audit record is damaged, so the act was refused and nothing was written. "
        "An operator must run: concord audit verify."
    )


#: Who acts, as the audit app sees it: ``concord.accounts.actor.Actor`` (a ``User``, an
#: ``AnonymousUser`` or None) widened to Django's base user, because audit sits below
#: accounts and may not import it (tests/test_architecture.py).
AuditActor = AbstractBaseUser | AnonymousUser | None


def _actor_label(actor: AuditActor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    state = getattr(actor, "state", None)
    return f"{actor.get_username()}@{state.iso3}" if state else str(actor.get_username())


@transaction.atomic
def event_append(
    *, actor: AuditActor, act: str, obj: models.Model | tuple[str, Any], payload: Any
) -> Event:
    """Append one event. Call inside the service's own transaction, so the act and its
    event commit together or not at all. Locks the head row: appends are serialized.

    Raises ``AuditRecordBroken`` (503) when the head row is gone while events exist, or
    when the head does not point at the last event: the act is refused, never a 500."""
    if isinstance(obj, tuple):
        object_type, object_id = obj[0], str(obj[1])
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    head = Head.objects.select_for_update().filter(id=1).first()
    if head is None:
        # A fresh log starts at the genesis; a deleted head over existing events is damage.
        if Event.objects.exists():
            raise AuditRecordBroken()
        head = Head.objects.create(id=1)
    # Microsecond precision survives every database backend unchanged.
    at = timezone.now().astimezone(UTC)
    seq = head.seq + 1
    label = _actor_label(actor)
    payload_digest = chain.digest(payload)
    link = chain.link_hash(
        seq=seq,
        at=at,
        actor=label,
        act=act,
        obj=f"{object_type}:{object_id}",
        payload_digest=payload_digest,
        prev=head.hash,
    )
    try:
        with transaction.atomic():
            event = Event.objects.create(
                seq=seq,
                at=at,
                actor_id=actor.pk if actor is not None and label != "system" else None,
                actor_label=label,
                act=act,
                object_type=object_type,
                object_id=object_id,
                payload=payload,
                payload_digest=payload_digest,
                prev_hash=head.hash,
                hash=link,
            )
    except IntegrityError:
        # The head was rewound below the last event: the sequence number is taken.
        raise AuditRecordBroken() from None
    head.seq, head.hash = seq, link
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class Log:
    """Every event, indexed for the data-row checks."""

    events: tuple[Event, ...]
    by_object: dict[tuple[str, str], list[Event]] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[Event]) -> Log:
        log = cls(tuple(events))
        for event in log.events:
            log.by_object.setdefault((event.object_type, event.object_id), []).append(event)
        return log

    def about(self, object_type: str, object_id: Any, *acts: str) -> list[Event]:
        found = self.by_object.get((object_type, str(object_id)), [])
        return [e for e in found if not acts or e.act in acts]

    def with_act(self, *acts: str) -> list[Event]:
        return [e for e in self.events if e.act in acts]


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    broken_seq: int | None = None
    problem: str = ""
    problems: tuple[str, ...] = ()


def _chain_problem(events: list[Event]) -> tuple[int | None, str, str]:
    """Recompute every link in order; the first that does not hold, and the last good hash."""
    prev = GENESIS
    for count, event in enumerate(events, start=1):
        at = event.at.astimezone(UTC) if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        problem = ""
        if event.seq != count:
            problem = f"sequence jumps to {event.seq} after {count - 1}"
        elif event.prev_hash != prev:
            problem = "its previous-hash does not match the event before it"
        elif chain.digest(event.payload) != event.payload_digest:
            problem = "its payload does not match its digest"
        elif (
            chain.link_hash(
                seq=event.seq,
                at=at,
                actor=event.actor_label,
                act=event.act,
                obj=f"{event.object_type}:{event.object_id}",
                payload_digest=event.payload_digest,
                prev=event.prev_hash,
            )
            != event.hash
        ):
            problem = "its hash does not match its fields"
        if problem:
            return event.seq, f"event #{event.seq} ({event.act}): {problem}", prev
        prev = event.hash
    return None, "", prev


def _checks() -> list[Callable[[Log], list[str]]]:
    found = []
    for path in EVIDENCE:
        module, name = path.split(":")
        found.append(getattr(import_module(module), name))
    return found


def chain_verify() -> Verification:
    """Recompute the chain, compare the head row with it, and check every decision's data
    rows against the events that wrote them. ``problem`` names the first broken link (or
    the first disagreement); ``problems`` lists every one found."""
    events = list(Event.objects.order_by("seq"))
    broken_seq, first, prev = _chain_problem(events)
    problems = [first] if first else []
    head = Head.objects.filter(id=1).first()
    if head is None and events:
        problems.append(f"the head row is missing while the log holds {len(events)} events")
    elif head is not None and not broken_seq and (head.seq != len(events) or head.hash != prev):
        problems.append(
            f"the stored head (#{head.seq}) does not match the last event (#{len(events)})"
        )
    log = Log.of(events)
    for check in _checks():
        problems.extend(check(log))
    return Verification(
        ok=not problems,
        events=len(events),
        head=prev,
        broken_seq=broken_seq
        if broken_seq is not None
        else (head.seq if problems and head else None),
        problem=problems[0] if problems else "",
        problems=tuple(problems),
    )


def chain_head() -> str:
    head = Head.objects.filter(id=1).first()
    return head.hash if head else GENESIS


@dataclass(frozen=True)
class Relogged:
    """What ``relog_existing`` wrote (``written``: one line per event) or, when it refused,
    the problems that are not absence (``problems``; nothing was written)."""

    written: tuple[str, ...]
    problems: tuple[str, ...]
    events: int
    head: str

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def relog_existing(*, dry_run: bool = False) -> Relogged:
    """Write one audited event per row that predates the audit of its kind (memberships,
    users, API tokens of a database made before issue 10), each payload marked
    ``relogged`` with the time of re-logging and the words "recorded after the fact".

    Idempotent: a second run finds nothing absent and writes nothing. Refuses, writing
    nothing, when the log is damaged or disagrees with the data in any way the re-logged
    events would not explain (a changed role, an edited span, a rewritten link): that is
    tampering, and re-logging must never launder it. ``dry_run`` reports what would be
    written and rolls back."""
    with transaction.atomic():
        events = list(Event.objects.order_by("seq"))
        log = Log.of(events)
        pending: list[tuple[str, Any, dict[str, Any]]] = []
        for path in RELOG:
            module, name = path.split(":")
            pending.extend(getattr(import_module(module), name)(log))
        at = timezone.now().astimezone(UTC).isoformat()
        mark = {"at": at, "note": "recorded after the fact"}
        written = []
        for act, obj, payload in pending:
            event = event_append(actor=None, act=act, obj=obj, payload={**payload, RELOGGED: mark})
            written.append(f"#{event.seq} {act} {event.object_type}:{event.object_id}")
        after = chain_verify()
        if dry_run or not after.ok:
            transaction.set_rollback(True)
        return Relogged(
            written=tuple(written),
            problems=after.problems,
            events=after.events,
            head=after.head,
        )
