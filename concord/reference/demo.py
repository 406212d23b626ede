"""Demo accounts for a newcomer's first look (synthetic, and labelled as such).

Idempotent: a user that exists keeps its password hash; a missing one is created.
"""

from __future__ import annotations

from django.db import transaction

from concord.accounts.models import Role, User
from concord.accounts.services import user_upsert
from concord.organization.models import Organization, State

DEMO_PASSWORD = "concord-demo"  # noqa: S105 - a published demo login, not a secret

#: (username, role, state); heads of all ten members, a delegate, an observer's and a
#: dialogue partner's head.
DEMO_USERS: list[tuple[str, str, str | None]] = [
    ("secretariat", Role.SECRETARIAT, None),
    *[
        (f"head-{iso3.lower()}", Role.HEAD, iso3)
        for iso3 in ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
    ],
    ("delegate-kaz", Role.DELEGATE, "KAZ"),
    ("head-mng", Role.HEAD, "MNG"),
    ("head-tur", Role.HEAD, "TUR"),
    ("participant", Role.PARTICIPANT, None),
]


@transaction.atomic
def load_demo_users(org_slug: str = "sco") -> list[str]:
    """Create the demo users that are missing; returns the usernames created."""
    org = Organization.objects.get(slug=org_slug)
    states = {s.iso3: s for s in State.objects.all()}
    existing = set(
        User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    created = []
    for username, role, iso3 in DEMO_USERS:
        if username in existing:
            continue
        user_upsert(
            username=username,
            role=role,
            organization=org,
            state=states[iso3] if iso3 else None,
            password=DEMO_PASSWORD,
        )
        created.append(username)
    return created


#: Demo loaders of the other apps, in order; each is idempotent and returns lines to print.
DEMO_MODULES = [
    "concord.negotiation.demo",
    "concord.consultation.demo",
    "concord.implementation.demo",
]


def load_demo() -> list[str]:
    from importlib import import_module

    from django.apps import apps

    created = load_demo_users()
    lines = [
        f"demo accounts created: {', '.join(created)}" if created else "demo accounts: present"
    ]
    lines.append(
        "sign in as 'secretariat', 'head-kaz' (Kazakhstan's head of delegation), 'head-mng' "
        f"(an observer), 'head-tur' (a dialogue partner)... password '{DEMO_PASSWORD}'"
    )
    for module in DEMO_MODULES:
        if apps.is_installed(module.rsplit(".", 1)[0]):
            lines.extend(import_module(module).load_demo())
    return lines
