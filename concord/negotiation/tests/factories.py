"""Building documents through the services (no shortcuts around the rules)."""

from __future__ import annotations

from typing import Any

from concord.negotiation import services
from concord.negotiation.models import Document
from concord.organization.models import Organization


def provisions(n: int, *, bracket_first: bool = False) -> list[services.ProvisionIn]:
    items = []
    for i in range(1, n + 1):
        en = f"Paragraph {i}: the Member States agree to cooperate on matter number {i}."
        brackets: tuple[services.BracketIn, ...] = ()
        if bracket_first and i == 1:
            brackets = (services.BracketIn(0, 9, ("IND",), "en"),)
        items.append(
            services.ProvisionIn(
                key=f"p{i}",
                kind="preamble" if i == 1 else "operative",
                texts={"en": en, "ru": f"Пункт {i}.", "zh": f"第{i}段。"},
                brackets=brackets,
            )
        )
    return items


def document(
    actors: dict[str, Any],
    org: Organization,
    *,
    n: int = 3,
    symbol: str = "SCO/CHS/2025/DEC.1",
    classification: str = "restricted",
    shared: bool = False,
    bracket_first: bool = False,
    supporters: tuple[str, ...] = (),
) -> Document:
    """A document in negotiation, penned by Kazakhstan, with one version of ``n``
    provisions and a support from each state in ``supporters``."""
    kaz = actors["head-kaz"].user
    doc = services.document_submit(
        actor=kaz,
        org_slug=org.slug,
        symbol=symbol,
        kind="declaration",
        titles={"en": "A test declaration", "ru": "Декларация", "zh": "宣言"},
        body="chs",
        languages=["en", "ru", "zh"],
        sponsors=["KAZ"],
        classification=classification,
        shared_with_partners=shared,
    )
    services.version_create(
        actor=kaz, document_id=doc.pk, provisions=provisions(n, bracket_first=bracket_first)
    )
    for iso3 in supporters:
        services.position_set(
            actor=actors[f"head-{iso3.lower()}"].user,
            document_id=doc.pk,
            version_number=1,
            iso3=iso3,
            stand="support",
        )
    doc.refresh_from_db()
    return doc
