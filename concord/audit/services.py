"""Appending to the audit log and verifying it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from concord.audit import chain
from concord.audit.models import GENESIS, Event, Head


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    state = getattr(actor, "state", None)
    return f"{actor.username}@{state.iso3}" if state else str(actor.username)


@transaction.atomic
def event_append(
    *, actor: Any, act: str, obj: models.Model | tuple[str, Any], payload: Any
) -> Event:
    """Append one event. Call inside the service's own transaction, so the act and its
    event commit together or not at all. Locks the head row: appends are serialized."""
    if isinstance(obj, tuple):
        object_type, object_id = obj[0], str(obj[1])
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    head, _created = Head.objects.select_for_update().get_or_create(id=1)
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
    event = Event.objects.create(
        seq=seq,
        at=at,
        actor=actor if label != "system" else None,
        actor_label=label,
        act=act,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        payload_digest=payload_digest,
        prev_hash=head.hash,
        hash=link,
    )
    head.seq, head.hash = seq, link
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    broken_seq: int | None = None
    problem: str = ""


def chain_verify() -> Verification:
    """Recompute every link in order; name the first one that does not hold."""
    prev = GENESIS
    count = 0
    for event in Event.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
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
            return Verification(
                False, count, prev, event.seq, f"event #{event.seq} ({event.act}): {problem}"
            )
        prev = event.hash
    head = Head.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.hash != prev):
        return Verification(
            False, count, prev, head.seq, "the stored head does not match the last event"
        )
    return Verification(True, count, prev)


def chain_head() -> str:
    head = Head.objects.filter(id=1).first()
    return head.hash if head else GENESIS
