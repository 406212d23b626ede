"""Whether a version has consensus on a date, and why not.

Consensus on a version at a date: every state that is a member on that date has accepted it
(support, with or without a reservation) or is deemed to accept because a silence procedure
on this version expired unbroken; no member objects; and the version carries no brackets.
Positions of observers, dialogue partners, partners and other non-members are recorded and
explained, but they never block and are never required.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from concord.consensus.membership import Status, Timeline, status
from concord.consensus.positions import Position
from concord.consensus.silence import SilenceOutcome


class ReasonCode(StrEnum):
    # Codes are stable: the Django layer keys its translated messages on them.
    REACHED = "reached"
    NO_MEMBERS = "no_members"
    BRACKETED = "bracketed"
    OBJECTION = "objection"
    PENDING = "pending"
    DEEMED_BY_SILENCE = "deemed_by_silence"
    NON_MEMBER_OBJECTION = "non_member_objection"


@dataclass(frozen=True, slots=True)
class Reason:
    """One structured part of an explanation, renderable by a translator.

    ``states`` are ISO3 codes and ``provisions`` provision keys, both sorted. For
    ``OBJECTION`` and ``NON_MEMBER_OBJECTION`` there is one reason per state, with the
    provisions it objects to; the other codes list every state concerned in one reason.
    """

    code: ReasonCode
    states: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of ``consensus``. All tuples are sorted and free of duplicates.

    ``blocking``: members that object; ``pending``: members that have neither accepted nor
    been deemed to accept; ``bracketed``: provision keys carrying brackets; ``deemed``:
    members counted as accepting only because silence expired; ``explanation``: one plain
    English sentence; ``reasons``: the same content, structured, in the order the sentence
    gives it.
    """

    reached: bool
    blocking: tuple[str, ...]
    pending: tuple[str, ...]
    bracketed: tuple[str, ...]
    explanation: str
    deemed: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()


def consensus(
    *,
    timeline: Timeline,
    on: date,
    positions: Mapping[str, Position],
    bracketed: Sequence[str],
    silence: SilenceOutcome | None,
) -> Verdict:
    """Decide whether the version has consensus on ``on``.

    Preconditions: ``positions`` maps each state's ISO3 code to that state's current
    position on this version (a state missing from it has not answered; a key that differs
    from its position's ``state`` raises ``ValueError``); ``bracketed`` lists the keys of
    provisions carrying brackets in this version; ``silence`` is the outcome of the silence
    procedure on this very version at the decision's time (``None`` when none was opened).
    """
    for key, filed in positions.items():
        if key != filed.state:
            raise ValueError(f"position of {filed.state} filed under {key}")

    members = timeline.members_on(on)
    # ``==`` rather than ``is`` so the stored string value works as well as the enum.
    silence_agreed = silence == SilenceOutcome.EXPIRED
    blocking: list[Position] = []
    pending: list[str] = []
    deemed: list[str] = []
    for state in sorted(members):
        position = positions.get(state)
        if position is not None and position.objects:
            # An objection stands even when silence expired: a member that objects on the
            # record has not accepted, whatever the procedure says about silent members.
            blocking.append(position)
        elif position is not None and position.accepts:
            continue
        elif silence_agreed:
            deemed.append(state)
        else:
            pending.append(state)
    non_member_objections = [
        positions[state]
        for state in sorted(positions)
        if state not in members and positions[state].objects
    ]
    brackets = tuple(sorted(set(bracketed)))
    reached = bool(members) and not blocking and not pending and not brackets

    reasons: list[Reason] = []
    if reached:
        reasons.append(Reason(ReasonCode.REACHED, states=tuple(sorted(members))))
    if not members:
        reasons.append(Reason(ReasonCode.NO_MEMBERS))
    if brackets:
        reasons.append(Reason(ReasonCode.BRACKETED, provisions=brackets))
    reasons.extend(Reason(ReasonCode.OBJECTION, (p.state,), p.provisions) for p in blocking)
    if pending:
        reasons.append(Reason(ReasonCode.PENDING, states=tuple(pending)))
    if deemed:
        reasons.append(Reason(ReasonCode.DEEMED_BY_SILENCE, states=tuple(deemed)))
    reasons.extend(
        Reason(ReasonCode.NON_MEMBER_OBJECTION, (p.state,), p.provisions)
        for p in non_member_objections
    )

    return Verdict(
        reached=reached,
        blocking=tuple(p.state for p in blocking),
        pending=tuple(pending),
        bracketed=brackets,
        explanation=explain(reasons, timeline=timeline, on=on),
        deemed=tuple(deemed),
        reasons=tuple(reasons),
    )


_STATUS_WORDS = {
    Status.MEMBER: "a member",
    Status.OBSERVER: "an observer",
    Status.DIALOGUE_PARTNER: "a dialogue partner",
    Status.PARTNER: "a partner",
    Status.NONE: "not a member",
}


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _phrase(reason: Reason, timeline: Timeline, on: date) -> str:
    states = _join(reason.states)
    provisions = _join(reason.provisions)
    match reason.code:
        case ReasonCode.REACHED:
            return f"all {len(reason.states)} members accept"
        case ReasonCode.NO_MEMBERS:
            return f"the body has no members on {on.isoformat()}"
        case ReasonCode.BRACKETED:
            if len(reason.provisions) == 1:
                return f"provision {provisions} carries brackets"
            return f"provisions {provisions} carry brackets"
        case ReasonCode.OBJECTION:
            return f"{states} objects to {provisions}"
        case ReasonCode.PENDING:
            return f"{states} {'has' if len(reason.states) == 1 else 'have'} not answered"
        case ReasonCode.DEEMED_BY_SILENCE:
            return f"{states} deemed to accept as silence expired unbroken"
        case ReasonCode.NON_MEMBER_OBJECTION:
            what = _STATUS_WORDS[status(reason.states[0], timeline, on)]
            return f"the objection of {states} to {provisions} does not block as it is {what}"


def explain(reasons: Sequence[Reason], *, timeline: Timeline, on: date) -> str:
    """One English sentence for ``reasons`` (as built by ``consensus``), for logs and tests.

    User-facing text is rendered by the Django layer from the structured ``reasons``.
    """
    reached = any(r.code is ReasonCode.REACHED for r in reasons)
    head = "Consensus is reached" if reached else "Consensus is not reached"
    return head + ": " + "; ".join(_phrase(r, timeline, on) for r in reasons) + "."
