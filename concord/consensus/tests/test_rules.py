"""Properties of ``consensus`` over random timelines, positions, brackets and silence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concord.consensus.membership import Timeline, can_block
from concord.consensus.positions import ACCEPTING, BLOCKING, Position, Stand
from concord.consensus.rules import Reason, ReasonCode, consensus
from concord.consensus.silence import SilenceOutcome
from concord.consensus.tests.strategies import (
    PROVISIONS,
    days,
    position_maps,
    positions_for,
    timelines,
)

silences = st.none() | st.sampled_from(SilenceOutcome)
bracket_sets = st.lists(st.sampled_from(PROVISIONS), max_size=3)


@given(timelines(), days, position_maps(), bracket_sets, silences)
def test_reached_iff_members_accept_none_objects_and_no_brackets(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: list[str],
    silence: SilenceOutcome | None,
) -> None:
    members = timeline.members_on(on)

    def accepts(state: str) -> bool:
        position = positions.get(state)
        if position is not None and position.stand in ACCEPTING:
            return True
        silent = position is None or position.stand is Stand.NONE
        return silent and silence is SilenceOutcome.EXPIRED

    expected = (
        bool(members)
        and all(accepts(s) for s in members)
        and not any(positions[s].stand in BLOCKING for s in members & positions.keys())
        and not bracketed
    )
    verdict = consensus(
        timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=silence
    )
    assert verdict.reached is expected
    assert verdict.explanation.startswith(
        "Consensus is reached" if expected else "Consensus is not reached"
    )


@given(timelines(), days, position_maps(), bracket_sets, silences)
def test_only_members_block_or_are_pending(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: list[str],
    silence: SilenceOutcome | None,
) -> None:
    verdict = consensus(
        timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=silence
    )
    members = timeline.members_on(on)
    assert set(verdict.blocking) <= members
    assert set(verdict.pending) <= members
    assert set(verdict.deemed) <= members
    assert {s for s in members if positions.get(s) and positions[s].objects} == set(
        verdict.blocking
    )
    # Every member falls in exactly one bucket: accepted, deemed, pending or blocking.
    buckets = [verdict.blocking, verdict.pending, verdict.deemed]
    assert sum(len(b) for b in buckets) == len(set().union(*buckets))
    for field in (verdict.blocking, verdict.pending, verdict.bracketed, verdict.deemed):
        assert list(field) == sorted(set(field))


@given(timelines(), days, position_maps(), bracket_sets, silences, st.data())
def test_a_non_member_objection_never_blocks(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: list[str],
    silence: SilenceOutcome | None,
    data: st.DataObject,
) -> None:
    non_members = sorted({s.state for s in timeline.spans} - timeline.members_on(on))
    if not non_members:
        return
    state = data.draw(st.sampled_from(non_members))
    before = consensus(
        timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=silence
    )
    objecting = {**positions, state: Position(state, Stand.OBJECTION, "", ("op1",))}
    after = consensus(
        timeline=timeline, on=on, positions=objecting, bracketed=bracketed, silence=silence
    )
    assert (after.reached, after.blocking, after.pending) == (
        before.reached,
        before.blocking,
        before.pending,
    )
    assert Reason(ReasonCode.NON_MEMBER_OBJECTION, (state,), ("op1",)) in after.reasons


@given(timelines(), days, position_maps(), bracket_sets, silences, st.data())
def test_a_member_objection_always_blocks_even_after_silence(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: list[str],
    silence: SilenceOutcome | None,
    data: st.DataObject,
) -> None:
    members = sorted(timeline.members_on(on))
    if not members:
        return
    state = data.draw(st.sampled_from(members))
    objecting = {**positions, state: Position(state, Stand.OBJECTION, "", ("op2",))}
    verdict = consensus(
        timeline=timeline, on=on, positions=objecting, bracketed=bracketed, silence=silence
    )
    assert not verdict.reached
    assert state in verdict.blocking
    assert state not in verdict.deemed
    assert f"{state} objects to op2" in verdict.explanation


@given(timelines(), days, position_maps(), st.lists(st.sampled_from(PROVISIONS), min_size=1))
def test_a_bracketed_version_is_never_adoptable(
    timeline: Timeline, on: date, positions: dict[str, Position], bracketed: list[str]
) -> None:
    # Even when every member supports and silence expired.
    everyone = {s.state: Position(s.state, Stand.SUPPORT) for s in timeline.spans if s.covers(on)}
    for given_positions in (positions, everyone):
        verdict = consensus(
            timeline=timeline,
            on=on,
            positions=given_positions,
            bracketed=bracketed,
            silence=SilenceOutcome.EXPIRED,
        )
        assert not verdict.reached
        assert verdict.bracketed == tuple(sorted(set(bracketed)))


@given(timelines(), days, position_maps(st.sampled_from([Stand.SUPPORT, Stand.NONE])))
def test_expired_silence_counts_silent_members_as_accepting(
    timeline: Timeline, on: date, positions: dict[str, Position]
) -> None:
    verdict = consensus(
        timeline=timeline,
        on=on,
        positions=positions,
        bracketed=(),
        silence=SilenceOutcome.EXPIRED,
    )
    members = timeline.members_on(on)
    assert verdict.reached is bool(members)
    assert verdict.pending == ()
    silent = {s for s in members if s not in positions or positions[s].stand is Stand.NONE}
    assert set(verdict.deemed) == silent


@given(
    timelines(),
    days,
    position_maps(st.sampled_from([Stand.SUPPORT, Stand.NONE])),
    st.sampled_from([None, SilenceOutcome.RUNNING, SilenceOutcome.BROKEN]),
)
def test_without_expired_silence_silent_members_are_pending(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    silence: SilenceOutcome | None,
) -> None:
    verdict = consensus(
        timeline=timeline, on=on, positions=positions, bracketed=(), silence=silence
    )
    members = timeline.members_on(on)
    silent = {s for s in members if s not in positions or positions[s].stand is Stand.NONE}
    assert set(verdict.pending) == silent
    assert verdict.deemed == ()
    assert verdict.reached is (bool(members) and not silent)


@given(timelines(), days, position_maps(), bracket_sets, silences)
def test_output_does_not_depend_on_input_order(
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: list[str],
    silence: SilenceOutcome | None,
) -> None:
    forward = consensus(
        timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=silence
    )
    backward = consensus(
        timeline=Timeline.of(reversed(timeline.spans)),
        on=on,
        positions=dict(reversed(list(positions.items()))),
        bracketed=list(reversed(bracketed)),
        silence=silence,
    )
    assert forward == backward


@given(st.sampled_from(Stand), st.data())
def test_stand_vocabulary_is_partitioned(stand: Stand, data: st.DataObject) -> None:
    assert not (BLOCKING & ACCEPTING)
    position = data.draw(positions_for("RUS", st.just(stand)))
    assert position.accepts is (stand in ACCEPTING)
    assert position.objects is (stand in BLOCKING)


def test_a_position_filed_under_another_state_is_refused() -> None:
    timeline = Timeline.of([])
    with pytest.raises(ValueError, match="filed under"):
        consensus(
            timeline=timeline,
            on=date(2024, 1, 1),
            positions={"RUS": Position("CHN", Stand.SUPPORT)},
            bracketed=(),
            silence=None,
        )


def test_no_members_means_no_consensus() -> None:
    verdict = consensus(
        timeline=Timeline.of([]), on=date(2024, 1, 1), positions={}, bracketed=(), silence=None
    )
    assert not verdict.reached
    assert verdict.reasons == (Reason(ReasonCode.NO_MEMBERS),)
    assert verdict.explanation == "Consensus is not reached: the body has no members on 2024-01-01."


def test_can_block_agrees_with_blocking() -> None:
    # consensus() and membership.can_block must draw the same line.
    from concord.consensus.tests.sco import SCO

    on = date(2023, 1, 1)
    verdict = consensus(
        timeline=SCO,
        on=on,
        positions={
            s: Position(s, Stand.OBJECTION, "", ("op1",)) for s in ("IRN", "RUS", "TUR", "MNG")
        },
        bracketed=(),
        silence=None,
    )
    assert set(verdict.blocking) == {
        s for s in ("IRN", "RUS", "TUR", "MNG") if can_block(s, SCO, on)
    }
    assert replace(verdict, explanation="") != verdict
