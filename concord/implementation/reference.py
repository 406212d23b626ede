"""Priority areas as reference data.

For the SCO, the six priorities of a chairmanship named in the design (security and
stability; trade and economic ties; energy; the digital sphere; ecology; culture, education
and humanitarian ties). Idempotent: a second load changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from concord.accounts.actor import Actor
from concord.implementation import services
from concord.organization.models import Organization

AREAS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "sco": [
        (
            "security",
            {
                "en": "Security and stability",
                "ru": "Безопасность и стабильность",
                "zh": "安全与稳定",
            },
        ),
        (
            "trade",
            {
                "en": "Trade and economic ties",
                "ru": "Торгово-экономические связи",
                "zh": "经贸联系",
            },
        ),
        ("energy", {"en": "Energy", "ru": "Энергетика", "zh": "能源"}),
        ("digital", {"en": "The digital sphere", "ru": "Цифровая сфера", "zh": "数字领域"}),
        ("ecology", {"en": "Ecology", "ru": "Экология", "zh": "生态"}),
        (
            "culture",
            {
                "en": "Culture, education and humanitarian ties",
                "ru": "Культурные, образовательные и гуманитарные связи",
                "zh": "文化、教育和人文联系",
            },
        ),
    ],
}


@transaction.atomic
def load_areas(org_slug: str = "sco", *, actor: Actor = None) -> int:
    """Load the priority areas of ``org_slug``; returns how many there are."""
    org = Organization.objects.get(slug=org_slug)
    areas = AREAS.get(org_slug, [])
    for order, (slug, names) in enumerate(areas, start=1):
        services.area_ensure(actor=actor, org_slug=org.slug, slug=slug, names=names, order=order)
    return len(areas)
