"""Fetches of accounts rows by a user-given key; the decision is ``access``'s."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.accounts.models import ApiToken
from concord.common.errors import NotFound


def token_for_actor(actor: Actor, token_id: int, *, for_update: bool = False) -> ApiToken:
    """One of the actor's own API tokens, else ``NotFound`` (another's reads as missing).

    With ``for_update`` the row is locked (call inside ``transaction.atomic``)."""
    user = access.require_authenticated(actor)
    qs = ApiToken.objects.select_related("user")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    token = qs.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("No token %(id)s."), field="token", id=token_id)
    return token


def tokens_of(actor: Actor) -> QuerySet[ApiToken]:
    """The actor's API tokens, newest first."""
    user = access.require_authenticated(actor)
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
