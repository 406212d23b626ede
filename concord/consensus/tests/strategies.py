"""Hypothesis strategies for membership timelines, positions and versions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from concord.consensus.membership import Span, Status, Timeline
from concord.consensus.positions import Position, Stand

STATES = ("CHN", "IND", "IRN", "KAZ", "KGZ", "MNG", "PAK", "RUS", "TJK", "TUR", "UZB", "BLR")
PROVISIONS = ("pp1", "pp2", "op1", "op2", "op3")
# Free text does not affect any rule, so a few fixed texts keep generation fast.
TEXTS = ("", "Interprets op1 in line with national law.", "不影响成员国立场。")
FIRST_DAY = date(2001, 1, 1)
LAST_DAY = date(2030, 12, 31)

days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


@st.composite
def state_spans(draw: st.DrawFn, state: str) -> list[Span]:
    """Zero to three consecutive or separated statuses of one state, never overlapping."""
    cuts = sorted(draw(st.sets(days, min_size=0, max_size=6)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        spans.append(Span(state, draw(st.sampled_from(Status)), start, end))
    if len(cuts) % 2 and draw(st.booleans()):
        # An odd cut opens a status that is still held today.
        spans.append(Span(state, draw(st.sampled_from(Status)), cuts[-1], None))
    return spans


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    states = draw(st.lists(st.sampled_from(STATES), unique=True, min_size=1, max_size=8))
    return Timeline.of(span for state in states for span in draw(state_spans(state)))


@st.composite
def positions_for(draw: st.DrawFn, state: str, stands: st.SearchStrategy[Stand]) -> Position:
    stand = draw(stands)
    if stand is Stand.OBJECTION:
        provisions = tuple(draw(st.lists(st.sampled_from(PROVISIONS), min_size=1, max_size=3)))
        return Position(state, stand, draw(st.sampled_from(TEXTS)), provisions)
    if stand is Stand.RESERVATION:
        return Position(state, stand, draw(st.sampled_from(TEXTS[1:])))
    return Position(state, stand)


@st.composite
def position_maps(
    draw: st.DrawFn, stands: st.SearchStrategy[Stand] | None = None
) -> dict[str, Position]:
    """Positions for a random subset of ``STATES`` (a missing state has not answered)."""
    chosen = draw(st.lists(st.sampled_from(STATES), unique=True, max_size=len(STATES)))
    stand_strategy = stands if stands is not None else st.sampled_from(Stand)
    return {state: draw(positions_for(state, stand_strategy)) for state in chosen}


def day_after(on: date) -> date:
    return on + timedelta(days=1)
