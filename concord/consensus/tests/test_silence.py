"""The silence procedure: opening, breaking and its outcome, across time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concord.consensus.membership import Timeline
from concord.consensus.silence import (
    DeadlineNotInFuture,
    NaiveDatetime,
    NotAMember,
    NotRunning,
    ReasonRequired,
    SilenceError,
    SilenceOutcome,
    SilenceProcedure,
    VersionNotClean,
    break_silence,
    open_silence,
    outcome,
)
from concord.consensus.tests.sco import SCO
from concord.consensus.tests.strategies import STATES, timelines

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

zones = st.builds(
    timezone, st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m))
)
# Hypothesis takes naive bounds and attaches the zones itself.
aware = st.datetimes(
    min_value=datetime(2002, 1, 1), max_value=datetime(2030, 1, 1), timezones=zones
)
naive = st.datetimes(min_value=datetime(2002, 1, 1), max_value=datetime(2030, 1, 1))
gaps = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=30))


@given(naive, gaps)
def test_naive_datetimes_are_refused(now: datetime, gap: timedelta) -> None:
    for kwargs in (
        {"now": now, "deadline": (now + gap).replace(tzinfo=UTC)},
        {"now": now.replace(tzinfo=UTC), "deadline": now + gap},
    ):
        with pytest.raises(NaiveDatetime) as caught:
            open_silence(clean=True, **kwargs)
        assert caught.value.code == "silence_naive_datetime"
    proc = open_silence(
        now=now.replace(tzinfo=UTC), deadline=(now + gap).replace(tzinfo=UTC), clean=True
    )
    with pytest.raises(NaiveDatetime):
        outcome(proc, now)
    with pytest.raises(NaiveDatetime):
        break_silence(proc, state="RUS", now=now, reason="r", timeline=SCO)


@given(aware, gaps, zones)
def test_deadline_with_any_offset_runs_then_expires(
    now: datetime, gap: timedelta, zone: timezone
) -> None:
    deadline = (now + gap).astimezone(zone)
    proc = open_silence(now=now, deadline=deadline, clean=True)
    assert outcome(proc, now) is SilenceOutcome.RUNNING
    assert outcome(proc, deadline - timedelta(microseconds=1)) is SilenceOutcome.RUNNING
    # The same instant written in another zone is the same deadline.
    assert outcome(proc, deadline.astimezone(UTC)) is SilenceOutcome.EXPIRED
    assert outcome(proc, deadline + timedelta(days=1)) == "expired"


@given(aware, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)), zones)
def test_a_deadline_not_in_the_future_is_refused(
    now: datetime, gap: timedelta, zone: timezone
) -> None:
    with pytest.raises(DeadlineNotInFuture):
        open_silence(now=now, deadline=(now - gap).astimezone(zone), clean=True)


def test_a_bracketed_version_cannot_go_to_silence() -> None:
    with pytest.raises(VersionNotClean) as caught:
        open_silence(now=NOW, deadline=NOW + timedelta(days=3), clean=False)
    assert isinstance(caught.value, SilenceError)
    assert isinstance(caught.value, ValueError)


@given(timelines(), st.sampled_from(STATES), aware, gaps, st.floats(0, 2))
def test_break_only_before_the_deadline_and_only_by_members(
    timeline: Timeline, state: str, now: datetime, gap: timedelta, when: float
) -> None:
    proc = open_silence(now=now, deadline=now + gap, clean=True)
    at = now + gap * when
    member = timeline.members_on(proc.membership_date(at))
    if at >= proc.deadline:
        with pytest.raises(NotRunning):
            break_silence(proc, state=state, now=at, reason="Op2 unacceptable", timeline=timeline)
    elif state not in member:
        with pytest.raises(NotAMember):
            break_silence(proc, state=state, now=at, reason="Op2 unacceptable", timeline=timeline)
    else:
        broken = break_silence(
            proc, state=state, now=at, reason=" Op2 unacceptable ", timeline=timeline
        )
        assert (broken.broken_by, broken.broken_at, broken.reason) == (
            state,
            at,
            "Op2 unacceptable",
        )
        assert outcome(broken, at) is SilenceOutcome.BROKEN
        # Broken silence stays broken after the deadline: it never turns into agreement.
        assert outcome(broken, proc.deadline + gap) is SilenceOutcome.BROKEN
        # Before the break it was running; the past is not rewritten.
        assert outcome(broken, at - timedelta(microseconds=1)) in {
            SilenceOutcome.RUNNING,
            SilenceOutcome.BROKEN,
        }
        with pytest.raises(NotRunning):
            break_silence(broken, state=state, now=at, reason="again", timeline=timeline)


def test_breaking_needs_a_reason() -> None:
    proc = open_silence(now=NOW, deadline=NOW + timedelta(days=3), clean=True)
    with pytest.raises(ReasonRequired):
        break_silence(proc, state="RUS", now=NOW + timedelta(hours=1), reason="  ", timeline=SCO)


def test_breaking_before_opening_is_refused() -> None:
    proc = open_silence(now=NOW, deadline=NOW + timedelta(days=3), clean=True)
    with pytest.raises(NotRunning):
        break_silence(proc, state="RUS", now=NOW - timedelta(hours=1), reason="r", timeline=SCO)


def test_membership_is_judged_on_the_date_in_the_deadlines_zone() -> None:
    # Iran became a member on 4 July 2023. At 20:00 UTC on 3 July it is already 4 July in
    # Shanghai, where the chair set the deadline, so Iran may break silence.
    opened = datetime(2023, 7, 1, 9, 0, tzinfo=SHANGHAI)
    proc = open_silence(
        now=opened, deadline=datetime(2023, 7, 10, 18, 0, tzinfo=SHANGHAI), clean=True
    )
    at = datetime(2023, 7, 3, 20, 0, tzinfo=UTC)
    assert proc.membership_date(at) == date(2023, 7, 4)
    assert break_silence(proc, state="IRN", now=at, reason="r", timeline=SCO).broken_by == "IRN"
    with pytest.raises(NotAMember) as caught:
        # 15:00 UTC on 3 July is 23:00 in Shanghai: still 3 July, Iran still an observer.
        break_silence(proc, state="IRN", now=at - timedelta(hours=5), reason="r", timeline=SCO)
    assert caught.value.params["status"] == "observer"


def test_a_dialogue_partner_cannot_break_silence() -> None:
    proc = open_silence(now=NOW, deadline=NOW + timedelta(days=3), clean=True)
    with pytest.raises(NotAMember):
        break_silence(proc, state="TUR", now=NOW + timedelta(hours=1), reason="r", timeline=SCO)


@pytest.mark.parametrize(
    "fields",
    [
        {"broken_by": "RUS"},
        {"broken_by": "RUS", "broken_at": NOW + timedelta(hours=1)},
        {"broken_by": "RUS", "broken_at": NOW + timedelta(days=4), "reason": "late"},
        {"deadline": NOW},
    ],
)
def test_an_inconsistent_procedure_cannot_be_built(fields: dict[str, object]) -> None:
    base: dict[str, object] = {"opened_at": NOW, "deadline": NOW + timedelta(days=3)}
    with pytest.raises(SilenceError):
        SilenceProcedure(**{**base, **fields})  # type: ignore[arg-type]
