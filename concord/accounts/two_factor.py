"""Two factors (django-otp): TOTP for heads of delegation and the secretariat.

A user whose role requires it (``access.requires_second_factor``) signs in with a password
and then a code: six digits from an authenticator app (a confirmed ``TOTPDevice``) or one
of ten recovery codes (a ``StaticDevice``, each code deleted when used). Enrolment, each
use of a recovery code and a reset are audited; the codes themselves never are.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.accounts.models import User
from concord.audit.services import event_append

RECOVERY_CODES = 10
#: The device names Concord gives; a demo device is named ``DEMO_DEVICE``.
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
DEMO_DEVICE = "demo"


@dataclass(frozen=True)
class Check:
    """The outcome of a code: which device matched (None: none did) and, for a recovery
    code, how many remain."""

    device: TOTPDevice | StaticDevice | None
    recovery_left: int | None = None
    #: Seconds to wait before the next try, after repeated wrong codes (django-otp).
    wait_seconds: int = 0


def totp_code(key_hex: str, *, at: float | None = None) -> str:
    """The six digits an authenticator holding ``key_hex`` shows at ``at`` (default now)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_of(device: TOTPDevice) -> str:
    """The key as base32 without padding: what an authenticator app takes by hand."""
    return base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created once and reused until
    confirmed, so that reloading the page does not change the secret being scanned."""
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=TOTP_NAME)
        .first()
    )
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return pending


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code it shows; returns it and ten fresh
    recovery codes (to be shown once), or None when the code is wrong. Any older
    authenticator and recovery codes are replaced."""
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=TOTP_NAME)
        .first()
    )
    if pending is None or not pending.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    StaticDevice.objects.filter(user=user).delete()
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    event_append(
        actor=user,
        act="otp.enrol",
        obj=pending,
        payload={"user": user.username, "recovery_codes": len(codes)},
    )
    return pending, codes


def _recovery_codes_issue(user: User) -> list[str]:
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def code_check(*, user: User, code: str) -> Check:
    """Match a code against the user's authenticator, then their recovery codes. A
    recovery code works once (django-otp deletes it) and its use is audited. Each device
    throttles repeated failures (django-otp's growing delay)."""
    code = "".join(code.split()).lower()
    if not code:
        return Check(None)
    wait = _throttled_for(user)
    if wait:
        return Check(None, wait_seconds=wait)
    for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if code.isdigit() and totp.verify_token(code):
            return Check(totp)
    for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if static.verify_token(code):
            left = static.token_set.count()
            event_append(
                actor=user,
                act="otp.recovery_used",
                obj=static,
                payload={"user": user.username, "left": left},
            )
            return Check(static, recovery_left=left)
    return Check(None)


def _throttled_for(user: User) -> int:
    """Seconds until the user's devices accept a code again (0: now)."""
    from django.utils import timezone

    wait = 0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            allowed, info = device.verify_is_allowed()
            if not allowed and info and info.get("locked_until"):
                left = (info["locked_until"] - timezone.now()).total_seconds()
                wait = max(wait, int(left) + 1)
    return wait


@transaction.atomic
def second_factor_reset(*, user: User, by: str) -> int:
    """Remove every device of the user (a lost phone): the next sign-in enrols anew.
    ``by`` says who reset it (a command's operator). Returns how many devices went."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    event_append(
        actor=None,
        act="otp.reset",
        obj=user,
        payload={"user": user.username, "by": by, "devices": removed},
    )
    return removed


@transaction.atomic
def demo_device_set(*, user: User, key_hex: str) -> TOTPDevice:
    """Give a demo account an authenticator with a published key (``concord load-demo``
    only; the key is in the README, so such a device protects nothing)."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE, defaults={"key": key_hex, "confirmed": True}
    )
    event_append(
        actor=None, act="otp.enrol", obj=device, payload={"user": user.username, "demo": True}
    )
    return device
