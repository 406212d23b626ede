"""Every permission check in Concord lives here.

A check either returns quietly or raises a ``DomainError``. Reads of objects a user may not
see raise ``NotFound`` exactly like a missing object, so that existence does not leak.
Views and API handlers never fetch an object by a user-given id themselves: they call the
``*_for_actor`` functions here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from concord.accounts.models import DELEGATION_ROLES, Role
from concord.common.errors import NotAuthenticated, PermissionDenied
from concord.consensus import membership as rules
from concord.organization.models import Organization, State


def is_authenticated(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def require_authenticated(actor: Any) -> None:
    if not is_authenticated(actor):
        raise NotAuthenticated()


def is_secretariat(actor: Any, org: Organization) -> bool:
    return (
        is_authenticated(actor)
        and actor.role == Role.SECRETARIAT
        and actor.organization_id == org.pk
    )


def require_secretariat(actor: Any, org: Organization) -> None:
    require_authenticated(actor)
    if not is_secretariat(actor, org):
        raise PermissionDenied("Only the %(org)s secretariat may do this.", org=str(org))


def acting_state(actor: Any) -> State | None:
    """The one state a user acts for (heads and delegates), else None."""
    if is_authenticated(actor) and actor.role in DELEGATION_ROLES:
        state: State | None = actor.state
        return state
    return None


def is_delegation_of(actor: Any, org: Organization) -> bool:
    return acting_state(actor) is not None and actor.organization_id == org.pk


def require_head_of(actor: Any, state: State) -> None:
    """Only the head of a state's own delegation speaks for that state."""
    require_authenticated(actor)
    if actor.role != Role.HEAD or actor.state_id != state.pk:
        raise PermissionDenied(
            "Only the head of delegation of %(state)s may set its position.", state=state.iso3
        )


def may_block(actor: Any, timeline: rules.Timeline, on: date) -> bool:
    """A head of delegation can block a decision only for a state that is a member on the
    decision's date; an observer's or dialogue partner's objection is recorded, never blocks."""
    state = acting_state(actor)
    return (
        state is not None and actor.role == Role.HEAD and rules.can_block(state.iso3, timeline, on)
    )


# --- consultation: consultations, statements, moderation, citations ------------------------
#
# A consultation is public: anyone reads it and its accepted statements, anyone takes part
# while it is open. Its organization's secretariat creates, moderates and closes it, and
# sees pending and rejected statements; to anyone else those read as missing.


def may_moderate_consultation(actor: Any, consultation: Any) -> bool:
    return is_secretariat(actor, consultation.organization)


def require_consultation_moderator(actor: Any, consultation: Any) -> None:
    require_secretariat(actor, consultation.organization)


def consultation_for_actor(actor: Any, slug: str, *, for_update: bool = False) -> Any:
    """The consultation named ``slug`` (every consultation is public), else ``NotFound``.

    With ``for_update`` the row is locked (call inside ``transaction.atomic``)."""
    from concord.common.errors import NotFound
    from concord.consultation.models import Consultation

    qs = Consultation.objects.select_related("organization")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    consultation = qs.filter(slug=slug).first() if isinstance(slug, str) else None
    if consultation is None:
        raise NotFound("No consultation %(slug)s.", slug=str(slug)[:100])
    return consultation


def statement_for_actor(actor: Any, statement_id: int, *, for_update: bool = False) -> Any:
    """The statement if ``actor`` may see it: accepted ones for everyone, pending and
    rejected ones for the consultation's secretariat only; else ``NotFound``."""
    from concord.common.errors import NotFound
    from concord.consultation.models import Moderation, Statement

    qs = Statement.objects.select_related("consultation", "consultation__organization")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    statement = qs.filter(pk=statement_id).first()
    if statement is None or (
        statement.moderation != Moderation.ACCEPTED
        and not may_moderate_consultation(actor, statement.consultation)
    ):
        raise NotFound("No statement %(id)s.", id=statement_id)
    return statement
