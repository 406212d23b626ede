"""Every permission check in Concord lives here.

A check either returns quietly or raises a ``DomainError``. Reads of objects a user may not
see raise ``NotFound`` exactly like a missing object, so that existence does not leak.
Views and API handlers never fetch an object by a user-given id themselves: they call the
``*_for_actor`` functions in each app's ``selectors`` module, which fetch the row and ask
the ``may_*`` predicates here. This module imports no feature app: it decides from the
objects and plain values it is given.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeGuard

from django.utils.translation import gettext_lazy as _

from concord.accounts.actor import Actor
from concord.accounts.models import DELEGATION_ROLES, Role, User
from concord.common.classification import Classification
from concord.common.errors import NotAuthenticated, PermissionDenied
from concord.consensus import membership as rules
from concord.organization.models import Organization, State


def is_authenticated(actor: Actor) -> TypeGuard[User]:
    """Signed in: the one test that narrows an ``Actor`` to a ``User``."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def require_authenticated(actor: Actor) -> User:
    """The signed-in user, else ``NotAuthenticated`` (401)."""
    if not is_authenticated(actor):
        raise NotAuthenticated()
    return actor


def user_of(actor: Actor) -> User | None:
    """The signed-in user, or None for the system and anonymous callers: what a service
    records as a row's author (``created_by``, ``by``)."""
    return actor if is_authenticated(actor) else None


def is_secretariat(actor: Actor, org: Organization) -> bool:
    return (
        is_authenticated(actor)
        and actor.role == Role.SECRETARIAT
        and actor.organization_id == org.pk
    )


def require_secretariat(actor: Actor, org: Organization) -> None:
    require_authenticated(actor)
    if not is_secretariat(actor, org):
        raise PermissionDenied(_("Only the %(org)s secretariat may do this."), org=str(org))


def acting_state(actor: Actor) -> State | None:
    """The one state a user acts for (heads and delegates), else None."""
    if is_authenticated(actor) and actor.role in DELEGATION_ROLES:
        state: State | None = actor.state
        return state
    return None


def is_delegation_of(actor: Actor, org: Organization) -> bool:
    return (
        acting_state(actor) is not None
        and is_authenticated(actor)
        and actor.organization_id == org.pk
    )


def require_head_of(actor: Actor, state: State) -> None:
    """Only the head of a state's own delegation speaks for that state."""
    user = require_authenticated(actor)
    if user.role != Role.HEAD or user.state_id != state.pk:
        raise PermissionDenied(
            _("Only the head of delegation of %(state)s may set its position."), state=state.iso3
        )


def may_block(actor: Actor, timeline: rules.Timeline, on: date) -> bool:
    """A head of delegation can block a decision only for a state that is a member on the
    decision's date; an observer's or dialogue partner's objection is recorded, never blocks."""
    state = acting_state(actor)
    return (
        state is not None
        and is_authenticated(actor)
        and actor.role == Role.HEAD
        and rules.can_block(state.iso3, timeline, on)
    )


# --- negotiation: documents, amendments, positions, silence, adoption ----------------------
#
# Who reads a document:
# - a public document: anyone, signed in or not;
# - a restricted one: the organization's secretariat, and delegations (heads and delegates)
#   of states that are members of the organization today; observers', dialogue partners'
#   and partners' delegations only when the document is shared with partners
#   (``Document.shared_with_partners``, set by the secretariat or at submission).
# Anyone else gets 404, exactly as for a document that does not exist.


def state_status_today(actor: Actor, org: Organization) -> rules.Status:
    """The status in ``org`` today of the state the actor acts for (NONE when none)."""
    from django.utils import timezone

    from concord.organization.selectors import memberships_on

    state = acting_state(actor)
    if state is None or not is_authenticated(actor) or actor.organization_id != org.pk:
        return rules.Status.NONE
    span = memberships_on(org, timezone.now().date()).filter(state=state).first()
    return rules.Status(span.status) if span else rules.Status.NONE


def may_read_document(actor: Actor, document: Any, *, status: rules.Status | None = None) -> bool:
    if document.classification == Classification.PUBLIC:
        return True
    org = document.organization
    if is_secretariat(actor, org):
        return True
    if acting_state(actor) is None:
        return False
    status = status if status is not None else state_status_today(actor, org)
    if status == rules.Status.MEMBER:
        return True
    return status != rules.Status.NONE and bool(document.shared_with_partners)


def documents_visible_to(actor: Actor, org: Organization) -> Any:
    """A queryset filter (Q) for the documents of ``org`` that ``actor`` may read."""
    from django.db.models import Q

    public = Q(classification=Classification.PUBLIC)
    if is_secretariat(actor, org):
        return Q()
    status = state_status_today(actor, org)
    if status == rules.Status.MEMBER:
        return Q()
    if status != rules.Status.NONE:
        return public | Q(shared_with_partners=True)
    return public


def require_document_submitter(actor: Actor, org: Organization) -> None:
    """The secretariat, or a delegation of a member state (a foreign ministry's draft)."""
    require_authenticated(actor)
    if is_secretariat(actor, org):
        return
    if state_status_today(actor, org) != rules.Status.MEMBER:
        raise PermissionDenied(
            _("Only the secretariat or a member state's delegation may submit a document.")
        )


def require_sponsors_and_pen(
    actor: Actor, org: Organization, *, sponsors: list[State], penholder: State | None
) -> None:
    """A delegation sponsors for its own state only (others join through ``sponsor join``
    themselves) and cannot name another penholder; only the secretariat assigns the pen,
    and only to a state that is a member today (a partner holding the pen could block by
    another name)."""
    if not is_secretariat(actor, org):
        own = acting_state(actor)
        others = sorted(s.iso3 for s in sponsors if own is None or s.pk != own.pk)
        if others:
            raise PermissionDenied(
                _("A delegation sponsors for its own state only; %(states)s must join themselves."),
                field="sponsors",
                states=", ".join(others),
            )
        if penholder is not None and (own is None or penholder.pk != own.pk):
            raise PermissionDenied(
                _("Only the secretariat assigns the pen to another state."), field="penholder"
            )
    if penholder is not None:
        from django.utils import timezone

        from concord.organization.selectors import memberships_on

        span = memberships_on(org, timezone.now().date()).filter(state=penholder).first()
        if span is None or span.status != rules.Status.MEMBER:
            raise PermissionDenied(
                _("The pen goes to a member state; %(state)s is not a member."),
                field="penholder",
                state=penholder.iso3,
            )


def require_withdrawer(actor: Actor, document: Any) -> None:
    """The secretariat, or the head (not a delegate) of the penholder's delegation."""
    user = require_authenticated(actor)
    if is_secretariat(actor, document.organization):
        return
    if (
        document.penholder_id is None
        or user.role != Role.HEAD
        or user.state_id != document.penholder_id
    ):
        raise PermissionDenied(
            _("Only the secretariat or the head of the penholder's delegation withdraws.")
        )


def require_penholder(actor: Actor, document: Any) -> None:
    """The penholder's delegation alone issues consolidated versions; the secretariat does
    only for a document without a penholder."""
    require_authenticated(actor)
    if document.penholder_id is None:
        require_secretariat(actor, document.organization)
        return
    state = acting_state(actor)
    if state is None or state.pk != document.penholder_id:
        raise PermissionDenied(
            _("Only the penholder (%(state)s) issues versions of this document."),
            state=document.penholder.iso3,
        )


def require_amendment_proposer(actor: Actor, document: Any) -> None:
    """A member state's delegation (head or delegate) proposes amendments."""
    require_authenticated(actor)
    if state_status_today(actor, document.organization) != rules.Status.MEMBER:
        raise PermissionDenied(_("Only a member state's delegation may propose amendments."))


def require_amendment_decider(actor: Actor, document: Any) -> None:
    """The penholder's delegation or the secretariat accepts or rejects amendments."""
    require_authenticated(actor)
    if is_secretariat(actor, document.organization):
        return
    state = acting_state(actor)
    if document.penholder_id is None or state is None or state.pk != document.penholder_id:
        raise PermissionDenied(_("Only the penholder or the secretariat decides on amendments."))


def require_position_setter(actor: Actor, document: Any, state: State) -> rules.Status:
    """The head of ``state``'s own delegation, for a state with a status in the organization.

    Returns that status (members block; observers' and partners' positions are recorded and
    never block)."""
    require_head_of(actor, state)
    status = state_status_today(actor, document.organization)
    if status == rules.Status.NONE:
        raise PermissionDenied(
            _("%(state)s holds no status in this organization."), state=state.iso3
        )
    return status


def require_silence_breaker(actor: Actor, document: Any) -> State:
    """A head of delegation of a member state; the pure rule re-checks membership on the
    date of the break in the deadline's time zone."""
    user = require_authenticated(actor)
    state = acting_state(actor)
    if (
        state is None
        or user.role != Role.HEAD
        or user.organization_id != (document.organization_id)
    ):
        raise PermissionDenied(_("Only a member state's head of delegation may break silence."))
    return state


# --- consultation: consultations, statements, moderation, citations ------------------------
#
# A consultation is public: anyone reads it and its accepted statements, anyone takes part
# while it is open. Its organization's secretariat creates, moderates and closes it, and
# sees pending and rejected statements; to anyone else those read as missing.


# ---------------------------------------------------------------- what a page may offer
# The pages ask these before drawing a form; the services call the require_* checks above
# again when the form is sent, so a page never decides on its own. ``status`` is the
# acting state's status in the document's organization when the caller has it already
# (rules.Status or its value), else it is read.

#: Stages after which no act changes a document (negotiation's Stage values).
CLOSED_STAGES = frozenset({"adopted", "withdrawn"})


def is_open(document: Any) -> bool:
    """Whether acts on ``document`` are still possible (neither adopted nor withdrawn)."""
    return str(document.stage) not in CLOSED_STAGES


def is_adopted(document: Any) -> bool:
    return str(document.stage) == "adopted"


def _status(actor: Actor, document: Any, status: rules.Status | str | None) -> rules.Status:
    if status is None:
        return state_status_today(actor, document.organization)
    return rules.Status(status)


def may_set_position(
    actor: Actor, document: Any, *, status: rules.Status | str | None = None
) -> bool:
    """A head of delegation of a state with a status, on an open document past its draft."""
    return (
        is_open(document)
        and str(document.stage) != "draft"
        and is_authenticated(actor)
        and getattr(actor, "role", "") == Role.HEAD
        and _status(actor, document, status) != rules.Status.NONE
    )


def may_propose_amendment(
    actor: Actor, document: Any, *, status: rules.Status | str | None = None
) -> bool:
    """A member state's delegation, on an open document (``require_amendment_proposer``)."""
    return (
        is_open(document)
        and is_authenticated(actor)
        and _status(actor, document, status) == rules.Status.MEMBER
    )


def may_decide_amendments(actor: Actor, document: Any) -> bool:
    """The secretariat or the penholder's delegation, on an open document."""
    if not is_open(document):
        return False
    if is_secretariat(actor, document.organization):
        return True
    state = acting_state(actor)
    return state is not None and state.pk == document.penholder_id


def may_moderate_consultation(actor: Actor, consultation: Any) -> bool:
    return is_secretariat(actor, consultation.organization)


def require_consultation_moderator(actor: Actor, consultation: Any) -> None:
    require_secretariat(actor, consultation.organization)


def may_create_consultation(actor: Actor, org: Organization) -> bool:
    """A consultation of ``org`` is opened by its secretariat."""
    return is_secretariat(actor, org)


def may_translate_statement(actor: Actor, statement: Any, participant: Any = None) -> bool:
    """A statement is translated by its consultation's moderators or by its author: the
    participant who wrote it (``participant``: from a token or cookie, or the signed-in
    user's pseudonymous participant, which the caller looks up)."""
    if may_moderate_consultation(actor, statement.consultation):
        return True
    return participant is not None and participant.pk == statement.author_id


def require_statement_translator(actor: Actor, statement: Any, participant: Any = None) -> None:
    if not may_translate_statement(actor, statement, participant):
        if not is_authenticated(actor) and participant is None:
            raise NotAuthenticated()
        raise PermissionDenied(_("Only the moderators or the statement's author may translate it."))


def requires_second_factor(actor: Actor) -> bool:
    """Heads of delegation, the secretariat and superusers sign in with a second factor
    (TOTP or a recovery code); ``CONCORD_SECOND_FACTOR_ROLES`` names the roles."""
    from django.conf import settings

    return is_authenticated(actor) and bool(
        actor.is_superuser or actor.role in settings.CONCORD_SECOND_FACTOR_ROLES
    )


def has_second_factor(actor: Actor) -> bool:
    """Signed in and past the second factor when the role requires one."""
    if not requires_second_factor(actor):
        return is_authenticated(actor)
    verified = getattr(actor, "is_verified", None)
    return bool(verified and verified())


def may_use_support_admin(actor: Actor) -> bool:
    """The read-only admin (support work) is for the secretariat and superusers."""
    return is_authenticated(actor) and bool(
        actor.is_active and (actor.is_superuser or actor.role == Role.SECRETARIAT)
    )


# --- implementation: commitments, compliance, activities, reports, indicators (issue 12) ---
#
# Commitments, activities, indicators and dashboards are public, like adopted texts. The
# secretariat manages them and is the assessor of compliance; a state never scores itself.
# A state's delegation (head or delegate) reports for that state only; the secretariat
# reports for the organization.

from django.utils.translation import gettext_lazy  # noqa: E402


def require_implementation_manager(actor: Actor, org: Organization) -> None:
    require_secretariat(actor, org)


def require_assessor(actor: Actor, org: Organization, state: State) -> None:
    """Only the secretariat assesses compliance, and no state scores its own."""
    require_authenticated(actor)
    own = acting_state(actor)
    if own is not None and own.pk == state.pk:
        raise PermissionDenied(
            gettext_lazy("A state cannot score its own compliance (%(state)s)."), state=state.iso3
        )
    require_secretariat(actor, org)


def require_reporter(actor: Actor, org: Organization, state: State | None) -> None:
    """A state's own delegation reports for it; the secretariat for the organization."""
    user = require_authenticated(actor)
    if state is None:
        if not is_secretariat(actor, org):
            raise PermissionDenied(
                gettext_lazy("Only the %(org)s secretariat reports for the organization."),
                org=str(org),
            )
        return
    own = acting_state(actor)
    if own is None or own.pk != state.pk or user.organization_id != org.pk:
        raise PermissionDenied(
            gettext_lazy("Only the delegation of %(state)s may report for it."),
            field="state",
            state=state.iso3,
        )


def require_value_recorder(actor: Actor, org: Organization, state: State | None) -> None:
    """Indicator values: the secretariat for any, a delegation for its own state's."""
    user = require_authenticated(actor)
    if is_secretariat(actor, org):
        return
    own = acting_state(actor)
    if state is None or own is None or own.pk != state.pk or user.organization_id != org.pk:
        raise PermissionDenied(
            gettext_lazy(
                "Only the secretariat or the delegation of the state may record this value."
            ),
            field="state",
        )


# --- the negotiation desk's pages (issue 11): may the actor see this form? ----------------
#
# Each predicate asks the same ``require_*`` check the service makes, so a page offers a
# form exactly when the service would accept the actor (the service checks again).


def _passes(check: Any, *args: Any) -> bool:
    from concord.common.errors import DomainError

    try:
        check(*args)
    except DomainError:
        return False
    return True


def may_schedule_meeting(actor: Actor, org: Organization) -> bool:
    return _passes(require_secretariat, actor, org)


def may_submit_document(actor: Actor, org: Organization) -> bool:
    return _passes(require_document_submitter, actor, org)


def may_issue_version(actor: Actor, document: Any) -> bool:
    return _passes(require_penholder, actor, document)


def may_verify_translation(actor: Actor, document: Any) -> bool:
    return _passes(require_secretariat, actor, document.organization)


def may_run_silence(actor: Actor, document: Any) -> bool:
    """Opening a silence procedure is the secretariat's (for the chair)."""
    return _passes(require_secretariat, actor, document.organization)


def may_open_silence_now(actor: Actor, document: Any) -> bool:
    """The silence form is offered while the document is negotiated or agreed."""
    return str(document.stage) in ("negotiation", "agreed") and may_run_silence(actor, document)


def may_issue_version_now(actor: Actor, document: Any) -> bool:
    """The version editor is offered to the penholder, except while silence runs."""
    return str(document.stage) != "silence" and may_issue_version(actor, document)


def may_break_silence(actor: Actor, document: Any) -> bool:
    return _passes(require_silence_breaker, actor, document)


def may_adopt(actor: Actor, document: Any) -> bool:
    return _passes(require_secretariat, actor, document.organization)


def may_withdraw(actor: Actor, document: Any) -> bool:
    return _passes(require_withdrawer, actor, document)


def sponsor_states_for(actor: Actor, document: Any) -> str:
    """Whose sponsorship the actor may change: "any" (the secretariat), "own" (a head of
    delegation, for its own state) or "" (nobody)."""
    if is_secretariat(actor, document.organization):
        return "any"
    state = acting_state(actor)
    if state is not None and _passes(require_head_of, actor, state):
        return "own"
    return ""
