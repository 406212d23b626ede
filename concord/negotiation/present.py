"""Turning rows into API shapes and into the publication's ``AdoptedText`` (no queries of
their own beyond the selectors they call)."""

from __future__ import annotations

from typing import Any

from concord.negotiation import selectors
from concord.negotiation.models import Adoption, Document, Provision, Sponsorship, Version
from concord.negotiation.publication import AdoptedText, Reservation
from concord.negotiation.publication import Provision as PubProvision
from concord.organization.models import Meeting, State
from concord.organization.schemas import meeting_json as organization_meeting_json


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    """A meeting's one JSON shape (organization's ``MeetingOut``)."""
    return organization_meeting_json(meeting)


def version_summary(version: Version) -> dict[str, Any]:
    return {
        "number": version.number,
        "symbol": version.symbol,
        "note": version.note,
        "created_at": version.created_at,
    }


def provision_json(p: Provision) -> dict[str, Any]:
    texts = list(p.texts.all())
    return {
        "key": p.key,
        "kind": p.kind,
        "order": p.order,
        "parent": p.parent.key if p.parent else None,
        "texts": {t.language: t.text for t in texts},
        "stale": sorted(t.language for t in texts if t.stale),
        "brackets": [
            {"lang": t.language, "span": [b.start, b.end], "held_by": b.held_by}
            for t in texts
            for b in t.brackets.all()
        ],
    }


def version_json(version: Version) -> dict[str, Any]:
    provisions = selectors.provisions_of(version)
    return {
        **version_summary(version),
        "document": version.document_id,
        "provisions": [provision_json(p) for p in provisions],
        "bracketed": sorted(
            {p.key for p in provisions if any(t.brackets.all() for t in p.texts.all())}
        ),
    }


def document_json(document: Document, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.pk,
        "symbol": document.symbol,
        "kind": document.kind,
        "title": document.titles,
        "body": document.body.slug,
        "meeting": document.meeting_id,
        "penholder": document.penholder.iso3 if document.penholder else None,
        "classification": document.classification,
        "shared_with_partners": document.shared_with_partners,
        "languages": document.languages,
        "stage": document.stage,
        "revision": document.revision,
        "illustrative": document.illustrative,
    }
    if not detail:
        return data
    sponsorships = list(
        Sponsorship.objects.filter(document=document).select_related("state").order_by("id")
    )
    versions = selectors.versions_of(document)
    latest = versions[-1] if versions else None
    positions = selectors.current_positions(latest) if latest else {}
    adoption = Adoption.objects.filter(document=document).select_related("meeting").first()
    data.update(
        {
            "sponsors": sorted(s.state.iso3 for s in sponsorships if s.left_at is None),
            "sponsor_history": [
                {"state": s.state.iso3, "joined_at": s.joined_at, "left_at": s.left_at}
                for s in sponsorships
            ],
            "versions": [version_summary(v) for v in versions],
            "current_version": latest.number if latest else None,
            "positions": {
                iso3: {
                    "stand": p.stand,
                    "text": p.text,
                    "provisions": p.provisions,
                    "status": p.status_then,
                    "at": p.at,
                }
                for iso3, p in sorted(positions.items())
            },
            "adoption": {
                "version": adoption.version.number,
                "meeting": adoption.meeting_id,
                "on": adoption.on,
                "audit_head": adoption.audit_head,
            }
            if adoption
            else None,
        }
    )
    return data


def _label(p: Provision, counters: dict[str, int]) -> str:
    if p.kind == "preamble":
        return ""
    counters[p.kind] = counters.get(p.kind, 0) + 1
    n = counters[p.kind]
    if p.kind == "article":
        return f"Article {n}"
    if p.kind == "section":
        return f"Section {n}"
    return f"{n}."


def adopted_text(document: Document) -> AdoptedText:
    """The publication input for an adopted document (bounded queries)."""
    adoption = Adoption.objects.select_related("meeting", "meeting__body", "version").get(
        document=document
    )
    version = adoption.version
    version.document = document
    provisions = selectors.provisions_of(version)
    counters: dict[str, int] = {}
    nodes: dict[int, PubProvision] = {}
    children: dict[int | None, list[Provision]] = {}
    for p in provisions:
        children.setdefault(p.parent_id, []).append(p)
    labels = {p.pk: _label(p, counters) for p in provisions}

    def build(p: Provision) -> PubProvision:
        node = PubProvision(
            key=p.key,
            kind=p.kind,
            label=labels[p.pk],
            texts={t.language: t.text for t in p.texts.all()},
            children=tuple(build(c) for c in children.get(p.pk, [])),
        )
        nodes[p.pk] = node
        return node

    roots = tuple(build(p) for p in children.get(None, []))
    positions = selectors.current_positions(version)
    states = {s.iso3: s for s in State.objects.filter(iso3__in=list(positions))}
    first_lang = "en" if "en" in document.languages else document.languages[0]
    reservations = tuple(
        Reservation(
            state_iso3=iso3,
            state_names=states[iso3].names,
            texts={first_lang: p.text},
            provisions=(),
        )
        for iso3, p in sorted(positions.items())
        if p.stand == "reservation"
    )
    org = document.organization
    meeting = adoption.meeting
    sponsors = tuple(
        sorted(
            Sponsorship.objects.filter(document=document, left_at__isnull=True).values_list(
                "state__iso3", flat=True
            )
        )
    )
    return AdoptedText(
        org_slug=org.slug,
        org_name=org.names or org.name,
        body_name=document.body.names or document.body.name,
        body_slug=document.body.slug,
        symbol=version.symbol,
        kind=document.kind,
        titles=document.titles,
        languages=tuple(document.languages),
        official_languages=tuple(org.official_languages or ()),
        adopted_on=adoption.on,
        adopted_at_meeting=meeting.title
        or f"{meeting.body.name}, {meeting.city} ({meeting.start})",
        version_number=version.number,
        provisions=roots,
        reservations=reservations,
        chain_head=adoption.audit_head,
        document_id=document.pk,
        sponsors=sponsors,
    )
