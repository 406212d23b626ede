"""A decision's date: the rule of issue 10 (no backdating around a member's objection)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from concord.consensus.dates import (
    DateProblem,
    adoption_allowed,
    decision_date_problem,
    meeting_date_problem,
)
from concord.consensus.membership import Span, Status, Timeline, status
from concord.consensus.positions import Position, Stand
from concord.consensus.silence import SilenceOutcome
from concord.consensus.tests.strategies import STATES, days, position_maps, timelines


@given(on=days, version_made=days, today=days)
def test_a_decision_is_dated_between_its_version_and_today(on, version_made, today) -> None:
    problem = decision_date_problem(on=on, version_made=version_made, today=today)
    assert (problem is None) == (version_made <= on <= today)
    if on > today:
        assert problem is DateProblem.IN_FUTURE


@given(start=days, today=days, grace=st.integers(min_value=0, max_value=30))
def test_a_meeting_entered_now_starts_within_the_grace(start, today, grace) -> None:
    problem = meeting_date_problem(start=start, today=today, grace_days=grace)
    assert (problem is None) == (start >= today - timedelta(days=grace))


@given(
    timeline=timelines(),
    positions=position_maps(),
    on=days,
    version_made=days,
    today=days,
    silence=st.sampled_from([None, *SilenceOutcome]),
)
def test_no_adoption_while_a_member_on_the_real_day_objects_or_is_silent(
    timeline, positions, on, version_made, today, silence
) -> None:
    """Whatever the dates asked for: an allowed adoption is dated on a real day, and on that
    day every member has answered without objecting, or an expired silence deemed it."""
    allowed = adoption_allowed(
        on=on,
        version_made=version_made,
        today=today,
        timeline=timeline,
        positions=positions,
        bracketed=(),
        silence=silence,
    )
    if not allowed:
        return
    assert version_made <= on <= today
    for state in STATES:
        if status(state, timeline, on) is not Status.MEMBER:
            continue
        position = positions.get(state)
        assert position is None or position.stand is not Stand.OBJECTION
        assert position is not None or silence is SilenceOutcome.EXPIRED


@given(
    joined=days,
    after_join=st.integers(min_value=0, max_value=3000),
    to_today=st.integers(min_value=0, max_value=3000),
    on=days,
)
def test_backdating_cannot_escape_an_objection_by_a_member_since_before_the_text(
    joined, after_join, to_today, on
) -> None:
    """Attack 1: Belarus, a member since ``joined``, objects to a version made after it
    joined; no meeting date, in the past or future, lets the others adopt."""
    version_made = joined + timedelta(days=after_join)
    today = version_made + timedelta(days=to_today)
    timeline = Timeline.of(
        [Span("BLR", Status.MEMBER, joined, None)]
        + [Span(s, Status.MEMBER, date(2001, 1, 1), None) for s in ("CHN", "KAZ", "RUS")]
    )
    positions = {s: Position(s, Stand.SUPPORT) for s in ("CHN", "KAZ", "RUS")}
    positions["BLR"] = Position("BLR", Stand.OBJECTION, "", ("op1",))
    assert not adoption_allowed(
        on=on,
        version_made=version_made,
        today=today,
        timeline=timeline,
        positions=positions,
        bracketed=(),
        silence=SilenceOutcome.EXPIRED,
    )
