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

from datetime import date, timedelta
from enum import StrEnum


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
