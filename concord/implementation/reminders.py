"""Reminders: per state, the commitments and activities due within 30 days or overdue,
on which that state has not reported in the last 90 days."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from concord.implementation.models import Activity, Commitment, Report
from concord.organization.models import Organization

DUE_WITHIN = timedelta(days=30)
REPORTED_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class Reminder:
    kind: str  # "commitment" or "activity"
    id: int
    title: str
    due: date
    overdue: bool
    last_report: date | None


def reminders(org: Organization, *, today: date, lang: str = "en") -> dict[str, list[Reminder]]:
    """ISO3 -> what that state should report on, soonest first (four queries)."""
    horizon = today + DUE_WITHIN
    since = today - REPORTED_WITHIN
    last: dict[tuple[str, int, str], date] = {}
    for kind_c, kind_a, iso3, at in Report.objects.filter(
        organization=org, state__isnull=False
    ).values_list("commitment_id", "activity_id", "state__iso3", "at"):
        key = (iso3, kind_c or kind_a, "commitment" if kind_c else "activity")
        day = at.date()
        if key not in last or last[key] < day:
            last[key] = day
    found: dict[str, list[Reminder]] = defaultdict(list)
    done = set(
        Report.objects.filter(
            organization=org, status="done", commitment__isnull=False
        ).values_list("commitment_id", "state__iso3")
    )
    for c in Commitment.objects.filter(organization=org, due__isnull=False, due__lte=horizon).only(
        "id", "texts", "provision_key", "due", "bound"
    ):
        assert c.due is not None
        for iso3 in c.bound:
            if (c.pk, iso3) in done:
                continue
            reported = last.get((iso3, c.pk, "commitment"))
            if reported is None or reported < since:
                found[iso3].append(
                    Reminder("commitment", c.pk, c.text_in(lang), c.due, c.due < today, reported)
                )
    for a in (
        Activity.objects.filter(organization=org, end__isnull=False, end__lte=horizon)
        .exclude(status__in=["completed", "cancelled"])
        .prefetch_related("participants__state")
        .only("id", "titles", "end")
    ):
        assert a.end is not None
        for p in a.participants.all():
            iso3 = p.state.iso3
            reported = last.get((iso3, a.pk, "activity"))
            if reported is None or reported < since:
                found[iso3].append(
                    Reminder("activity", a.pk, a.title_in(lang), a.end, a.end < today, reported)
                )
    return {k: sorted(v, key=lambda r: (r.due, r.kind, r.id)) for k, v in sorted(found.items())}
