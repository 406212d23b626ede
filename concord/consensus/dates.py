"""When a decision may be dated: pure rules, no framework.

A decision's date is the real date of the meeting that takes it. Consensus is judged on
that date (who is a member, so who may block), so a false date is a way around a member's
objection: a meeting dated before the objecting state joined would let the others adopt
over it. Hence:

- a decision is never dated before the version it adopts existed (no one agreed to a text
  before it was written), nor after today (no one can record what has not happened);
- a meeting entered by hand never starts more than ``grace_days`` before today (a past
  meeting is history, loaded with the reference data, whose loads are audited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum

from concord.consensus.membership import Timeline
from concord.consensus.positions import Position
from concord.consensus.rules import consensus
from concord.consensus.silence import SilenceOutcome


class DateProblem(StrEnum):
    BEFORE_VERSION = "decision_before_version"
    IN_FUTURE = "decision_in_future"
    MEETING_IN_PAST = "meeting_in_past"


def decision_date_problem(*, on: date, version_made: date, today: date) -> DateProblem | None:
    """Why ``on`` cannot be the date of a decision on a version made on ``version_made``
    (None: it can)."""
    if on > today:
        return DateProblem.IN_FUTURE
    if on < version_made:
        return DateProblem.BEFORE_VERSION
    return None


def meeting_date_problem(*, start: date, today: date, grace_days: int) -> DateProblem | None:
    """Why a meeting entered now cannot start on ``start`` (None: it can)."""
    if start < today - timedelta(days=max(grace_days, 0)):
        return DateProblem.MEETING_IN_PAST
    return None


def adoption_allowed(
    *,
    on: date,
    version_made: date,
    today: date,
    timeline: Timeline,
    positions: Mapping[str, Position],
    bracketed: Sequence[str],
    silence: SilenceOutcome | None,
) -> bool:
    """Whether a decision dated ``on`` may adopt the version: a real date (``decision_date_
    problem``) and consensus on that date. The service applies exactly these two rules."""
    if decision_date_problem(on=on, version_made=version_made, today=today) is not None:
        return False
    return consensus(
        timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=silence
    ).reached
