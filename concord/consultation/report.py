"""What the map and report pages show, and the report as a PDF (fpdf2).

``map_view`` turns the latest snapshot into plain data for the templates (a bounded
number of queries whatever the size of the consultation); ``report_pdf`` writes the same
data as a PDF in the font of the publication package (Latin, Cyrillic and Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from concord.consultation import selectors
from concord.consultation.maps import display_of, project
from concord.consultation.models import Consultation, Participant, Statement, same_language

WIDTH, HEIGHT, PAD = 640.0, 420.0, 24.0


@dataclass
class Line:
    id: int
    text: str
    direction: str = ""
    agree: int = 0
    disagree: int = 0
    passes: int = 0
    citations: list[Any] = field(default_factory=list)
    #: The language ``text`` is in (the reader's when translated, else the original's).
    lang: str = ""
    #: The language the statement was written in.
    original_lang: str = ""
    #: Whether ``lang`` differs from the page's: the page marks it.
    foreign: bool = False

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passes

    @property
    def agree_percent(self) -> int:
        return round(100 * self.agree / self.seen) if self.seen else 0

    @property
    def disagree_percent(self) -> int:
        return round(100 * self.disagree / self.seen) if self.seen else 0


def _scale(points: list[tuple[float, float]]) -> tuple[Any, Any]:
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    sx = (WIDTH - 2 * PAD) / (x1 - x0) if x1 > x0 else 0.0
    sy = (HEIGHT - 2 * PAD) / (y1 - y0) if y1 > y0 else 0.0

    def fx(x: float) -> float:
        return round(PAD + (x - x0) * sx if sx else WIDTH / 2, 1)

    def fy(y: float) -> float:
        # SVG's y grows downwards; the map's grows upwards.
        return round(HEIGHT - PAD - (y - y0) * sy if sy else HEIGHT / 2, 1)

    return fx, fy


def map_view(
    consultation: Consultation, participant: Participant | None, lang: str | None
) -> dict[str, Any]:
    snapshot = selectors.latest_snapshot_shown(consultation)
    base: dict[str, Any] = {
        "consultation": consultation,
        "title": consultation.title_in(lang),
        "description": consultation.description_in(lang),
        "snapshot": snapshot,
        "width": int(WIDTH),
        "height": int(HEIGHT),
        "source": consultation.source,
    }
    if snapshot is None:
        return base
    # Maps stored before ``display`` existed are reduced here (loading the deferred fields).
    data = snapshot.display or display_of(snapshot.map, snapshot.points or {})
    mine: tuple[float, float] | None = None
    my_group = None
    if participant is not None:
        own = selectors.snapshot_point(snapshot, participant.pk)
        if own is not None:
            mine = (own[0], own[1])
            my_group = int(own[2]) if own[2] >= 0 else None
        else:
            mine = project(snapshot, selectors.votes_of(participant))
    drawn = data.get("dots", [])
    all_xy = [(v[0], v[1]) for v in drawn] + ([mine] if mine else [])
    fx, fy = _scale(all_xy)
    dots = [{"x": fx(v[0]), "y": fy(v[1]), "group": v[2] if v[2] >= 0 else "x"} for v in drawn]
    me = {"x": fx(mine[0]), "y": fy(mine[1])} if mine else None

    wanted = {r["statement"] for g in data.get("groups", []) for r in g["representative"]}
    wanted |= {c["statement"] for c in data.get("consensus", [])}
    wanted |= set(data.get("divisive", []))
    texts: dict[int, Statement] = selectors.statements_by_id(consultation, sorted(wanted))
    counts = selectors.statement_counts(consultation)

    group_counts = (snapshot.projection or {}).get("group_counts") or {}

    def line(sid: int, direction: str = "", group: int | None = None) -> Line:
        s = texts.get(sid)
        a, d, p = counts.get(sid, (0, 0, 0))
        within = group_counts.get(str(group), {}).get(str(sid)) if group is not None else None
        if within is not None:
            a, d, p = within[0], within[1], within[2] - within[0] - within[1]
        text, shown = s.text_in(lang) if s else ("", "")
        return Line(
            id=sid,
            text=text,
            lang=shown,
            original_lang=s.lang if s else "",
            foreign=bool(s) and not same_language(shown, lang or "en"),
            direction=direction,
            agree=a,
            disagree=d,
            passes=p,
            citations=list(s.citations.all()) if s else [],
        )

    groups = [
        {
            "id": g["id"],
            "label": _group_label(g["id"]),
            "size": g["size"],
            "representative": [
                line(r["statement"], r["direction"], g["id"]) for r in g["representative"]
            ],
            "mine": my_group == g["id"],
        }
        for g in data.get("groups", [])
    ]
    return {
        **base,
        "dots": dots,
        "me": me,
        "groups": groups,
        "consensus": [line(c["statement"], c["direction"]) for c in data.get("consensus", [])],
        "divisive": [line(sid) for sid in data.get("divisive", [])],
        "shown": len(dots),
    }


def _group_label(group_id: int) -> str:
    # Groups are named by letter, as in Pol.is: A is the largest.
    letter = chr(ord("A") + group_id) if 0 <= group_id < 26 else str(group_id)
    return _("Group %(letter)s") % {"letter": letter}


# --------------------------------------------------------------------------- PDF


def _font() -> tuple[str, int | None]:
    """The publication package's font when it is installed (Latin, Cyrillic, Chinese),
    else DejaVu Sans (Latin, Cyrillic) from the system."""
    try:
        from concord.negotiation.publication.pdf import font_path

        return str(font_path()), 2
    except Exception:  # the package or its font is not installed here
        for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
            if Path(candidate).exists():
                return candidate, None
    return "", None


def report_pdf(view: dict[str, Any], lang: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4", unit="mm")
    path, face = _font()
    if path:
        if face is None:
            pdf.add_font("Report", "", path)
        else:
            pdf.add_font("Report", "", path, collection_font_number=face)
        family = "Report"
    else:
        family = "Helvetica"
    pdf.set_title(str(view["title"]))
    pdf.set_creator("Concord")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(size: int, body: str, gap: float = 2.0) -> None:
        if family == "Helvetica":
            body = body.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font(family, size=size)
        pdf.multi_cell(width, size * 0.5, body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    text(16, str(view["title"]), 3)
    if view.get("description"):
        text(10, str(view["description"]))
    snapshot = view.get("snapshot")
    if snapshot is None:
        text(11, _("No opinion map has been computed yet."))
        return bytes(pdf.output())
    text(
        9,
        _(
            "Map computed %(when)s from %(votes)s votes of %(participants)s participants "
            "on %(statements)s statements; %(clustered)s participants in %(groups)s groups."
        )
        % {
            "when": snapshot.computed_at.strftime("%Y-%m-%d %H:%M UTC"),
            "votes": snapshot.votes,
            "participants": snapshot.participants,
            "statements": snapshot.statements,
            "clustered": snapshot.clustered,
            "groups": len(view["groups"]),
        },
        4,
    )

    def lines(title: str, items: list[Line]) -> None:
        text(13, title, 1)
        if not items:
            text(10, _("None."))
        for item in items:
            direction = {"agree": _("agree"), "disagree": _("disagree")}.get(item.direction, "")
            stats = _("%(agree)s%% agree, %(disagree)s%% disagree, %(seen)s votes") % {
                "agree": item.agree_percent,
                "disagree": item.disagree_percent,
                "seen": item.seen,
            }
            head = f"#{item.id} " + (f"({direction}) " if direction else "")
            if item.foreign:
                head += f"[{item.lang}] "
            text(10, f"{head}{item.text}\n{stats}", 1)
        pdf.ln(2)

    lines(_("Majority opinion"), view["consensus"])
    text(
        9,
        _(
            "Statements that more than half of everyone who voted on them agreed with (or "
            "disagreed with), beyond chance at %(confidence)s confidence, whichever group "
            "they are in."
        )
        % {"confidence": "90%"},
    )
    for group in view["groups"]:
        lines(
            _("%(group)s (%(size)s participants): representative statements")
            % {"group": group["label"], "size": group["size"]},
            group["representative"],
        )
    lines(_("Divisive statements"), view["divisive"])
    source = view.get("source") or {}
    if source.get("attribution"):
        text(8, f"{source['attribution']} {source.get('url', '')}")
    return bytes(pdf.output())
