"""Who is calling: bearer tokens for the API, sessions (with CSRF) for the browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from concord.accounts.models import ApiToken, User


def user_for_token(token: str) -> User | None:
    row = (
        ApiToken.objects.select_related("user", "user__state", "user__organization")
        .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return row.user if row else None


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """Django's session auth; ninja enforces CSRF for unsafe methods on this one."""


class OptionalAuth:
    """Authentication that lets anonymous callers through as AnonymousUser."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = user_for_token(header[7:].strip())
            if user is not None:
                request.user = user
                return user
            return None  # a wrong token is an error, not anonymity
        if getattr(request, "user", None) is None:
            request.user = AnonymousUser()
        return request.user


api_auth = [BearerToken(), Session(csrf=True)]
optional_auth = [OptionalAuth()]
