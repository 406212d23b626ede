"""Writes for accounts: creating users and issuing API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from concord.accounts.models import DELEGATION_ROLES, ApiToken, Role, User
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
            "Unknown role %(value)s; one of %(choices)s.",
            field="role",
            value=role,
            choices=", ".join(Role.values),
        )
    if role in DELEGATION_ROLES and state is None:
        raise InvalidInput("A %(role)s acts for one state: give --state.", field="state", role=role)
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
    return user


@transaction.atomic
def token_issue(*, user: User) -> str:
    """Revoke the user's tokens and return a fresh one (shown once; only its digest is kept)."""
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = "cc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token))
    return token
