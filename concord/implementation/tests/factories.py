"""Building implementation data through the services (no shortcuts around the rules)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from concord.implementation import services
from concord.implementation.models import Activity, Commitment
from concord.negotiation import services as negotiation
from concord.negotiation.models import Document
from concord.negotiation.tests import factories as negotiation_factories
from concord.negotiation.tests.conftest import MEMBERS
from concord.organization.models import Organization


def adopted_document(
    actors: dict[str, Any],
    org: Organization,
    *,
    n: int = 4,
    symbol: str = "SCO/CHS/2025/IMPL.1",
    on: date | None = None,
) -> Document:
    """A public document of ``n`` provisions ("...agree to cooperate...") that every member
    supported, adopted at a summit on ``on`` (today: a decision is never dated before its
    version exists, and meetings are entered from today on)."""
    on = on or timezone.localdate()
    sec = actors["secretariat"].user
    doc = negotiation_factories.document(
        actors, org, n=n, symbol=symbol, classification="public", supporters=MEMBERS
    )
    meeting = negotiation.meeting_create(actor=sec, org_slug=org.slug, body="chs", start=on, end=on)
    negotiation.adoption_record(
        actor=sec, document_id=doc.pk, version_number=1, meeting_id=meeting.pk
    )
    doc.refresh_from_db()
    return doc


def commitments(
    actors: dict[str, Any], org: Organization, document: Document, n: int
) -> list[Commitment]:
    """``n`` commitments from provisions p2..p(n+1) of ``document``."""
    sec = actors["secretariat"].user
    areas = ["security", "trade", "energy", "digital", "ecology", "culture"]
    return [
        services.commitment_create(
            actor=sec,
            org_slug=org.slug,
            document_id=document.pk,
            provision=f"p{i + 2}",
            area=areas[i % len(areas)],
            lead_states=["KAZ"],
            due=date(2026, 1, 1 + i % 28),
        )
        for i in range(n)
    ]


def activities(
    actors: dict[str, Any], org: Organization, n: int, *, commitment: int | None = None
) -> list[Activity]:
    sec = actors["secretariat"].user
    kinds = ["project", "exchange", "event", "research"]
    return [
        services.activity_create(
            actor=sec,
            org_slug=org.slug,
            kind=kinds[i % 4],
            titles={"en": f"Activity {i}"},
            states=[("KAZ", "lead"), ("CHN", "participant")],
            commitments=[commitment] if commitment else [],
            start=date(2025, 1, 1),
            end=date(2026, 6, 30),
        )
        for i in range(n)
    ]
