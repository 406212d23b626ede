"""Who is calling: bearer tokens for the API, sessions (with CSRF) for the browser.

Every API auth class reads the Authorization header through ``accounts/bearer.py``. A
request that sends the header must send a good user token: a missing, malformed, expired or
revoked one is 401 with ``WWW-Authenticate: Bearer`` on any method, never a fall back to
the session and never a CSRF refusal. Without the header, the browser's session is asked,
and only a signed-in session's write is CSRF-checked.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from concord.accounts.bearer import bearer
from concord.accounts.models import ApiToken, User
from concord.common.errors import NotAuthenticated, PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def user_for_token(token: str) -> User | None:
    row = (
        ApiToken.objects.select_related("user", "user__state", "user__organization")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return row.user if row else None


def bearer_user(request: HttpRequest, *, participants_allowed: bool = False) -> User | None:
    """The user a request's bearer token names; None when no Authorization header was sent
    (or, with ``participants_allowed``, when it carries a participant token, which the
    caller reads itself). Raises 401 for any other header that does not name an active
    user's live token."""
    credential = bearer(request)
    if not credential.present:
        return None
    if participants_allowed and credential.is_participant_token:
        return None
    user = user_for_token(credential.token) if credential.is_user_token else None  # type: ignore[arg-type]
    if user is None:
        raise NotAuthenticated(_("The API token is missing, malformed, expired or revoked."))
    request.user = user
    return user


def check_session_csrf(request: HttpRequest) -> None:
    """A cookie-authenticated write must carry the CSRF token (403 otherwise)."""
    if request.method not in SAFE_METHODS and check_csrf(request) is not None:
        raise PermissionDenied(_("CSRF check failed: send the X-CSRFToken header."))


def session_user(request: HttpRequest) -> User | None:
    """The signed-in session's user (its writes CSRF-checked), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    check_session_csrf(request)
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <user token>``; declared in the schema as the bearer scheme."""

    def __call__(self, request: HttpRequest) -> Any:
        return bearer_user(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


class Session(SessionAuth):
    """Django's session; CSRF is checked only once a session user is found, so an anonymous
    write is 401 (not signed in), not 403 (CSRF)."""

    def __call__(self, request: HttpRequest) -> Any:
        if bearer(request).present:
            return None  # the header decides (BearerToken)
        return session_user(request)


class OptionalAuth:
    """Authentication that lets anonymous callers through as AnonymousUser; a bad user token
    is still 401, a participant token is anonymity as far as users go."""

    def __call__(self, request: HttpRequest) -> Any:
        user = bearer_user(request, participants_allowed=True)
        if user is not None:
            return user
        if bearer(request).present:
            request.user = AnonymousUser()
            return request.user
        user = session_user(request)
        if user is not None:
            return user
        request.user = AnonymousUser()
        return request.user


api_auth = [BearerToken(), Session()]
optional_auth = [OptionalAuth()]
