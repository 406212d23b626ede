"""Dashboard charts as plain shapes for inline SVG (no Django, no chart library): the page
reads without JavaScript, prints, and each chart has its table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

#: Heat map colours by score (None: not scored), colour-blind-safe and labelled in tables.
SCORE_CLASS = {-1: "score-neg", 0: "score-zero", 1: "score-pos", None: "score-none"}
STATUSES = ("not_started", "delayed", "on_track", "done")
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
    "#393b79",
    "#637939",
)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    labels: list[Label]
    lines: list[Line]


@dataclass(frozen=True)
class Line:
    points: str
    colour: str
    title: str


def stacked_bars(rows: Sequence[tuple[str, dict[str, int]]], *, label_width: int = 260) -> Chart:
    """One horizontal bar per row, stacked by report status."""
    bar_h, gap, plot_w = 18, 8, 420
    most = max([sum(c.values()) for _l, c in rows] or [0]) or 1
    rects, labels = [], []
    for i, (label, counts) in enumerate(rows):
        y = 10 + i * (bar_h + gap)
        labels.append(Label(0, y + 13, label))
        x = float(label_width)
        for status in STATUSES:
            n = counts.get(status, 0)
            if n:
                w = plot_w * n / most
                rects.append(Rect(x, y, w, bar_h, f"status-{status}", f"{label}: {status} {n}"))
                x += w
        labels.append(Label(x + 4, y + 13, str(sum(counts.values()))))
    return Chart(label_width + plot_w + 40, 20 + len(rows) * (bar_h + gap), rects, labels, [])


def heat_map(
    states: Sequence[tuple[str, str]],
    columns: Sequence[tuple[int, str]],
    scores: dict[tuple[int, str], int],
) -> Chart:
    """States (rows: ISO3, name) x commitments (columns: id, short label), one cell per
    pair, coloured by the current score."""
    cell, left, top = 22, 170, 60
    rects, labels = [], []
    for j, (_cid, short) in enumerate(columns):
        labels.append(Label(left + j * cell + cell / 2, top - 8, short, "middle"))
    for i, (iso3, name) in enumerate(states):
        y = top + i * cell
        labels.append(Label(0, y + 15, name))
        for j, (cid, short) in enumerate(columns):
            score = scores.get((cid, iso3))
            text = "-" if score is None else f"{score:+d}"
            rects.append(
                Rect(
                    left + j * cell,
                    y,
                    cell - 2,
                    cell - 2,
                    SCORE_CLASS[score],
                    f"{name} · {short}: {text}",
                )
            )
    return Chart(left + len(columns) * cell + 10, top + len(states) * cell + 10, rects, labels, [])


def gantt(items: Sequence[tuple[str, date | None, date | None, str]], today: date) -> Chart:
    """Activities as bars from start to end on a shared time axis (css: status)."""
    dated = [(t, s, e, c) for t, s, e, c in items if s or e]
    left, plot_w, row = 240, 520, 20
    if not dated:
        return Chart(left + plot_w, 40, [], [], [])
    first = min((s or e) for _t, s, e, _c in dated if (s or e))  # type: ignore[type-var]
    last = max((e or s) for _t, s, e, _c in dated if (s or e))  # type: ignore[type-var]
    assert first is not None and last is not None
    span = max((last - first).days, 1)

    def x(d: date) -> float:
        return left + plot_w * (d - first).days / span

    rects, labels = [], []
    for year in range(first.year, last.year + 2):
        d = date(year, 1, 1)
        if first <= d <= last:
            labels.append(Label(x(d), 12, str(year), "middle"))
    for i, (title, start, end, css) in enumerate(dated):
        y = 20 + i * row
        s, e = start or end, end or start
        assert s is not None and e is not None
        labels.append(Label(0, y + 13, title[:38]))
        rects.append(
            Rect(x(s), y, max(x(e) - x(s), 2), row - 6, f"activity-{css}", f"{title}: {s} – {e}")
        )
    lines = []
    if first <= today <= last:
        lines.append(
            Line(f"{x(today):.1f},16 {x(today):.1f},{24 + len(dated) * row}", "#d00", "today")
        )
    return Chart(left + plot_w + 20, 30 + len(dated) * row, rects, labels, lines)


def series(data: dict[str, list[tuple[date, float]]]) -> Chart:
    """One polyline per state (or the organization) over time."""
    left, plot_w, plot_h, top = 50, 620, 220, 10
    points = [p for values in data.values() for p in values]
    if not points:
        return Chart(left + plot_w, 40, [], [], [])
    first, last = min(p[0] for p in points), max(p[0] for p in points)
    low, high = min(p[1] for p in points), max(p[1] for p in points)
    span, rng = max((last - first).days, 1), (high - low) or 1.0

    def xy(d: date, v: float) -> str:
        x = left + plot_w * (d - first).days / span
        return f"{x:.1f},{top + plot_h * (1 - (v - low) / rng):.1f}"

    lines, labels = (
        [],
        [
            Label(left - 4, top + 8, f"{high:g}", "end"),
            Label(left - 4, top + plot_h, f"{low:g}", "end"),
            Label(left, top + plot_h + 16, first.isoformat()),
            Label(left + plot_w, top + plot_h + 16, last.isoformat(), "end"),
        ],
    )
    for k, (name, values) in enumerate(sorted(data.items())):
        colour = PALETTE[k % len(PALETTE)]
        lines.append(Line(" ".join(xy(d, v) for d, v in sorted(values)), colour, name))
        labels.append(Label(left + plot_w + 6, top + 12 + 14 * k, name))
    return Chart(left + plot_w + 60, top + plot_h + 30, [], labels, lines)


def shapes(chart: Chart, *, rect_class: str = "", stroke_width: int = 1) -> str:
    """The chart's shapes as SVG markup, every text escaped: rendering hundreds of cells in
    Python is several times faster than a template loop with a filter per coordinate."""
    prefix = f"{rect_class} " if rect_class else ""
    parts = [
        f'<rect class="{prefix}{escape(r.css)}" x="{r.x:.1f}" y="{r.y:.1f}" '
        f'width="{r.width:.1f}" height="{r.height:.1f}"><title>{escape(r.title)}</title></rect>'
        for r in chart.rects
    ]
    parts += [
        f'<text x="{t.x:.1f}" y="{t.y:.1f}" text-anchor="{escape(t.anchor)}" '
        f'class="label">{escape(t.text)}</text>'
        for t in chart.labels
    ]
    parts += [
        f'<polyline points="{escape(line.points)}" stroke="{escape(line.colour)}" fill="none" '
        f'stroke-width="{stroke_width}"><title>{escape(line.title)}</title></polyline>'
        for line in chart.lines
    ]
    return "".join(parts)
