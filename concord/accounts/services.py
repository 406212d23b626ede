"""Writes for accounts: creating users and issuing API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import selectors
from concord.accounts.actor import Actor
from concord.accounts.bearer import USER_TOKEN_PREFIX
from concord.accounts.models import DELEGATION_ROLES, ApiToken, Role, User
from concord.audit.services import event_append
from concord.common.errors import InvalidInput
from concord.organization.models import Organization, State


@transaction.atomic
def user_upsert(
    *,
    username: str,
    role: str,
    organization: Organization | None,
    state: State | None = None,
    password: str | None = None,
    email: str = "",
) -> User:
    """Create the user or bring an existing one to the given role and state."""
    if role not in Role.values:
        raise InvalidInput(
            _("Unknown role %(value)s; one of %(choices)s."),
            field="role",
            value=role,
            choices=", ".join(Role.values),
        )
    if role in DELEGATION_ROLES and state is None:
        raise InvalidInput(
            _("A %(role)s acts for one state: give --state."), field="state", role=role
        )
    if role not in DELEGATION_ROLES:
        state = None
    user = User.objects.select_for_update().filter(username=username).first() or User(
        username=username
    )
    user.role = role
    user.organization = organization
    user.state = state
    user.email = email or user.email
    user.is_staff = role == Role.SECRETARIAT
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # Who may act for which state decides who may block: every role and state is evidence.
    event_append(actor=None, act="user.upsert", obj=user, payload=user_rights(user))
    return user


def user_rights(user: User) -> dict[str, object]:
    """What the log records of a user's rights; ``accounts.evidence`` compares the row."""
    return {
        "username": user.username,
        "role": user.role,
        "state": user.state.iso3 if user.state else None,
        "organization": user.organization.slug if user.organization else None,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
    }


@transaction.atomic
def token_issue(*, user: User) -> str:
    """Revoke the user's tokens and return a fresh one (shown once; only its digest is kept)."""
    now = timezone.now()
    for old in ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        event_append(actor=None, act="token.revoke", obj=old, payload={"user": user.username})
    token = USER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token))
    # Only the digest is logged: the token itself is shown once and never stored.
    event_append(
        actor=None,
        act="token.issue",
        obj=row,
        payload={"user": user.username, "digest": row.digest},
    )
    return token


@transaction.atomic
def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own API tokens (another's reads as missing): from now on
    it answers 401. Revoking a revoked token changes nothing and logs nothing."""
    locked = selectors.token_for_actor(actor, token_id, for_update=True)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        event_append(
            actor=actor, act="token.revoke", obj=locked, payload={"user": locked.user.username}
        )
    return locked
