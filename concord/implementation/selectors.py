"""Reads of implementation tracking: querysets already joined, and the summaries the
dashboards and the compliance endpoint show (a fixed number of queries whatever the size)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from concord.accounts.actor import Actor
from concord.common.errors import Conflict, NotFound
from concord.common.models import translated
from concord.implementation import rules
from concord.implementation.models import (
    Activity,
    Commitment,
    Cycle,
    Indicator,
    IndicatorValue,
    Participation,
    PriorityArea,
    Report,
    ReportStatus,
    Score,
    SuggestionDiscard,
)
from concord.negotiation.models import Adoption, Document, Provision
from concord.organization.models import Organization


def area_list(org: Organization) -> QuerySet[PriorityArea]:
    return PriorityArea.objects.filter(organization=org)


def commitment_list(
    org: Organization,
    *,
    area: str | None = None,
    state: str | None = None,
    document: int | None = None,
) -> QuerySet[Commitment]:
    qs = Commitment.objects.filter(organization=org).select_related("area", "document")
    if area:
        qs = qs.filter(area__slug=area)
    if document is not None:
        qs = qs.filter(document_id=document)
    if state:
        # Bound states are a JSON list; contains on a list works on SQLite and PostgreSQL
        # only through a Python filter, so the ids come from a cheap values() pass.
        ids = [
            pk
            for pk, bound in Commitment.objects.filter(organization=org).values_list("id", "bound")
            if state.upper() in bound
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("id")


@dataclass(frozen=True)
class Suggestion:
    provision: int
    key: str
    texts: dict[str, str]
    cue_language: str
    cue: str
    status: str  # "pending", "confirmed" or "discarded"
    commitment: int | None


def adopted_document(org: Organization, document_id: int) -> tuple[Document, Adoption]:
    """The organization's document ``document_id`` and its adoption; commitments come only
    from adopted texts."""
    document = Document.objects.filter(organization=org, pk=document_id).first()
    if document is None:
        raise NotFound(_("No document %(id)s."), field="document", id=document_id)
    adoption = Adoption.objects.select_related("version").filter(document=document).first()
    if adoption is None:
        raise Conflict(
            _("Document %(symbol)s is not adopted; commitments come only from adopted texts."),
            field="document",
            symbol=document.symbol,
        )
    return document, adoption


def suggestions(org: Organization, document_id: int) -> list[Suggestion]:
    """Operative provisions of the adopted text whose wording reads like a commitment."""
    _document, adoption = adopted_document(org, document_id)
    provisions = Provision.objects.filter(version=adoption.version).prefetch_related("texts")
    confirmed = dict(
        Commitment.objects.filter(provision__version=adoption.version).values_list(
            "provision_id", "id"
        )
    )
    discarded = set(
        SuggestionDiscard.objects.filter(provision__version=adoption.version).values_list(
            "provision_id", flat=True
        )
    )
    found = []
    for p in provisions:
        if p.kind == "preamble":
            continue
        texts = {t.language: t.text for t in p.texts.all()}
        cue = rules.suggestion_cue(texts)
        if cue is None:
            continue
        status = (
            "confirmed" if p.pk in confirmed else "discarded" if p.pk in discarded else "pending"
        )
        found.append(Suggestion(p.pk, p.key, texts, cue[0], cue[1], status, confirmed.get(p.pk)))
    return found


def cycle_list(org: Organization) -> QuerySet[Cycle]:
    return Cycle.objects.filter(organization=org)


def cycle_get(org: Organization, slug: str) -> Cycle:
    cycle = Cycle.objects.filter(organization=org, slug=slug).first()
    if cycle is None:
        raise NotFound(_("No compliance cycle %(cycle)s."), field="cycle", cycle=slug)
    return cycle


def score_history(commitment: Commitment) -> QuerySet[Score]:
    return Score.objects.filter(commitment=commitment).select_related("state", "cycle", "by")


def current_scores(org: Organization, cycle: Cycle | None) -> dict[tuple[int, str], int]:
    """The latest score per (commitment id, ISO3) in ``cycle`` (or, without a cycle, the
    latest in any cycle): one query."""
    qs = Score.objects.filter(commitment__organization=org)
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    latest: dict[tuple[int, str], int] = {}
    for commitment_id, iso3, score in qs.order_by("cycle__period_end", "id").values_list(
        "commitment_id", "state__iso3", "score"
    ):
        latest[(commitment_id, iso3)] = score
    return latest


@dataclass(frozen=True)
class AverageRow:
    key: str
    average: rules.Average


@dataclass(frozen=True)
class Compliance:
    cycle: str | None
    overall: rules.Average
    by_state: list[AverageRow]
    by_commitment: list[AverageRow]
    by_area: list[AverageRow]
    by_cycle: list[AverageRow]


def compliance(org: Organization, cycle: Cycle | None) -> Compliance:
    scores = current_scores(org, cycle)
    areas = dict(Commitment.objects.filter(organization=org).values_list("id", "area__slug"))
    per_state: dict[str, list[int]] = defaultdict(list)
    per_commitment: dict[int, list[int]] = defaultdict(list)
    per_area: dict[str, list[int]] = defaultdict(list)
    for (commitment_id, iso3), score in scores.items():
        per_state[iso3].append(score)
        per_commitment[commitment_id].append(score)
        per_area[areas.get(commitment_id, "")].append(score)
    return Compliance(
        cycle=cycle.slug if cycle else None,
        overall=rules.compliance_average(scores.values()),
        by_state=[AverageRow(k, rules.compliance_average(v)) for k, v in sorted(per_state.items())],
        by_commitment=[
            AverageRow(str(k), rules.compliance_average(v))
            for k, v in sorted(per_commitment.items())
        ],
        by_area=[AverageRow(k, rules.compliance_average(v)) for k, v in sorted(per_area.items())],
        by_cycle=_by_cycle(org),
    )


def _by_cycle(org: Organization) -> list[AverageRow]:
    """Each cycle's average of its current scores (one query), in period order."""
    latest: dict[tuple[str, int, int], int] = {}
    order: dict[str, tuple[date, str]] = {}
    for slug, end, commitment_id, state_id, score in (
        Score.objects.filter(commitment__organization=org)
        .order_by("id")
        .values_list("cycle__slug", "cycle__period_end", "commitment_id", "state_id", "score")
    ):
        latest[(slug, commitment_id, state_id)] = score
        order[slug] = (end, slug)
    per_cycle: dict[str, list[int]] = defaultdict(list)
    for (slug, _c, _s), score in latest.items():
        per_cycle[slug].append(score)
    return [
        AverageRow(slug, rules.compliance_average(per_cycle[slug]))
        for slug in sorted(per_cycle, key=lambda k: order[k])
    ]


def activity_list(
    org: Organization,
    *,
    kind: str | None = None,
    state: str | None = None,
    commitment: int | None = None,
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(organization=org).prefetch_related(
        Prefetch("participants", queryset=Participation.objects.select_related("state")),
        Prefetch("commitments", queryset=Commitment.objects.only("id")),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(participants__state__iso3=state.upper())
    if commitment is not None:
        qs = qs.filter(commitments__id=commitment)
    return qs.order_by("id").distinct()


@dataclass(frozen=True, slots=True)
class Latest:
    status: str
    progress: float | None


def latest_reports(org: Organization, *, on: str) -> dict[int, Latest]:
    """The latest report's status and progress per commitment (``on="commitment"``) or
    activity: one query, plain tuples (the dashboard reads thousands)."""
    latest: dict[int, Latest] = {}
    qs = Report.objects.filter(organization=org, **{f"{on}__isnull": False})
    for target, status, progress in qs.order_by("at", "id").values_list(
        f"{on}_id", "status", "progress"
    ):
        latest[target] = Latest(status, progress)
    return latest


def _report_progress(report: Latest | None) -> float:
    if report is None:
        return 0.0
    if report.progress is not None:
        return report.progress
    return rules.STATUS_PROGRESS[report.status]


def activity_progress(org: Organization) -> dict[int, float]:
    """Each activity's progress: its latest report's, or for a parent the weighted
    roll-up of its children (recursively), as in Decidim (two queries)."""
    rows = list(Activity.objects.filter(organization=org).values_list("id", "parent_id", "weight"))
    reports = latest_reports(org, on="activity")
    children: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pk, parent, weight in rows:
        if parent is not None:
            children[parent].append((pk, weight))
    done: dict[int, float] = {}

    def progress(pk: int, depth: int = 0) -> float:
        if pk in done:
            return done[pk]
        kids = children.get(pk)
        value: float | None = None
        if kids and depth < 50:
            value = rules.roll_up([rules.Child(progress(k, depth + 1), w) for k, w in kids])
        if value is None:
            value = _report_progress(reports.get(pk))
        done[pk] = value
        return value

    return {pk: progress(pk) for pk, _p, _w in rows}


def report_list(
    *, commitment: Commitment | None = None, activity: Activity | None = None
) -> QuerySet[Report]:
    qs = Report.objects.select_related("state", "by")
    if commitment is not None:
        qs = qs.filter(commitment=commitment)
    if activity is not None:
        qs = qs.filter(activity=activity)
    return qs.order_by("at", "id")


def indicator_list(org: Organization) -> QuerySet[Indicator]:
    return Indicator.objects.filter(organization=org).select_related("activity")


def value_list(indicator: Indicator, *, state: str | None = None) -> QuerySet[IndicatorValue]:
    qs = IndicatorValue.objects.filter(indicator=indicator).select_related("state")
    if state:
        qs = qs.filter(state__iso3=state.upper())
    return qs.order_by("on", "id")


# --- dashboard -------------------------------------------------------------------------------


@dataclass
class AreaRow:
    area: str
    name: str
    commitments: int = 0
    not_started: int = 0
    on_track: int = 0
    delayed: int = 0
    done: int = 0
    overdue: int = 0


@dataclass
class StateRow:
    iso3: str
    commitments: int = 0
    compliance_avg: float | None = None
    compliance_percent: float | None = None
    overdue: int = 0


@dataclass
class DueRow:
    kind: str  # "commitment" or "activity"
    id: int
    title: str
    due: date
    state: str  # "overdue" or "at_risk"
    status: str


@dataclass
class Dashboard:
    by_area: list[AreaRow]
    by_state: list[StateRow]
    commitments: list[Commitment]
    heat: dict[tuple[int, str], int]  # (commitment id, ISO3) -> current score
    due: list[DueRow] = field(default_factory=list)


def dashboard(
    org: Organization, *, area: str | None = None, state: str | None = None, today: date, lang: str
) -> Dashboard:
    """The numbers behind the dashboard: per area, per state, the heat map and what is due.
    Five queries whatever the number of commitments, activities or values."""
    areas = list(area_list(org))
    qs = Commitment.objects.filter(organization=org).only(
        "id", "area_id", "bound", "due", "texts", "provision_key", "lead_states", "illustrative"
    )
    commitments = list((qs.filter(area__slug=area) if area else qs).order_by("id"))
    if state:
        commitments = [c for c in commitments if state.upper() in c.bound]
    latest = latest_reports(org, on="commitment")
    scores = current_scores(org, None)
    area_rows = {
        a.pk: AreaRow(a.slug, a.name_in(lang)) for a in areas if not area or a.slug == area
    }
    state_rows: dict[str, StateRow] = {}
    per_state_scores: dict[str, list[int]] = defaultdict(list)
    due_rows: list[DueRow] = []
    for c in commitments:
        report = latest.get(c.pk)
        status = report.status if report else ReportStatus.NOT_STARTED
        done = status == ReportStatus.DONE
        when = rules.due_state(c.due, today, done=done)
        row = area_rows.get(c.area_id)
        if row is not None:
            row.commitments += 1
            setattr(row, status, getattr(row, status) + 1)
            row.overdue += when == "overdue"
        if when and c.due is not None:
            due_rows.append(DueRow("commitment", c.pk, c.text_in(lang), c.due, when, status))
        for iso3 in c.bound:
            if state and iso3 != state.upper():
                continue
            srow = state_rows.setdefault(iso3, StateRow(iso3))
            srow.commitments += 1
            srow.overdue += when == "overdue"
            if (c.pk, iso3) in scores:
                per_state_scores[iso3].append(scores[(c.pk, iso3)])
    for iso3, row_scores in per_state_scores.items():
        avg = rules.compliance_average(row_scores)
        state_rows[iso3].compliance_avg = avg.score
        state_rows[iso3].compliance_percent = avg.percent
    activity_reports = latest_reports(org, on="activity")
    for pk, titles, end, a_status in Activity.objects.filter(
        organization=org, end__isnull=False
    ).values_list("id", "titles", "end", "status"):
        latest_a = activity_reports.get(pk)
        finished = a_status in ("completed", "cancelled") or (
            latest_a is not None and latest_a.status == ReportStatus.DONE
        )
        when = rules.due_state(end, today, done=finished)
        if when and end is not None:
            title = translated(titles, lang, str(pk))
            last = latest_a.status if latest_a else ""
            due_rows.append(DueRow("activity", pk, title, end, when, last))
    due_rows.sort(key=lambda r: (r.due, r.kind, r.id))
    return Dashboard(
        by_area=list(area_rows.values()),
        by_state=sorted(state_rows.values(), key=lambda r: r.iso3),
        commitments=commitments,
        heat=scores,
        due=due_rows,
    )


def timeline_activities(org: Organization, *, limit: int = 40) -> list[Activity]:
    """The activities of the timeline: those with dates, soonest first (one query)."""
    return list(
        Activity.objects.filter(organization=org)
        .exclude(start__isnull=True, end__isnull=True)
        .only("id", "titles", "start", "end", "status", "kind", "illustrative")
        .order_by("start", "id")[:limit]
    )


def indicator_series(indicator: Indicator) -> dict[str, list[tuple[date, float]]]:
    """Monthly means per state ("" = organization-wide) of an indicator's values, grouped by
    the database (one query, however many values)."""
    from django.db.models import Avg
    from django.db.models.functions import TruncMonth

    rows = (
        IndicatorValue.objects.filter(indicator=indicator)
        .annotate(month=TruncMonth("on"))
        .values("state__iso3", "month")
        .annotate(mean=Avg("value"))
        .order_by("state__iso3", "month")
    )
    found: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for row in rows:
        month = row["month"]
        day = month.date() if hasattr(month, "date") else month
        found[row["state__iso3"] or ""].append((day, float(row["mean"])))
    return dict(found)


_Row = TypeVar("_Row", bound=Model)

# ------------------------------------------------ fetches by a user-given key
# Each returns the row if the actor may see it, else NotFound (missing and forbidden alike);
# the decision is access.py's. With ``for_update`` the row is locked (inside atomic).


def _implementation_row(model: type[_Row], pk: int, *, for_update: bool, label: Any) -> _Row:
    qs = model._default_manager.select_related("organization")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No %(what)s %(id)s."), what=label, id=pk)
    return row


def commitment_for_actor(
    actor: Actor, commitment_id: int, *, for_update: bool = False
) -> Commitment:
    return _implementation_row(
        Commitment, commitment_id, for_update=for_update, label=_("commitment")
    )


def activity_for_actor(actor: Actor, activity_id: int, *, for_update: bool = False) -> Activity:
    return _implementation_row(Activity, activity_id, for_update=for_update, label=_("activity"))


def indicator_for_actor(actor: Actor, indicator_id: int, *, for_update: bool = False) -> Indicator:
    return _implementation_row(Indicator, indicator_id, for_update=for_update, label=_("indicator"))


def cycle_for_actor(actor: Actor, cycle_id: int, *, for_update: bool = False) -> Cycle:
    return _implementation_row(Cycle, cycle_id, for_update=for_update, label=_("cycle"))
