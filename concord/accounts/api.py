"""Who am I: the caller's role, organization and state, and whether it can block today."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from concord.accounts import access, services
from concord.accounts import selectors as account_selectors
from concord.accounts.auth import api_auth
from concord.consensus.membership import status
from concord.organization import selectors

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    organization: str | None
    state: str | None
    state_status: str | None
    can_block: bool
    on: date


@router.get("/me", response=MeOut, auth=api_auth)
def me(request: HttpRequest) -> object:
    user = request.user
    today = timezone.now().date()
    org = getattr(user, "organization", None)
    state = access.acting_state(user)
    timeline = selectors.timeline(org) if org is not None and state is not None else None
    return {
        "username": user.get_username(),
        "role": getattr(user, "role", ""),
        "organization": org.slug if org else None,
        "state": state.iso3 if state else None,
        "state_status": status(state.iso3, timeline, today).value if timeline and state else None,
        "can_block": bool(timeline and access.may_block(user, timeline, today)),
        "on": today,
    }


class TokenOut(Schema):
    id: int
    created_at: datetime
    revoked_at: datetime | None


@router.get("/tokens", response=list[TokenOut], auth=api_auth)
def my_tokens(request: HttpRequest) -> object:
    """The caller's own API tokens (never the token itself: only its digest is kept)."""
    return list(account_selectors.tokens_of(request.user)[:100])


@router.post("/tokens/{token_id}/actions/revoke", response=TokenOut, auth=api_auth)
def revoke_token(request: HttpRequest, token_id: int) -> object:
    """Revoke one of the caller's tokens; from then on it answers 401 (the token in use
    may revoke itself)."""
    return services.token_revoke(actor=request.user, token_id=token_id)
