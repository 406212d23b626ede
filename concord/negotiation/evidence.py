"""The negotiation's decision rows checked against the audit log (see ``audit.services``).

Each row a decision depends on was written together with an event; here every row is
compared with its event and every event with its row, so an edit, an insert or a delete
made behind the services' back is named by ``concord audit verify``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from concord.audit import chain
from concord.negotiation import selectors
from concord.negotiation.models import (
    Adoption,
    Amendment,
    AmendmentStatus,
    Document,
    Position,
    SilenceProcedure,
    SilenceStatus,
    Stage,
    Version,
)

if TYPE_CHECKING:
    from concord.audit.services import Log


def version_rows(version: Version) -> dict[str, Any]:
    """The stored text of a version as the log records it: a digest of every provision
    (key, kind, parent, order, every language's text) and the list of its brackets."""
    provisions = selectors.provisions_of(version)
    text = [
        [
            p.key,
            p.kind,
            p.parent.key if p.parent else "",
            p.order,
            [[t.language, t.text] for t in sorted(p.texts.all(), key=lambda t: t.language)],
        ]
        for p in provisions
    ]
    brackets = sorted(
        [p.key, t.language, b.start, b.end, list(b.held_by)]
        for p in provisions
        for t in p.texts.all()
        for b in t.brackets.all()
    )
    return {"rows_digest": chain.digest(text), "brackets": brackets}


def _missing(log: Log, object_type: str, act: str, present: set[str], what: str) -> list[str]:
    gone = sorted({e.object_id for e in log.with_act(act)} - present, key=int)
    return [f"{what} #{pk} is in the log but its row is gone" for pk in gone]


def _positions(log: Log) -> list[str]:
    problems: list[str] = []
    rows = Position.objects.select_related("version", "state").order_by("pk")
    for row in rows:
        events = log.about("negotiation.position", row.pk, "position.set")
        if not events:
            problems.append(f"position #{row.pk} ({row.state.iso3}) is not in the log")
            continue
        p = events[-1].payload
        found = {
            "document": row.version.document_id,
            "version": row.version.number,
            "state": row.state.iso3,
            "stand": row.stand,
            "text": row.text,
            "provisions": list(row.provisions),
        }
        if any(p.get(k) != v for k, v in found.items()):
            problems.append(f"position #{row.pk} ({row.state.iso3}) differs from the log")
    present = {str(pk) for pk in Position.objects.values_list("pk", flat=True)}
    return problems + _missing(log, "negotiation.position", "position.set", present, "position")


def _versions(log: Log) -> list[str]:
    problems: list[str] = []
    for row in Version.objects.order_by("pk"):
        events = log.about("negotiation.version", row.pk, "version.create")
        if not events:
            problems.append(f"version #{row.pk} ({row.symbol}) is not in the log")
            continue
        p = events[-1].payload
        if [p.get("document"), p.get("number"), p.get("symbol")] != [
            row.document_id,
            row.number,
            row.symbol,
        ]:
            problems.append(f"version #{row.pk} ({row.symbol}) differs from the log")
            continue
        stored = version_rows(row)
        if "rows_digest" in p and p["rows_digest"] != stored["rows_digest"]:
            problems.append(f"version {row.symbol}: its text differs from the log")
        if sorted(p.get("brackets", [])) != stored["brackets"]:
            problems.append(f"version {row.symbol}: its brackets differ from the log")
    present = {str(pk) for pk in Version.objects.values_list("pk", flat=True)}
    return problems + _missing(log, "negotiation.version", "version.create", present, "version")


def _amendments(log: Log) -> list[str]:
    problems: list[str] = []
    for row in Amendment.objects.select_related("version", "state").order_by("pk"):
        proposed = log.about("negotiation.amendment", row.pk, "amendment.propose")
        if not proposed:
            problems.append(f"amendment #{row.pk} is not in the log")
            continue
        p = proposed[-1].payload
        found = [row.document_id, row.version.number, row.provision_key, row.op, row.texts]
        logged = [p.get("document"), p.get("version"), p.get("provision"), p.get("op")]
        if found != [*logged, p.get("texts")] or p.get("state") != row.state.iso3:
            problems.append(f"amendment #{row.pk} differs from the log")
            continue
        decided = log.about("negotiation.amendment", row.pk, "amendment.accept", "amendment.reject")
        status = decided[-1].payload.get("status") if decided else AmendmentStatus.PROPOSED
        if status != row.status:
            problems.append(f"amendment #{row.pk}: its status differs from the log")
    present = {str(pk) for pk in Amendment.objects.values_list("pk", flat=True)}
    return problems + _missing(
        log, "negotiation.amendment", "amendment.propose", present, "amendment"
    )


def _silences(log: Log) -> list[str]:
    problems: list[str] = []
    withdrawn = {e.object_id for e in log.with_act("document.withdraw")}
    for row in SilenceProcedure.objects.select_related("version", "broken_by").order_by("pk"):
        opened = log.about("negotiation.silenceprocedure", row.pk, "silence.open")
        if not opened:
            problems.append(f"silence procedure #{row.pk} is not in the log")
            continue
        p = opened[-1].payload
        deadline = datetime.fromisoformat(str(p.get("deadline")))
        if [p.get("document"), p.get("version")] != [
            row.version.document_id,
            row.version.number,
        ] or deadline != row.deadline:
            problems.append(f"silence procedure #{row.pk}: its deadline differs from the log")
            continue
        closing = log.about(
            "negotiation.silenceprocedure", row.pk, "silence.break", "silence.expire"
        )
        if closing and closing[-1].act == "silence.break":
            expected = SilenceStatus.BROKEN
            if (row.broken_by.iso3 if row.broken_by else None) != closing[-1].payload.get("state"):
                problems.append(f"silence procedure #{row.pk}: who broke it differs from the log")
        elif closing:
            expected = SilenceStatus.EXPIRED
        elif str(row.version.document_id) in withdrawn:
            expected = SilenceStatus.BROKEN  # withdrawing a document ends its silence
        else:
            expected = SilenceStatus.RUNNING
        if row.outcome != expected:
            problems.append(
                f"silence procedure #{row.pk}: outcome {row.outcome}, the log says {expected}"
            )
    present = {str(pk) for pk in SilenceProcedure.objects.values_list("pk", flat=True)}
    return problems + _missing(
        log, "negotiation.silenceprocedure", "silence.open", present, "silence procedure"
    )


def _adoptions(log: Log) -> list[str]:
    """Each adoption recorded the chain head its own event sealed: that event must still be
    in the log, at that hash, saying the same thing."""
    problems: list[str] = []
    by_hash = {e.hash: e for e in log.events}
    for row in Adoption.objects.select_related("version").order_by("pk"):
        events = log.about("negotiation.adoption", row.pk, "document.adopt")
        sealed = by_hash.get(row.audit_head)
        if sealed is None:
            problems.append(
                f"adoption of document #{row.document_id}: its recorded head "
                f"{row.audit_head[:12]} is not in the log (truncated or rewritten)"
            )
            continue
        if not events or sealed.pk != events[-1].pk:
            problems.append(f"adoption of document #{row.document_id}: its head seals another act")
            continue
        p = sealed.payload
        if [p.get("document"), p.get("version"), p.get("meeting"), p.get("on")] != [
            row.document_id,
            row.version.number,
            row.meeting_id,
            row.on.isoformat(),
        ]:
            problems.append(f"adoption of document #{row.document_id} differs from the log")
    present = {str(pk) for pk in Adoption.objects.values_list("pk", flat=True)}
    problems += _missing(log, "negotiation.adoption", "document.adopt", present, "adoption")
    adopted = set(Adoption.objects.values_list("document_id", flat=True))
    for doc in Document.objects.filter(stage=Stage.ADOPTED).exclude(pk__in=adopted):
        problems.append(f"document {doc.symbol} reads adopted without an adoption")
    for doc in Document.objects.filter(stage=Stage.WITHDRAWN).order_by("pk"):
        if not log.about("negotiation.document", doc.pk, "document.withdraw"):
            problems.append(f"document {doc.symbol} reads withdrawn; the log never withdrew it")
    return problems


def check(log: Log) -> list[str]:
    return [
        *_positions(log),
        *_versions(log),
        *_amendments(log),
        *_silences(log),
        *_adoptions(log),
    ]
