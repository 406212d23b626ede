"""Sign-in limits (django-axes): the lock-out answer and its audit event.

Ten wrong passwords are answered as wrong; the eleventh locks the account and the address
it came from (``AXES_LOCKOUT_PARAMETERS``: each on its own) for ``AXES_COOLOFF_TIME``, on
/login/ and /admin/login/ alike, since both authenticate through the axes backend.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from concord.audit.services import event_append
from concord.common.privacy import pseudonym


def _retry_after() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return int(cooloff.total_seconds()) if cooloff else 3600


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429 with Retry-After, in the page's language (AXES_LOCKOUT_CALLABLE)."""
    seconds = _retry_after()
    response = render(
        request, "accounts/locked_out.html", {"minutes": max(1, seconds // 60)}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def record_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """Receiver of axes' ``user_locked_out``: a lock-out is a security-relevant act."""
    address = str(kwargs.get("ip_address") or "")
    with transaction.atomic():
        event_append(
            actor=None,
            act="signin.locked_out",
            obj=("accounts.user", username or ""),
            payload={
                "username": username or "",
                "address": pseudonym(address, purpose="address"),
                "path": request.path if request is not None else "",
            },
        )
