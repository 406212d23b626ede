"""Signing in from tests, second factor included: the one way for every test.

- ``login_verified(client, user)``: Django's ``client.force_login`` plus a verified second
  factor for roles that need one (heads of delegation, the secretariat). Use it instead of
  ``client.force_login`` for any user; for a delegate or participant it is force_login.
- ``enrol_known_totp(user)`` gives a user an authenticator with ``TEST_TOTP_KEY`` and
  ``totp_code()`` gives its current code, for tests that type the code into a form (the
  browser helper ``tests/browser/conftest.py: sign_in`` does).
"""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.accounts import access, two_factor

#: A published test key (hex, 20 bytes): protects nothing, used by tests only.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"
TEST_DEVICE = "test"


def enrol_known_totp(user: Any, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """The user's only authenticator, with ``key``, never used yet (so the current code
    is accepted even if a previous sign-in in this 30-second step used it)."""
    TOTPDevice.objects.filter(user=user).exclude(name=TEST_DEVICE).delete()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name=TEST_DEVICE,
        defaults={"key": key, "confirmed": True, "last_t": -1, "drift": 0},
    )
    return device


def totp_code(key: str = TEST_TOTP_KEY, *, at: float | None = None) -> str:
    """The six digits an authenticator holding ``key`` shows at ``at`` (default: now)."""
    return two_factor.totp_code(key, at=at)


def login_verified(client: Any, user: Any) -> Any:
    """Sign ``user`` in on a test client, past the second factor when the role needs it.
    Returns the client."""
    client.force_login(user)
    if access.requires_second_factor(user):
        device = enrol_known_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
