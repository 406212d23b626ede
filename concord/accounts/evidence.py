"""Users' rights and API tokens checked against the audit log (see ``audit.services``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from concord.accounts.models import ApiToken, Role, User
from concord.accounts.services import user_rights

if TYPE_CHECKING:
    from concord.audit.services import Log


#: The key a re-logged event carries (``concord audit relog-existing``): when and why it
#: was written after the fact. It is not one of the facts the rows are compared with.
RELOGGED = "relogged"


def _facts(payload: Any) -> Any:
    if isinstance(payload, dict):
        return {k: v for k, v in payload.items() if k != RELOGGED}
    return payload


def _first(log: Log, act: str) -> datetime | None:
    return min((e.at for e in log.with_act(act)), default=None)


def unlogged(log: Log) -> list[tuple[str, Any, dict[str, Any]]]:
    """Rows written before their kind was audited, as (act, object, payload) to append.

    A row is *absent* from the log only if it is older than the first event of its kind:
    a user or token created after the log began recording them, and still without an
    event, was written around the services, which is tampering and is never re-logged."""
    found: list[tuple[str, Any, dict[str, Any]]] = []
    since = _first(log, "user.upsert")
    for user in User.objects.select_related("state", "organization").order_by("pk"):
        privileged = user.role != Role.PARTICIPANT or user.state_id or user.is_superuser
        if not privileged or log.about("accounts.user", user.pk, "user.upsert"):
            continue
        if since is None or user.date_joined < since:
            found.append(("user.upsert", user, user_rights(user)))
    since = _first(log, "token.issue")
    for token in ApiToken.objects.select_related("user").order_by("pk"):
        if log.about("accounts.apitoken", token.pk, "token.issue", "token.revoke"):
            continue
        if since is None or token.created_at < since:
            found.append(
                ("token.issue", token, {"user": token.user.username, "digest": token.digest})
            )
            if token.revoked_at is not None:
                found.append(("token.revoke", token, {"user": token.user.username}))
    return found


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
        if _facts(events[-1].payload) != user_rights(user):
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
