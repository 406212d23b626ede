"""The membership timeline and meetings checked against the audit log.

Memberships decide who may block, and a meeting's date is a decision's date: both are
written only by a reference load (whose event records every span and meeting of the
organization) or, for meetings, by ``meeting_create`` (whose event records its dates)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from concord.organization.models import Meeting, Membership, Organization

if TYPE_CHECKING:
    from concord.audit.services import Log


def memberships_of(org: Organization) -> list[list[Any]]:
    rows = Membership.objects.filter(organization=org).select_related("state")
    return sorted(
        [m.pk, m.state.iso3, m.status, m.start.isoformat(), m.end.isoformat() if m.end else None]
        for m in rows
    )


def meetings_of(org: Organization) -> list[list[Any]]:
    rows = Meeting.objects.filter(organization=org).select_related("body")
    return sorted([m.pk, m.body.slug, m.start.isoformat(), m.end.isoformat()] for m in rows)


def unlogged(log: Log) -> list[tuple[str, Any, dict[str, Any]]]:
    """An organization whose membership timeline no reference load ever recorded (a
    database made before loads were audited): one ``reference.load`` event recording its
    spans and meetings as they stand. An organization with a load is never re-logged: if
    its rows differ from that load, that is tampering, not absence."""
    loaded = {e.object_id for e in log.with_act("reference.load")}
    found: list[tuple[str, Any, dict[str, Any]]] = []
    for org in Organization.objects.order_by("slug"):
        spans = memberships_of(org)
        if org.slug in loaded or not spans:
            continue
        payload = {
            "dataset": org.slug,
            "changes": {},
            "memberships": spans,
            "meetings": meetings_of(org),
        }
        found.append(("reference.load", ("organization.organization", org.slug), payload))
    return found


def check(log: Log) -> list[str]:
    problems: list[str] = []
    loads: dict[str, dict[str, Any]] = {}
    for event in log.with_act("reference.load"):
        loads[event.object_id] = event.payload
    for org in Organization.objects.order_by("slug"):
        loaded = loads.get(org.slug)
        spans = memberships_of(org)
        if loaded is None:
            if spans:
                problems.append(f"{org.slug}: its membership timeline is not in the log")
            continue
        if spans != loaded.get("memberships"):
            logged = {tuple(x) for x in loaded.get("memberships", [])}
            differ = sorted({tuple(x) for x in spans} ^ logged, key=str)
            problems.append(
                f"{org.slug}: the membership timeline differs from the log "
                f"({', '.join(' '.join(str(v) for v in d[1:]) for d in differ[:4])})"
            )
        listed = {tuple(m) for m in loaded.get("meetings", [])}
        for row in meetings_of(org):
            if tuple(row) in listed:
                continue
            created = log.about("organization.meeting", row[0], "meeting.create")
            p = created[-1].payload if created else {}
            if [p.get("body"), p.get("start"), p.get("end")] != row[1:]:
                problems.append(
                    f"meeting #{row[0]} ({row[1]} {row[2]}): its dates differ from the log"
                )
    return problems
