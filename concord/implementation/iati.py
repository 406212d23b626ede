"""Activities as IATI 2.03 XML (activity standard), valid against the vendored XSD in
``standards/iati-2.03/``; the organization is the reporting organization.

Codes come from the published 2.03 codelists (listed in the vendored README):
ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType, IndicatorMeasure,
ResultType and RelatedActivityType.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from lxml import etree

from concord.implementation.models import Activity, Indicator, IndicatorValue
from concord.organization.models import Organization

XSD = Path(__file__).with_name("standards") / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: ActivityStatus: 1 Pipeline/identification, 2 Implementation, 3 Finalisation, 4 Closed,
#: 5 Cancelled, 6 Suspended.
ACTIVITY_STATUS = {"planned": "1", "ongoing": "2", "completed": "4", "cancelled": "5"}
#: ActivityDateType: 1 Planned start, 2 Actual start, 3 Planned end, 4 Actual end.
DATE_TYPE = {"start": "1", "actual_start": "2", "end": "3", "actual_end": "4"}
#: OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing.
ORG_ROLE = {"funder": "1", "lead": "2", "participant": "4"}
#: OrganisationType: 10 Government, 40 Multilateral.
GOVERNMENT, MULTILATERAL = "10", "40"
#: IndicatorMeasure: 1 Unit, 2 Percentage.
MEASURE_UNIT, MEASURE_PERCENT = "1", "2"
#: ResultType: 1 Output.
RESULT_OUTPUT = "1"
#: RelatedActivityType: 1 Parent, 2 Child.
RELATED_PARENT, RELATED_CHILD = "1", "2"

CODELISTS = {
    "activity-status": {"1", "2", "3", "4", "5", "6"},
    "activity-date": {"1", "2", "3", "4"},
    "participating-org/role": {"1", "2", "3", "4"},
    "participating-org/type": {
        "10",
        "15",
        "21",
        "22",
        "23",
        "24",
        "30",
        "40",
        "60",
        "70",
        "71",
        "72",
        "73",
        "80",
        "90",
    },
    "indicator/measure": {"1", "2", "3", "4", "5"},
    "result/type": {"1", "2", "3", "9"},
    "related-activity/type": {"1", "2", "3", "4", "5"},
}


def organisation_ref(org: Organization) -> str:
    """An identifier for an organization without an IATI registration: IATI's own
    registration agency prefix (XI-IATI) and the organization's abbreviation."""
    return f"XI-IATI-{(org.abbreviation or org.slug).upper()}"


def activity_identifier(org: Organization, activity: Activity) -> str:
    return f"{organisation_ref(org)}-{activity.external_id or activity.pk}"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def validate(xml: bytes) -> list[str]:
    """The XSD's complaints about ``xml`` (empty when valid)."""
    xsd = schema()
    if xsd.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def _narratives(parent: etree._Element, texts: dict[str, str], fallback: str) -> None:
    items = [(lang, text) for lang, text in sorted(texts.items()) if text] or [("en", fallback)]
    for lang, text in items:
        node = etree.SubElement(parent, "narrative")
        if lang != "en":
            node.set(XML_LANG, "zh" if lang.startswith("zh") else lang)
        node.text = text


def _periods(values: Sequence[IndicatorValue]) -> dict[int, list[IndicatorValue]]:
    """Values by calendar year (one IATI period per year)."""
    by_year: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        by_year[v.on.year].append(v)
    return by_year


def _result(
    parent: etree._Element,
    activity: Activity,
    indicators: Sequence[Indicator],
    values: dict[int, list[IndicatorValue]],
) -> None:
    result = etree.SubElement(parent, "result", type=RESULT_OUTPUT, **{"aggregation-status": "0"})
    _narratives(etree.SubElement(result, "title"), activity.titles, str(activity.pk))
    for indicator in indicators:
        node = etree.SubElement(
            result,
            "indicator",
            measure=MEASURE_PERCENT if indicator.unit.strip() == "%" else MEASURE_UNIT,
            ascending="1" if indicator.direction == "higher" else "0",
        )
        _narratives(etree.SubElement(node, "title"), indicator.names, str(indicator.pk))
        if indicator.baseline is not None:
            year = indicator.baseline_year or (activity.start.year if activity.start else 2000)
            etree.SubElement(node, "baseline", year=str(year), value=f"{indicator.baseline:g}")
        if indicator.target is not None and activity.start and activity.end:
            period = etree.SubElement(node, "period")
            etree.SubElement(period, "period-start", **{"iso-date": activity.start.isoformat()})
            etree.SubElement(period, "period-end", **{"iso-date": activity.end.isoformat()})
            etree.SubElement(period, "target", value=f"{indicator.target:g}")
        for year, rows in sorted(_periods(values.get(indicator.pk, [])).items()):
            period = etree.SubElement(node, "period")
            etree.SubElement(period, "period-start", **{"iso-date": date(year, 1, 1).isoformat()})
            etree.SubElement(period, "period-end", **{"iso-date": date(year, 12, 31).isoformat()})
            latest: dict[str | None, IndicatorValue] = {}
            for v in sorted(rows, key=lambda r: (r.on, r.pk)):
                latest[v.state.iso3 if v.state else None] = v
            for iso3, v in sorted(latest.items(), key=lambda kv: kv[0] or ""):
                actual = etree.SubElement(period, "actual", value=f"{v.value:g}")
                if iso3:
                    etree.SubElement(actual, "dimension", name="state", value=iso3)
                comment = etree.SubElement(actual, "comment")
                _narratives(comment, {"en": f"Source: {v.source}"}, v.source)


def activities_xml(
    org: Organization, activities: Iterable[Activity], *, now: datetime | None = None
) -> bytes:
    """IATI 2.03 XML for ``activities`` (with participants prefetched). Three queries for
    indicators, values and children, whatever the number of activities."""
    rows = list(activities)
    ids = [a.pk for a in rows]
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(activity_id__in=ids).order_by("id"):
        indicators[indicator.activity_id or 0].append(indicator)
    values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for v in IndicatorValue.objects.filter(indicator__activity_id__in=ids).select_related("state"):
        values[v.indicator_id].append(v)
    children: dict[int, list[Activity]] = defaultdict(list)
    for child in Activity.objects.filter(parent_id__in=ids).only("id", "external_id", "parent_id"):
        children[child.parent_id or 0].append(child)
    parents = {
        a.pk: a
        for a in Activity.objects.filter(pk__in={r.parent_id for r in rows if r.parent_id}).only(
            "id", "external_id"
        )
    }
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", version="2.03", **{"generated-datetime": stamp})
    for a in rows:
        node = etree.SubElement(
            root,
            "iati-activity",
            **{
                "last-updated-datetime": a.created_at.astimezone(UTC)
                .replace(microsecond=0)
                .isoformat(),
                "hierarchy": "2" if a.parent_id else "1",
            },
        )
        node.set(XML_LANG, "en")
        etree.SubElement(node, "iati-identifier").text = activity_identifier(org, a)
        reporting = etree.SubElement(
            node, "reporting-org", ref=organisation_ref(org), type=MULTILATERAL
        )
        _narratives(reporting, org.names or {"en": org.name}, org.name)
        _narratives(etree.SubElement(node, "title"), a.titles, str(a.pk))
        description = etree.SubElement(node, "description", type="1")
        texts = dict(a.descriptions)
        if a.illustrative:
            texts = {k: f"{v} (illustrative demo data)" for k, v in (texts or a.titles).items()}
        _narratives(description, texts or a.titles, str(a.pk))
        participants = list(a.participants.all())
        if not participants:
            org_node = etree.SubElement(
                node, "participating-org", role="2", type=MULTILATERAL, ref=organisation_ref(org)
            )
            _narratives(org_node, org.names or {"en": org.name}, org.name)
        for p in participants:
            org_node = etree.SubElement(
                node, "participating-org", role=ORG_ROLE[p.role], type=GOVERNMENT
            )
            _narratives(org_node, p.state.names, p.state.iso3)
        etree.SubElement(node, "activity-status", code=ACTIVITY_STATUS[a.status])
        dated = [
            ("start", a.start),
            ("actual_start", a.actual_start),
            ("end", a.end),
            ("actual_end", a.actual_end),
        ]
        if not any(d for _k, d in dated):
            dated = [("start", a.created_at.date())]
        for kind, day in dated:
            if day is not None:
                etree.SubElement(
                    node, "activity-date", type=DATE_TYPE[kind], **{"iso-date": day.isoformat()}
                )
        if a.parent_id and a.parent_id in parents:
            etree.SubElement(
                node,
                "related-activity",
                ref=activity_identifier(org, parents[a.parent_id]),
                type=RELATED_PARENT,
            )
        for child in children.get(a.pk, []):
            etree.SubElement(
                node, "related-activity", ref=activity_identifier(org, child), type=RELATED_CHILD
            )
        if indicators.get(a.pk):
            _result(node, a, indicators[a.pk], values)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
