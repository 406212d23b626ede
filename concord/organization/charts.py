"""The membership timeline chart, computed as plain shapes for an inline SVG.

No chart library: the page stays readable without JavaScript, prints, and is tested
like any other HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from concord.organization.models import Membership

ROW = 22
LABEL_WIDTH = 150
PLOT_WIDTH = 760
TOP = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    status: str
    title: str


@dataclass(frozen=True)
class Row:
    y: float
    iso3: str
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    rows: list[Row]
    bars: list[Bar]
    ticks: list[Tick]
    today_x: float


def timeline_chart(memberships: list[Membership], *, lang: str, today: date) -> Timeline:
    """One row per state (members first, by joining date), one bar per status span."""
    if not memberships:
        return Timeline(LABEL_WIDTH + PLOT_WIDTH, TOP + ROW, [], [], [], 0.0)
    first = min(m.start for m in memberships)
    start = date(first.year, 1, 1)
    end = date(today.year + 1, 1, 1)
    span_days = (end - start).days

    def x(day: date) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * (day - start).days / span_days

    by_state: dict[str, list[Membership]] = {}
    for m in sorted(memberships, key=lambda m: m.start):
        by_state.setdefault(m.state.iso3, []).append(m)

    def order(iso3: str) -> tuple[int, date, str]:
        spans = by_state[iso3]
        member_since = next((s.start for s in spans if s.status == "member"), None)
        return (0, member_since, iso3) if member_since else (1, spans[0].start, iso3)

    rows: list[Row] = []
    bars: list[Bar] = []
    for i, iso3 in enumerate(sorted(by_state, key=order)):
        y = TOP + i * ROW
        spans = by_state[iso3]
        rows.append(Row(y, iso3, spans[0].state.name_in(lang)))
        for s in spans:
            stop = s.end or end
            bars.append(
                Bar(
                    x(s.start),
                    y + 3,
                    max(x(stop) - x(s.start), 1.5),
                    s.status,
                    f"{s.state.name_in(lang)}: {s.get_status_display()} {s.start}–{s.end or ''}",
                )
            )
    ticks = [Tick(x(date(year, 1, 1)), year) for year in range(start.year, end.year + 1, 2)]
    return Timeline(
        LABEL_WIDTH + PLOT_WIDTH + 10, TOP + len(rows) * ROW + 10, rows, bars, ticks, x(today)
    )
