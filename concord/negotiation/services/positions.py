"""A state's position on the latest version.

Rules (checks in ``accounts/access.py``):

- ``position_set``: only the head of delegation of its own state, on the latest version of
  a document that has one, while the document is open. Support, reservation (with its text)
  or objection (naming the provisions of this version it concerns); history is kept, the
  latest row counts.
- Observers' and partners' positions are recorded and never block: the pure
  ``concord.consensus.rules`` decides that, not this module. When every member accepts, the
  document becomes agreed; an agreed document that loses consensus returns to negotiation.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import Conflict, InvalidInput, NotFound
from concord.common.models import validated
from concord.consensus.membership import can_block
from concord.consensus.positions import Position as PurePosition
from concord.consensus.positions import PositionError
from concord.negotiation import selectors
from concord.negotiation.models import (
    Position,
    Provision,
    Stage,
    Stand,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    from_rule,
    latest_version,
    require_open,
    time_now,
)
from concord.negotiation.services.silence import silence_break_by_objection
from concord.organization.models import State


@transaction.atomic
def position_set(
    *,
    actor: Actor,
    document_id: int,
    version_number: int,
    iso3: str,
    stand: str,
    text: str = "",
    provisions: Sequence[str] = (),
    expected_revision: int | None = None,
) -> Position:
    """Append the state's position on the latest version (its head of delegation only).

    A member's objection blocks; an observer's or partner's is recorded and never blocks
    (the pure ``consensus`` rule decides that, not this function). When every member now
    accepts, the document becomes agreed; when an agreed document loses that, it returns
    to negotiation."""
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    state = State.objects.filter(iso3=(iso3 or "").upper()).first()
    if state is None:
        raise NotFound(_("No state %(iso3)s."), field="iso3", iso3=iso3)
    status = access.require_position_setter(actor, document, state)
    require_open(document)
    check_revision(document, expected_revision)
    if document.stage == Stage.DRAFT:
        raise Conflict(_("The draft has no version to take a position on yet."))
    version = latest_version(document, version_number)
    if stand not in Stand.values:
        raise InvalidInput(_("stand must be support, reservation or objection."), field="stand")
    keys = set(Provision.objects.filter(version=version).values_list("key", flat=True))
    unknown = sorted(set(provisions) - keys)
    if unknown:
        raise InvalidInput(
            _("No provision %(keys)s in this version."), field="provisions", keys=", ".join(unknown)
        )
    try:
        pure = PurePosition(state.iso3, stand, (text or "").strip(), tuple(provisions))  # type: ignore[arg-type]
    except PositionError as exc:
        raise from_rule(exc, field="stand") from None
    position = Position(
        version=version,
        state=state,
        stand=stand,
        text=pure.text,
        provisions=list(pure.provisions),
        by=access.user_of(actor),
        at=time_now(),
        status_then=status.value,
    )
    validated(position)
    position.save()
    audit(
        actor,
        "position.set",
        position,
        {
            "document": document.pk,
            "version": version.number,
            "state": state.iso3,
            "status": status.value,
            "stand": stand,
            "text": pure.text,
            "provisions": list(pure.provisions),
        },
    )
    stage = document.stage
    now = time_now()
    if (
        stand == Stand.OBJECTION
        and stage == Stage.SILENCE
        and can_block(state.iso3, selectors.timeline_of_document(document), timezone.localdate())
        and silence_break_by_objection(
            actor=actor, document=document, version=version, state=state, now=now
        )
    ):
        # An objection by a member entitled to block is a break of silence.
        stage = Stage.NEGOTIATION
    if stage in (Stage.NEGOTIATION, Stage.AGREED):
        verdict = selectors.verdict_of(version, on=timezone.localdate(), now=time_now())
        stage = Stage.AGREED if verdict.reached else Stage.NEGOTIATION
    bump(document, stage=stage)
    return position
