"""Writes for the inbox: turning audit events into notifications, sending them by e-mail
(at once or in a daily digest), marking them read, and each user's settings.

Who hears of what:
- ``position_needed``, ``silence_opened``, ``silence_expiring``: the heads of delegation of
  every state with a status in the organization today that may read the document (they are
  the ones who answer for their state);
- ``stage_changed``: the delegations (heads and delegates) of the document's sponsors and of
  its penholder;
- ``amendment_decided``: the delegation of the state that proposed the amendment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.models import DELEGATION_ROLES, Role, User
from concord.audit.models import Event
from concord.common.errors import InvalidInput
from concord.consensus import membership
from concord.inbox import present
from concord.inbox.models import Channel, Cursor, InboxSettings, Kind, Notification
from concord.negotiation.models import Amendment, Document, SilenceProcedure, SilenceStatus
from concord.organization import selectors as organization_selectors

#: A user who has chosen nothing hears of everything by e-mail at once.
DEFAULT_CHANNEL = Channel.EMAIL
#: How long before its deadline a running silence procedure is announced again.
EXPIRY_WARNING = timedelta(hours=24)
#: How often a digest goes out, at most.
DIGEST_EVERY = timedelta(hours=24)

#: The acts that move a document to another stage, and the stage they move it to.
STAGE_AFTER = {
    "document.adopt": "adopted",
    "document.withdraw": "withdrawn",
    "silence.expire": "agreed",
    "silence.break": "negotiation",
}


@dataclass(frozen=True)
class _Note:
    users: list[User]
    kind: Kind
    key: str
    document: Document
    params: dict[str, Any]


#: Per dispatch round: an organization's heads with their state's status today, so a
#: batch of events reads the timeline and the heads once per organization, not per event.
_Heads = dict[int, list[tuple[User, membership.Status]]]


def _heads_concerned(document: Document, known: _Heads) -> list[User]:
    """Heads of every state with a status in the organization today who may read it."""
    org = document.organization
    if org.pk not in known:
        timeline = organization_selectors.timeline(org)
        today = timezone.localdate()
        heads = User.objects.filter(
            organization=org, role=Role.HEAD, is_active=True
        ).select_related("state", "organization")
        known[org.pk] = [
            (head, membership.status(head.state.iso3, timeline, today))
            for head in heads
            if head.state is not None  # a head always has a state (a database constraint)
        ]
    return [
        head
        for head, status in known[org.pk]
        if status != membership.Status.NONE
        and access.may_read_document(head, document, status=status)
    ]


def _delegations_of(org_id: int, state_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            organization_id=org_id,
            role__in=DELEGATION_ROLES,
            state_id__in=list(state_ids),
            is_active=True,
        )
    )


def _sponsors_and_pen(document: Document) -> set[int]:
    states = set(
        document.sponsorships.filter(left_at__isnull=True).values_list("state_id", flat=True)
    )
    if document.penholder_id is not None:
        states.add(document.penholder_id)
    return states


def _document_params(document: Document, event: Event) -> dict[str, Any]:
    return {"symbol": document.symbol, "version": event.payload.get("version")}


def _notes_for(event: Event, documents: dict[int, Document], known: _Heads) -> list[_Note]:
    document_id = event.payload.get("document") if isinstance(event.payload, dict) else None
    if event.object_type == "negotiation.document":
        document_id = int(event.object_id)
    document = documents.get(int(document_id)) if document_id is not None else None
    if document is None:
        return []
    key = f"event:{event.seq}"
    params = _document_params(document, event)
    if event.act == "version.create":
        return [
            _Note(_heads_concerned(document, known), Kind.POSITION_NEEDED, key, document, params)
        ]
    if event.act == "silence.open":
        params["deadline"] = event.payload.get("deadline")
        return [
            _Note(_heads_concerned(document, known), Kind.SILENCE_OPENED, key, document, params)
        ]
    notes = []
    if event.act in STAGE_AFTER:
        params = {**params, "stage": STAGE_AFTER[event.act]}
        users = _delegations_of(document.organization_id, _sponsors_and_pen(document))
        notes.append(_Note(users, Kind.STAGE_CHANGED, key, document, params))
    if event.act in ("amendment.accept", "amendment.reject"):
        amendment = Amendment.objects.filter(pk=int(event.object_id)).first()
        if amendment is not None:
            params = {
                **params,
                "provision": amendment.provision_key,
                "decision": amendment.status,
                "version": amendment.version.number,
            }
            users = _delegations_of(document.organization_id, [amendment.state_id])
            notes.append(_Note(users, Kind.AMENDMENT_DECIDED, key, document, params))
    return notes


def _store(notes: Iterable[_Note], now: datetime) -> int:
    rows = [
        Notification(
            user=user,
            kind=note.kind,
            key=note.key,
            document=note.document,
            params=note.params,
            created_at=now,
        )
        for note in notes
        for user in note.users
    ]
    # A notification already made (a second worker, a second round) is skipped, not doubled.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def notifications_dispatch(*, batch: int = 500) -> int:
    """Turn the audit events not yet read into notifications, ``batch`` at a time, and
    announce running silence procedures that expire within ``EXPIRY_WARNING``. Several
    workers may run it at once: the cursor row is locked, and notifications are unique."""
    cursor = Cursor.objects.select_for_update().filter(name="audit").first()
    if cursor is None:
        Cursor.objects.get_or_create(name="audit")
        cursor = Cursor.objects.select_for_update().get(name="audit")
    events = list(Event.objects.filter(seq__gt=cursor.seq).order_by("seq")[:batch])
    now = timezone.now()
    made = 0
    known: _Heads = {}
    if events:
        ids = set()
        for event in events:
            payload = event.payload if isinstance(event.payload, dict) else {}
            if event.object_type == "negotiation.document":
                ids.add(int(event.object_id))
            elif isinstance(payload.get("document"), int):
                ids.add(payload["document"])
        documents = Document.objects.select_related("organization").in_bulk(ids)
        made += _store((n for e in events for n in _notes_for(e, documents, known)), now)
        cursor.seq = events[-1].seq
        cursor.save(update_fields=["seq"])
    expiring = SilenceProcedure.objects.filter(
        outcome=SilenceStatus.RUNNING, deadline__gt=now, deadline__lte=now + EXPIRY_WARNING
    ).select_related("version__document__organization")
    for silence in expiring:
        document = silence.version.document
        key = f"silence:{silence.pk}:expiring"
        params = {
            "symbol": document.symbol,
            "version": silence.version.number,
            "deadline": silence.deadline.isoformat(),
        }
        users = _heads_concerned(document, known)
        already = set(
            Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True)
        )
        fresh = [u for u in users if u.pk not in already]
        if fresh:
            made += _store([_Note(fresh, Kind.SILENCE_EXPIRING, key, document, params)], now)
    return made


def channel_of(user_settings: InboxSettings | None, kind: str) -> str:
    if user_settings is None:
        return DEFAULT_CHANNEL
    return str(user_settings.channels.get(kind, DEFAULT_CHANNEL))


def _language(user_settings: InboxSettings | None) -> str:
    return (user_settings.language if user_settings else "") or settings.LANGUAGE_CODE


@transaction.atomic
def notifications_email(*, now: datetime | None = None, batch: int = 500) -> int:
    """Send what is due: each notification whose channel is e-mail, at once; for each user
    whose channel is the digest and whose last digest is a day old, one e-mail with all of
    them. Returns how many e-mails went out. A notification is marked as sent in the same
    transaction, so a failure sends it again next round rather than never."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user", "user__inbox_settings")
        .order_by("id")[:batch]
    )
    sent = 0
    digests: dict[int, list[Notification]] = {}
    for note in pending:
        user_settings = getattr(note.user, "inbox_settings", None)
        channel = channel_of(user_settings, note.kind)
        if channel == Channel.EMAIL:
            with translation.override(_language(user_settings)):
                send_mail(
                    present.subject(note),
                    present.body([note]),
                    None,
                    [note.user.email],
                )
            note.emailed_at = now
            note.save(update_fields=["emailed_at"])
            sent += 1
        elif channel == Channel.DIGEST:
            last = user_settings.digest_sent_at if user_settings else None
            if last is None or now - last >= DIGEST_EVERY:
                digests.setdefault(note.user_id, []).append(note)
    for notes in digests.values():
        user = notes[0].user
        user_settings = user.inbox_settings
        with translation.override(_language(user_settings)):
            send_mail(present.digest_subject(len(notes)), present.body(notes), None, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
        user_settings.digest_sent_at = now
        user_settings.save(update_fields=["digest_sent_at"])
        sent += 1
    return sent


@transaction.atomic
def notifications_mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read: the given ones, or all when ``ids`` is None."""
    access.require_authenticated(actor)
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def inbox_settings_set(*, actor: User, channels: dict[str, str], language: str) -> InboxSettings:
    """Save how the actor hears of each kind of notification, and in which language."""
    access.require_authenticated(actor)
    for kind, channel in channels.items():
        if kind not in Kind.values:
            raise InvalidInput(
                _("There is no kind of notification called %(value)s."),
                field="channels",
                value=kind,
            )
        if channel not in Channel.values:
            raise InvalidInput(
                _("%(value)s is not a way to receive notifications."), field=kind, value=channel
            )
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput(
            _("%(value)s is not a language of this site."), field="language", value=language
        )
    row, _created = InboxSettings.objects.select_for_update().get_or_create(user=actor)
    row.channels = {kind: channels.get(kind, channel_of(row, kind)) for kind in Kind.values}
    row.language = language
    row.full_clean()
    row.save()
    return row
