"""Users' rights and API tokens checked against the audit log (see ``audit.services``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.accounts.models import ApiToken, Role, User
from concord.accounts.services import user_rights

if TYPE_CHECKING:
    from concord.audit.services import Log


def check(log: Log) -> list[str]:
    problems: list[str] = []
    users = User.objects.select_related("state", "organization").order_by("pk")
    for user in users:
        events = log.about("accounts.user", user.pk, "user.upsert")
        # A participant without a state decides nothing; any other right must be logged.
        privileged = user.role != Role.PARTICIPANT or user.state_id or user.is_superuser
        if not events:
            if privileged:
                problems.append(f"user {user.username}: role {user.role} is not in the log")
            continue
        if events[-1].payload != user_rights(user):
            problems.append(f"user {user.username}: role or state differs from the log")
    logged_users = {e.object_id for e in log.with_act("user.upsert")}
    present = {str(pk) for pk in User.objects.values_list("pk", flat=True)}
    for missing in sorted(logged_users - present, key=int):
        problems.append(f"user #{missing} is in the log but its row is gone")
    for token in ApiToken.objects.select_related("user").order_by("pk"):
        issued = log.about("accounts.apitoken", token.pk, "token.issue")
        if not issued or issued[-1].payload.get("digest") != token.digest:
            problems.append(f"API token #{token.pk} of {token.user.username} was never issued")
            continue
        if issued[-1].payload.get("user") != token.user.username:
            problems.append(f"API token #{token.pk} was issued to another user")
        revoked = bool(log.about("accounts.apitoken", token.pk, "token.revoke"))
        if revoked != (token.revoked_at is not None):
            problems.append(f"API token #{token.pk}: its revocation differs from the log")
    return problems
