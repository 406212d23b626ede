"""Pages: the implementation dashboard (charts as SVG, each with its table and a CSV
download) and the reminders. Reads only; writes go through the API and its services."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.common.errors import NotFound
from concord.implementation import charts, selectors
from concord.implementation.models import ActivityKind, Indicator, ReportStatus
from concord.implementation.reminders import reminders as reminders_of
from concord.organization.models import Organization, State
from concord.organization.selectors import organization_get

HEAT_COLUMNS = 40
#: Overdue and at-risk rows on the page; the CSV has them all.
DUE_SHOWN = 50


def _org_or_404(slug: str) -> Organization:
    try:
        return organization_get(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _svg(markup: str) -> SafeString:
    # charts.shapes escapes every text it writes; the rest is numbers and fixed names.
    return mark_safe(markup)  # noqa: S308


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def _context(request: HttpRequest, org: Organization) -> dict[str, Any]:
    lang = get_language() or "en"
    today = timezone.now().date()
    areas = list(selectors.area_list(org))
    area = request.GET.get("area") or None
    if area and area not in {a.slug for a in areas}:
        area = None
    state = (request.GET.get("state") or "").upper() or None
    board = selectors.dashboard(org, area=area, state=state, today=today, lang=lang)
    codes = sorted({iso3 for c in board.commitments for iso3 in c.bound})
    names = {s.iso3: s.name_in(lang) for s in State.objects.filter(iso3__in=codes)}
    if state and state not in names:
        state = None
    page = _int(request.GET.get("page"), 1)
    pages = max((len(board.commitments) + HEAT_COLUMNS - 1) // HEAT_COLUMNS, 1)
    page = min(page, pages)
    shown = board.commitments[(page - 1) * HEAT_COLUMNS : page * HEAT_COLUMNS]
    rows = [(r.iso3, names.get(r.iso3, r.iso3)) for r in board.by_state]
    columns = [(c.pk, f"#{c.pk}") for c in shown]
    heat_rows = [
        {
            "iso3": iso3,
            "name": name,
            "cells": [board.heat.get((c.pk, iso3)) for c in shown],
        }
        for iso3, name in rows
    ]
    activities = selectors.timeline_activities(org)
    indicators = list(selectors.indicator_list(org))
    chosen: Indicator | None = None
    wanted = request.GET.get("indicator")
    for i in indicators:
        if wanted and str(i.pk) == wanted:
            chosen = i
    chosen = chosen or (indicators[0] if indicators else None)
    series = selectors.indicator_series(chosen) if chosen else {}
    series_named = {(names.get(k) or k or str(org)): v for k, v in series.items()}
    status_labels = dict(ReportStatus.choices)
    area_chart = charts.stacked_bars(
        [
            (
                r.name,
                {
                    "not_started": r.not_started,
                    "delayed": r.delayed,
                    "on_track": r.on_track,
                    "done": r.done,
                },
            )
            for r in board.by_area
        ]
    )
    heat_chart = charts.heat_map(rows, columns, board.heat)
    timeline_chart = charts.gantt(
        [(a.title_in(lang), a.start, a.end, a.status) for a in activities], today
    )
    series_chart = charts.series(series_named)
    return {
        "org": org,
        "org_name": org.name_in(lang),
        "area_options": [(a.slug, a.name_in(lang)) for a in areas],
        "area": area,
        "states": sorted(names.items(), key=lambda kv: kv[1]),
        "state": state,
        "board": board,
        "due_shown": board.due[:DUE_SHOWN],
        "any_illustrative": any(c.illustrative for c in board.commitments),
        "status_labels": status_labels,
        "statuses": [(s, status_labels[s]) for s in charts.STATUSES],
        "area_chart": area_chart,
        "area_svg": _svg(charts.shapes(area_chart)),
        "state_names": names,
        "heat_chart": heat_chart,
        "heat_svg": _svg(charts.shapes(heat_chart, rect_class="cell")),
        "heat_rows": heat_rows,
        "heat_columns": [(c.pk, c.text_in(lang)) for c in shown],
        "page": page,
        "pages": pages,
        "page_range": range(1, pages + 1),
        "activities": activities,
        "timeline_rows": [(a, a.title_in(lang)) for a in activities],
        "kinds": dict(ActivityKind.choices),
        "timeline_chart": timeline_chart,
        "timeline_svg": _svg(charts.shapes(timeline_chart)),
        "indicators": indicators,
        "indicator": chosen,
        "indicator_options": [(i.pk, i.name_in(lang)) for i in indicators],
        "indicator_name": chosen.name_in(lang) if chosen else "",
        "series": sorted(series_named.items()),
        "series_chart": series_chart,
        "series_svg": _svg(charts.shapes(series_chart, stroke_width=2)),
        "series_rows": [
            (name, day.strftime("%Y-%m"), f"{value:.2f}")
            for name, values in sorted(series_named.items())
            for day, value in values
        ],
        "lang": lang,
        "today": today,
    }


@require_safe
def dashboard(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org_or_404(org)
    context = _context(request, organization)
    template = (
        "implementation/_dashboard.html"
        if getattr(request, "htmx", False)
        else "implementation/dashboard.html"
    )
    return render(request, template, context)


def _csv(rows: list[list[Any]], name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def dashboard_csv(request: HttpRequest, org: str, chart: str) -> HttpResponse:
    """The table behind each chart, as CSV (same filters as the page)."""
    organization = _org_or_404(org)
    ctx = _context(request, organization)
    board = ctx["board"]
    if chart == "areas":
        rows: list[list[Any]] = [
            ["area", "commitments", "not_started", "on_track", "delayed", "done", "overdue"]
        ]
        rows += [
            [r.area, r.commitments, r.not_started, r.on_track, r.delayed, r.done, r.overdue]
            for r in board.by_area
        ]
    elif chart == "states":
        rows = [["iso3", "commitments", "compliance_avg", "compliance_percent", "overdue"]]
        rows += [
            [r.iso3, r.commitments, r.compliance_avg, r.compliance_percent, r.overdue]
            for r in board.by_state
        ]
    elif chart == "heatmap":
        rows = [["commitment", "iso3", "score"]]
        rows += [
            [c.pk, iso3, board.heat.get((c.pk, iso3), "")]
            for c in board.commitments
            for iso3 in c.bound
        ]
    elif chart == "due":
        rows = [["kind", "id", "title", "due", "state", "status"]]
        rows += [[d.kind, d.id, d.title, d.due, d.state, d.status] for d in board.due]
    elif chart == "timeline":
        rows = [["id", "title", "kind", "start", "end", "status", "illustrative"]]
        rows += [
            [a.pk, a.title_in(ctx["lang"]), a.kind, a.start, a.end, a.status, a.illustrative]
            for a in ctx["activities"]
        ]
    elif chart == "indicator" and ctx["indicator"] is not None:
        rows = [["indicator", "state", "month", "mean"]]
        rows += [
            [ctx["indicator"].pk, name, day, value]
            for name, values in ctx["series"]
            for day, value in values
        ]
    else:
        raise Http404(_("No such table."))
    return _csv(rows, f"{org}-{chart}.csv")


@require_safe
def reminders(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org_or_404(org)
    lang = get_language() or "en"
    due = reminders_of(organization, today=timezone.now().date(), lang=lang)
    names = {s.iso3: s.name_in(lang) for s in State.objects.filter(iso3__in=list(due))}
    context = {
        "org": organization,
        "org_name": organization.name_in(lang),
        "groups": [(iso3, names.get(iso3, iso3), items) for iso3, items in due.items()],
    }
    return render(request, "implementation/reminders.html", context)
