"""Notifications in words: each sentence is built from the stored facts when it is read, in
the reader's language (the facts are stored, never the English sentence)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.inbox.models import Kind, Notification
from concord.negotiation.models import AmendmentStatus, Stage


def _deadline(value: object) -> str:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return when.strftime("%Y-%m-%d %H:%M %Z").strip()


def describe(note: Notification) -> str:
    p = note.params
    symbol, version = p.get("symbol", ""), p.get("version", "")
    if note.kind == Kind.POSITION_NEEDED:
        return _("%(symbol)s: version %(version)s asks for your state's position.") % {
            "symbol": symbol,
            "version": version,
        }
    if note.kind == Kind.SILENCE_OPENED:
        return _(
            "%(symbol)s: a silence procedure on version %(version)s runs until %(deadline)s."
        ) % {"symbol": symbol, "version": version, "deadline": _deadline(p.get("deadline"))}
    if note.kind == Kind.SILENCE_EXPIRING:
        return _(
            "%(symbol)s: the silence procedure on version %(version)s expires at %(deadline)s."
        ) % {"symbol": symbol, "version": version, "deadline": _deadline(p.get("deadline"))}
    if note.kind == Kind.STAGE_CHANGED:
        stage = p.get("stage", "")
        label = Stage(stage).label if stage in Stage.values else stage
        return _("%(symbol)s is now at the stage: %(stage)s.") % {
            "symbol": symbol,
            "stage": label,
        }
    decision = p.get("decision", "")
    label = AmendmentStatus(decision).label if decision in AmendmentStatus.values else decision
    return _("%(symbol)s: your state's amendment to provision %(provision)s was %(decision)s.") % {
        "symbol": symbol,
        "provision": p.get("provision", ""),
        "decision": label,
    }


def link(note: Notification) -> str:
    if note.document_id is None:
        return reverse("inbox:me")
    return reverse("negotiation:document", args=[note.document_id])


def subject(note: Notification) -> str:
    return _("Concord: %(what)s") % {"what": describe(note)}


def digest_subject(count: int) -> str:
    return ngettext(
        "Concord: %(count)s notification of the past day",
        "Concord: %(count)s notifications of the past day",
        count,
    ) % {"count": count}


def body(notes: Sequence[Notification]) -> str:
    base = getattr(settings, "CONCORD_SITE_URL", "").rstrip("/")
    lines = [f"- {describe(n)}\n  {base}{link(n)}" for n in notes]
    footer = _("Choose what you receive: %(url)s") % {"url": base + reverse("inbox:settings")}
    return "\n".join([*lines, "", footer]) + "\n"
