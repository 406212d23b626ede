"""Whether a version has consensus on a date, and why not.

Consensus on a version at a date: every state that is a member on that date has accepted it
(support, with or without a reservation) or is deemed to accept because a silence procedure
on this version expired unbroken; no member objects; and the version carries no brackets.
Positions of observers, dialogue partners, partners and other non-members are recorded and
explained, but they never block and are never required.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


def _same(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _english_join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Words:
    """How the sentence is worded: the identity in English (logs, tests, the audit log), or
    the Django layer's ``gettext``/``ngettext`` and a list separator at the edge."""

    gettext: Callable[[str], str] = _same
    ngettext: Callable[[str, str, int], str] = _english_plural
    join: Callable[[Sequence[str]], str] = _english_join


ENGLISH = Words()


def _phrase(reason: Reason, timeline: Timeline | None, on: date, words: Words) -> str:
    # The names ``gettext`` and ``ngettext`` let makemessages find these sentences.
    gettext, ngettext = words.gettext, words.ngettext
    states = words.join(reason.states)
    keys = words.join(reason.provisions)
    n_states, n_keys = len(reason.states), len(reason.provisions)
    match reason.code:
        case ReasonCode.REACHED:
            return ngettext(
                "the %(count)d member accepts", "all %(count)d members accept", n_states
            ) % {"count": n_states}
        case ReasonCode.NO_MEMBERS:
            return gettext("the body has no members on %(on)s") % {"on": on.isoformat()}
        case ReasonCode.BRACKETED:
            return ngettext(
                "provision %(keys)s carries brackets", "provisions %(keys)s carry brackets", n_keys
            ) % {"keys": keys}
        case ReasonCode.OBJECTION:
            return gettext("%(state)s objects to %(keys)s") % {"state": states, "keys": keys}
        case ReasonCode.PENDING:
            return ngettext(
                "%(states)s has not answered", "%(states)s have not answered", n_states
            ) % {"states": states}
        case ReasonCode.DEEMED_BY_SILENCE:
            return gettext("%(states)s deemed to accept as silence expired unbroken") % {
                "states": states
            }
        case ReasonCode.NON_MEMBER_OBJECTION:
            held = status(reason.states[0], timeline, on) if timeline else Status.NONE
            what = {
                Status.MEMBER: gettext("a member"),
                Status.OBSERVER: gettext("an observer"),
                Status.DIALOGUE_PARTNER: gettext("a dialogue partner"),
                Status.PARTNER: gettext("a partner"),
            }.get(held, gettext("not a member"))
            return gettext(
                "the objection of %(state)s to %(keys)s does not block as it is %(what)s"
            ) % {"state": states, "keys": keys, "what": what}


def explain(
    reasons: Sequence[Reason],
    *,
    timeline: Timeline | None,
    on: date,
    words: Words = ENGLISH,
) -> str:
    """One sentence for ``reasons`` (as built by ``consensus``): the only verdict explainer.

    In English by default; the pages and the API pass ``Words`` built on gettext, so the
    same sentence is translated at the edge."""
    gettext = words.gettext
    reached = any(r.code is ReasonCode.REACHED for r in reasons)
    head = gettext("Consensus is reached") if reached else gettext("Consensus is not reached")
    return head + ": " + "; ".join(_phrase(r, timeline, on, words) for r in reasons) + "."
