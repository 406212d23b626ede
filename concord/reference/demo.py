"""Demo accounts for a newcomer's first look (synthetic, and labelled as such).

Idempotent: a user that exists keeps its password hash; a missing one is created.
"""

from __future__ import annotations

from django.db import transaction

from concord.accounts.models import Role, User
from concord.accounts.services import user_upsert
from concord.organization.models import Organization, State

DEMO_PASSWORD = "concord-demo"  # noqa: S105 - a published demo login, not a secret
#: The published authenticator key (hex) of every demo head and the secretariat: demo
#: only, like the password. Base32 for an app: ``DEMO_TOTP_SECRET``; the current code:
#: ``concord user demo-code NAME``.
DEMO_TOTP_KEY = "636f6e636f72642d64656d6f2d6f6e6c792d6b6579"  # "concord-demo-only-key"
DEMO_TOTP_SECRET = "MNXW4Y3POJSC2ZDFNVXS233ONR4S223FPE"  # noqa: S105 - published, demo only

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
    _demo_second_factors()
    return created


def _demo_second_factors() -> None:
    """Demo heads and the secretariat without an authenticator get the published one, so
    a newcomer signs in through the real second-factor page (``concord user demo-code``)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from concord.accounts import access, two_factor

    names = [u for u, _, _ in DEMO_USERS]
    enrolled = set(
        TOTPDevice.objects.filter(user__username__in=names, confirmed=True).values_list(
            "user__username", flat=True
        )
    )
    for user in User.objects.filter(username__in=names).exclude(username__in=enrolled):
        if access.requires_second_factor(user):
            two_factor.demo_device_set(user=user, key_hex=DEMO_TOTP_KEY)


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
    lines.append(
        "second factor (heads and the secretariat; DEMO ONLY, the key is public): "
        f"authenticator secret {DEMO_TOTP_SECRET}, or the current code from "
        "'concord user demo-code secretariat'"
    )
    for module in DEMO_MODULES:
        if apps.is_installed(module.rsplit(".", 1)[0]):
            lines.extend(import_module(module).load_demo())
    return lines
