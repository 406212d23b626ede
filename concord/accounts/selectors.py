"""Fetches of accounts rows by a user-given key; the decision is ``access``'s."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.models import ApiToken
from concord.common.errors import NotFound


def token_for_actor(actor: Any, token_id: int) -> ApiToken:
    """One of the actor's own API tokens, else ``NotFound`` (another's reads as missing)."""
    access.require_authenticated(actor)
    token = ApiToken.objects.select_related("user").filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("No token %(id)s."), field="token", id=token_id)
    return token


def tokens_of(actor: Any) -> QuerySet[ApiToken]:
    """The actor's API tokens, newest first."""
    access.require_authenticated(actor)
    return ApiToken.objects.filter(user=actor).order_by("-created_at", "-pk")
