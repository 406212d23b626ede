"""Users, the state a user acts for, and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("secretariat")
    HEAD = "head", _("head of delegation")
    DELEGATE = "delegate", _("delegate")
    PARTICIPANT = "participant", _("participant")


#: Roles that act for a state; every other role acts for none.
DELEGATION_ROLES: frozenset[str] = frozenset({Role.HEAD, Role.DELEGATE})


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    organization = models.ForeignKey(
        "organization.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # A head or delegate acts for exactly one state; no other user acts for any.
    state = models.ForeignKey(
        "organization.State", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="delegation_roles_act_for_one_state",
                condition=(Q(role__in=["head", "delegate"], state__isnull=False))
                | (~Q(role__in=["head", "delegate"]) & Q(state__isnull=True)),
            ),
        ]

    @property
    def acts_for_state(self) -> bool:
        return self.role in DELEGATION_ROLES


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} ({'revoked' if self.revoked_at else 'active'})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
