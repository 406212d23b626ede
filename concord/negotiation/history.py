"""A document's history, read from the audit log: every act on it or on its versions,
texts, amendments, positions, silence procedures and adoption, oldest first.

The log is the record of who did what, when; the history shows it rather than a second
account of it. A fixed number of queries: one per kind of row, then the events, found
through the log's (object type, object id) index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from concord.audit.models import Event
from concord.negotiation.models import (
    Adoption,
    Amendment,
    Document,
    Explanation,
    Position,
    ProvisionText,
    SilenceProcedure,
    Version,
)


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    #: The acting state's code, or the role that acted (secretariat, system).
    who: str
    what: str
    details: str
    #: The link in the hash chain: anyone can check it with ``concord audit verify``.
    hash: str


def _objects(document: Document) -> dict[str, list[Any]]:
    return {
        "negotiation.document": [document.pk],
        "negotiation.version": list(
            Version.objects.filter(document=document).values_list("pk", flat=True)
        ),
        "negotiation.provisiontext": list(
            ProvisionText.objects.filter(provision__version__document=document).values_list(
                "pk", flat=True
            )
        ),
        "negotiation.amendment": list(
            Amendment.objects.filter(document=document).values_list("pk", flat=True)
        ),
        "negotiation.position": list(
            Position.objects.filter(version__document=document).values_list("pk", flat=True)
        ),
        "negotiation.silenceprocedure": list(
            SilenceProcedure.objects.filter(version__document=document).values_list("pk", flat=True)
        ),
        "negotiation.adoption": list(
            Adoption.objects.filter(document=document).values_list("pk", flat=True)
        ),
        "negotiation.explanation": list(
            Explanation.objects.filter(adoption__document=document).values_list("pk", flat=True)
        ),
    }


def _what(act: str) -> str:
    labels = {
        "document.submit": _("submitted the document"),
        "document.withdraw": _("withdrew the document"),
        "document.sponsor_join": _("joined the sponsors"),
        "document.sponsor_leave": _("left the sponsors"),
        "document.adopt": _("recorded the adoption"),
        "version.create": _("issued a version"),
        "translation.verify": _("verified a translation"),
        "amendment.propose": _("proposed an amendment"),
        "amendment.accept": _("accepted an amendment"),
        "amendment.reject": _("rejected an amendment"),
        "position.set": _("set a position"),
        "silence.open": _("opened a silence procedure"),
        "silence.break": _("broke the silence"),
        "silence.expire": _("silence expired: agreed"),
        "explanation.add": _("added an explanation of position"),
    }
    return labels.get(act, act)


#: Payload fields worth a reader's eye, in the order shown.
_SHOWN = ("version", "number", "state", "stand", "provision", "key", "lang", "op", "status")
_SHOWN_TEXT = ("reason", "deadline")


def _details(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    parts = [f"{k}: {payload[k]}" for k in _SHOWN if payload.get(k) not in (None, "")]
    parts += [f"{k}: {payload[k]}" for k in _SHOWN_TEXT if payload.get(k)]
    return " · ".join(str(p) for p in parts)


def _who(event: Event) -> str:
    actor = event.actor
    if actor is None:
        return _("system")
    if actor.state is not None:
        return str(actor.state.iso3)
    return str(actor.get_role_display())


def document_history(document: Document) -> list[Entry]:
    where = Q(pk__in=[])
    for object_type, ids in _objects(document).items():
        if ids:
            where |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    events = Event.objects.filter(where).select_related("actor__state").order_by("seq")
    return [Entry(e.seq, e.at, _who(e), _what(e.act), _details(e.payload), e.hash) for e in events]
