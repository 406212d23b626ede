"""REST endpoints of implementation tracking (issue 12): access -> service -> output."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from concord.accounts.auth import api_auth, optional_auth
from concord.common.errors import InvalidInput
from concord.implementation import csvio, iati, selectors, services
from concord.implementation.models import Activity, Commitment, IndicatorValue, Report, Score
from concord.implementation.rules import Average
from concord.implementation.schemas import (
    ActivityIn,
    ActivityOut,
    AreaOut,
    CommitmentIn,
    CommitmentOut,
    ComplianceOut,
    CycleIn,
    CycleOut,
    DashboardOut,
    DiscardIn,
    ImportOut,
    IndicatorIn,
    IndicatorOut,
    ReportIn,
    ReportOut,
    ScoreIn,
    ScoreOut,
    SuggestionOut,
    ValueIn,
    ValueOut,
)
from concord.organization.selectors import organization_get

router = Router(tags=["implementation"])

PAGE_MAX = 500
#: Overdue and at-risk items the dashboard lists (soonest first); all are in the CSV.
DUE_SHOWN = 100


class Page(Schema):
    """One page of a list; the bounds ``_page`` enforces, stated for clients."""

    limit: int = Field(100, ge=1, le=PAGE_MAX)
    # offset + limit stays a 64-bit integer (the database's); past the end a page is empty.
    offset: int = Field(0, ge=0, le=2**63 - 1 - PAGE_MAX)


def _page(qs: Any, page: Page) -> Any:
    if not 1 <= page.limit <= PAGE_MAX:
        raise InvalidInput(_("limit must be from 1 to %(max)s."), field="limit", max=PAGE_MAX)
    if page.offset < 0:
        raise InvalidInput(_("offset must not be negative."), field="offset")
    return qs[page.offset : page.offset + page.limit]


def commitment_out(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "external_id": c.external_id,
        "document": c.document_id,
        "symbol": c.document.symbol,
        "provision": c.provision_key,
        "texts": c.texts,
        "area": c.area.slug,
        "lead_states": c.lead_states,
        "bodies": c.bodies,
        "bound": c.bound,
        "adopted_on": c.adopted_on,
        "due": c.due,
        "illustrative": c.illustrative,
    }


def score_out(s: Score) -> dict[str, Any]:
    return {
        "id": s.pk,
        "commitment": s.commitment_id,
        "iso3": s.state.iso3,
        "cycle": s.cycle.slug,
        "score": s.score,
        "evidence": s.evidence,
        "text": s.text,
        "by": s.by.username,
        "at": s.at,
    }


def activity_out(a: Activity, progress: dict[int, float]) -> dict[str, Any]:
    return {
        "id": a.pk,
        "external_id": a.external_id,
        "kind": a.kind,
        "title": a.titles,
        "description": a.descriptions,
        "commitments": sorted(c.pk for c in a.commitments.all()),
        "states": [{"iso3": p.state.iso3, "role": p.role} for p in a.participants.all()],
        "bodies": [{"body": slug, "role": role} for slug, role in a.bodies],
        "start": a.start,
        "end": a.end,
        "place": a.place,
        "parent": a.parent_id,
        "weight": a.weight,
        "status": a.status,
        "progress": progress.get(a.pk, 0.0),
        "illustrative": a.illustrative,
    }


def report_out(r: Report) -> dict[str, Any]:
    return {
        "id": r.pk,
        "commitment": r.commitment_id,
        "activity": r.activity_id,
        "state": r.state.iso3 if r.state else None,
        "status": r.status,
        "progress": r.progress,
        "narrative": r.narrative,
        "evidence": r.evidence,
        "by": r.by.username,
        "at": r.at,
        "illustrative": r.illustrative,
    }


def indicator_out(i: Any) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.names,
        "unit": i.unit,
        "scope": i.scope,
        "direction": i.direction,
        "activity": i.activity_id,
        "baseline": i.baseline,
        "baseline_year": i.baseline_year,
        "target": i.target,
        "illustrative": i.illustrative,
    }


def value_out(v: IndicatorValue) -> dict[str, Any]:
    return {
        "id": v.pk,
        "indicator": v.indicator_id,
        "state": v.state.iso3 if v.state else None,
        "date": v.on,
        "value": v.value,
        "source": v.source,
        "illustrative": v.illustrative,
    }


def _average(key: str, a: Average) -> dict[str, Any]:
    return {"key": key, "average": a.score, "percent": a.percent, "scored": a.count}


# --- priority areas, commitments, suggestions -------------------------------------------------


@router.get("/orgs/{org}/areas", response=list[AreaOut])
def areas(request: HttpRequest, org: str) -> Any:
    return [{"slug": a.slug, "names": a.names} for a in selectors.area_list(organization_get(org))]


@router.get("/orgs/{org}/commitments", auth=optional_auth, response=list[CommitmentOut])
def commitments(
    request: HttpRequest,
    org: str,
    page: Query[Page],
    area: str | None = None,
    state: str | None = None,
    document: int | None = None,
) -> Any:
    organization = organization_get(org)
    qs = selectors.commitment_list(organization, area=area, state=state, document=document)
    return [commitment_out(c) for c in _page(qs, page)]


@router.post("/orgs/{org}/commitments", auth=api_auth, response={201: CommitmentOut})
def commitment_create(request: HttpRequest, org: str, payload: CommitmentIn) -> Any:
    c = services.commitment_create(
        actor=request.user,
        org_slug=org,
        document_id=payload.document,
        provision=payload.provision,
        texts=payload.texts,
        area=payload.area,
        lead_states=payload.lead_states,
        bodies=payload.bodies,
        due=payload.due,
        external_id=payload.external_id,
    )
    return Status(201, commitment_out(c))


@router.get("/orgs/{org}/commitments/suggestions", auth=optional_auth, response=list[SuggestionOut])
def suggestions(request: HttpRequest, org: str, document: int) -> Any:
    return selectors.suggestions(organization_get(org), document)


@router.post(
    "/orgs/{org}/commitments/suggestions/actions/discard", auth=api_auth, response=SuggestionOut
)
def suggestion_discard(request: HttpRequest, org: str, payload: DiscardIn) -> Any:
    # One transaction: a discard the list would not show is refused and not kept.
    with transaction.atomic():
        return _discard(request, org, payload)


def _discard(request: HttpRequest, org: str, payload: DiscardIn) -> Any:
    organization = organization_get(org)
    discard = services.suggestion_discard(
        actor=request.user,
        org_slug=organization.slug,
        document_id=payload.document,
        provision=payload.provision,
        reason=payload.reason,
    )
    found = selectors.suggestions(organization, payload.document)
    shown = next((s for s in found if s.provision == discard.provision_id), None)
    if shown is None:
        raise InvalidInput(
            _("Provision %(provision)s is not a suggested commitment."),
            field="provision",
            provision=str(payload.provision),
        )
    return shown


@router.get("/commitments/{commitment_id}", auth=optional_auth, response=CommitmentOut)
def commitment_detail(request: HttpRequest, commitment_id: int) -> Any:
    c = selectors.commitment_for_actor(request.user, commitment_id)
    return commitment_out(selectors.commitment_list(c.organization).filter(pk=c.pk)[0])


# --- compliance -------------------------------------------------------------------------------


@router.get("/orgs/{org}/cycles", response=list[CycleOut])
def cycles(request: HttpRequest, org: str) -> Any:
    return list(selectors.cycle_list(organization_get(org)))


@router.post("/orgs/{org}/cycles", auth=api_auth, response={201: CycleOut})
def cycle_create(request: HttpRequest, org: str, payload: CycleIn) -> Any:
    cycle = services.cycle_create(
        actor=request.user,
        org_slug=org,
        slug=payload.slug,
        kind=payload.kind,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, cycle)


@router.post("/cycles/{cycle_id}/actions/publish", auth=api_auth, response=CycleOut)
def cycle_publish(request: HttpRequest, cycle_id: int) -> Any:
    return services.cycle_publish(actor=request.user, cycle_id=cycle_id)


@router.put("/commitments/{commitment_id}/compliance/{iso3}", auth=api_auth, response=ScoreOut)
def score_set(request: HttpRequest, commitment_id: int, iso3: str, payload: ScoreIn) -> Any:
    score = services.score_set(
        actor=request.user,
        commitment_id=commitment_id,
        iso3=iso3,
        cycle=payload.cycle,
        score=payload.score,
        evidence=payload.evidence,
        text=payload.text,
    )
    return score_out(score)


@router.get("/commitments/{commitment_id}/compliance", auth=optional_auth, response=list[ScoreOut])
def score_history(request: HttpRequest, commitment_id: int) -> Any:
    c = selectors.commitment_for_actor(request.user, commitment_id)
    return [score_out(s) for s in selectors.score_history(c)]


@router.get("/orgs/{org}/compliance", auth=optional_auth, response=ComplianceOut)
def compliance(request: HttpRequest, org: str, cycle: str | None = None) -> Any:
    organization = organization_get(org)
    row = selectors.cycle_get(organization, cycle) if cycle else None
    result = selectors.compliance(organization, row)
    return {
        "cycle": result.cycle,
        "overall": _average("all", result.overall),
        "by_state": [_average(r.key, r.average) for r in result.by_state],
        "by_commitment": [_average(r.key, r.average) for r in result.by_commitment],
        "by_area": [_average(r.key, r.average) for r in result.by_area],
        "by_cycle": [_average(r.key, r.average) for r in result.by_cycle],
    }


# --- activities -------------------------------------------------------------------------------


@router.get("/orgs/{org}/activities", auth=optional_auth, response=list[ActivityOut])
def activities(
    request: HttpRequest,
    org: str,
    page: Query[Page],
    kind: str | None = None,
    state: str | None = None,
    commitment: int | None = None,
) -> Any:
    organization = organization_get(org)
    progress = selectors.activity_progress(organization)
    qs = selectors.activity_list(organization, kind=kind, state=state, commitment=commitment)
    return [activity_out(a, progress) for a in _page(qs, page)]


@router.post("/orgs/{org}/activities", auth=api_auth, response={201: ActivityOut})
def activity_create(request: HttpRequest, org: str, payload: ActivityIn) -> Any:
    organization = organization_get(org)
    activity = services.activity_create(
        actor=request.user,
        org_slug=organization.slug,
        kind=payload.kind,
        titles=payload.title,
        descriptions=payload.description,
        states=[(s.iso3, s.role) for s in payload.states],
        bodies=[(b.body, b.role) for b in payload.bodies],
        commitments=payload.commitments,
        start=payload.start,
        end=payload.end,
        place=payload.place,
        parent=payload.parent,
        weight=payload.weight,
        status=payload.status,
        external_id=payload.external_id,
    )
    row = selectors.activity_list(organization).filter(pk=activity.pk)[0]
    return Status(201, activity_out(row, selectors.activity_progress(organization)))


@router.get("/activities/{int:activity_id}", auth=optional_auth, response=ActivityOut)
def activity_detail(request: HttpRequest, activity_id: int) -> Any:
    a = selectors.activity_for_actor(request.user, activity_id)
    row = selectors.activity_list(a.organization).filter(pk=a.pk)[0]
    return activity_out(row, selectors.activity_progress(a.organization))


# --- progress reports -------------------------------------------------------------------------


@router.post("/commitments/{commitment_id}/reports", auth=api_auth, response={201: ReportOut})
def commitment_report(request: HttpRequest, commitment_id: int, payload: ReportIn) -> Any:
    report = services.report_create(
        actor=request.user, commitment_id=commitment_id, **payload.dict()
    )
    return Status(201, report_out(report))


@router.get("/commitments/{commitment_id}/reports", auth=optional_auth, response=list[ReportOut])
def commitment_reports(request: HttpRequest, commitment_id: int) -> Any:
    c = selectors.commitment_for_actor(request.user, commitment_id)
    return [report_out(r) for r in selectors.report_list(commitment=c)]


@router.post("/activities/{activity_id}/reports", auth=api_auth, response={201: ReportOut})
def activity_report(request: HttpRequest, activity_id: int, payload: ReportIn) -> Any:
    report = services.report_create(actor=request.user, activity_id=activity_id, **payload.dict())
    return Status(201, report_out(report))


@router.get("/activities/{activity_id}/reports", auth=optional_auth, response=list[ReportOut])
def activity_reports(request: HttpRequest, activity_id: int) -> Any:
    a = selectors.activity_for_actor(request.user, activity_id)
    return [report_out(r) for r in selectors.report_list(activity=a)]


# --- indicators -------------------------------------------------------------------------------


@router.get("/orgs/{org}/indicators", auth=optional_auth, response=list[IndicatorOut])
def indicators(request: HttpRequest, org: str, page: Query[Page]) -> Any:
    qs = selectors.indicator_list(organization_get(org))
    return [indicator_out(i) for i in _page(qs, page)]


@router.post("/orgs/{org}/indicators", auth=api_auth, response={201: IndicatorOut})
def indicator_create(request: HttpRequest, org: str, payload: IndicatorIn) -> Any:
    names = payload.name if isinstance(payload.name, dict) else {"en": payload.name}
    indicator = services.indicator_create(
        actor=request.user,
        org_slug=org,
        names=names,
        unit=payload.unit,
        scope=payload.scope,
        direction=payload.direction,
        activity=payload.activity,
        baseline=payload.baseline,
        baseline_year=payload.baseline_year,
        target=payload.target,
    )
    return Status(201, indicator_out(indicator))


@router.post("/indicators/{indicator_id}/values", auth=api_auth, response={201: ValueOut})
def value_add(request: HttpRequest, indicator_id: int, payload: ValueIn) -> Any:
    value = services.value_add(
        actor=request.user,
        indicator_id=indicator_id,
        state=payload.state,
        on=payload.date,
        value=payload.value,
        source=payload.source,
    )
    return Status(201, value_out(value))


@router.get("/indicators/{indicator_id}/values", auth=optional_auth, response=list[ValueOut])
def values(
    request: HttpRequest, indicator_id: int, page: Query[Page], state: str | None = None
) -> Any:
    indicator = selectors.indicator_for_actor(request.user, indicator_id)
    return [value_out(v) for v in _page(selectors.value_list(indicator, state=state), page)]


# --- dashboard --------------------------------------------------------------------------------


@router.get("/orgs/{org}/dashboard", auth=optional_auth, response=DashboardOut)
def dashboard(
    request: HttpRequest, org: str, area: str | None = None, state: str | None = None
) -> Any:
    organization = organization_get(org)
    board = selectors.dashboard(
        organization,
        area=area or None,
        state=state or None,
        today=timezone.now().date(),
        lang=get_language() or "en",
    )
    return {
        "by_area": board.by_area,
        "by_state": board.by_state,
        "due": board.due[:DUE_SHOWN],
        "due_total": len(board.due),
    }


# --- CSV: indicator values, and the round trip of commitments, activities and reports ------------

CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "A CSV file with a header row (UTF-8), or multipart with a part 'file'.",
    }
}
CSV_RESPONSE = {"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}}


def _csv_text(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    if upload is not None:
        raw = upload.read()
    else:
        try:
            raw = request.body
        except RawPostDataException:  # a multipart body without the part "file"
            raise InvalidInput(
                _("Send the CSV as the request body or as the multipart part 'file'."),
                field="file",
            ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not UTF-8 text."), field="file") from None


def _csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _imported(result: csvio.Imported) -> dict[str, int]:
    return {"created": result.created, "updated": result.updated}


@router.post(
    "/indicators/{indicator_id}/values.csv",
    auth=api_auth,
    response={201: ImportOut},
    openapi_extra=CSV_BODY,
)
def values_import(request: HttpRequest, indicator_id: int) -> Any:
    result = csvio.values_import(
        actor=request.user, indicator_id=indicator_id, text=_csv_text(request)
    )
    return Status(201, _imported(result))


@router.get("/indicators/{indicator_id}/values.csv", auth=optional_auth, openapi_extra=CSV_RESPONSE)
def values_export(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = selectors.indicator_for_actor(request.user, indicator_id)
    return _csv_response(csvio.values_export(indicator), f"indicator-{indicator.pk}.csv")


@router.get("/orgs/{org}/commitments.csv", auth=optional_auth, openapi_extra=CSV_RESPONSE)
def commitments_export(request: HttpRequest, org: str) -> HttpResponse:
    return _csv_response(csvio.commitments_export(organization_get(org)), f"{org}-commitments.csv")


@router.post(
    "/orgs/{org}/commitments.csv", auth=api_auth, response=ImportOut, openapi_extra=CSV_BODY
)
def commitments_import(request: HttpRequest, org: str) -> Any:
    return _imported(
        csvio.commitments_import(
            actor=request.user, org=organization_get(org), text=_csv_text(request)
        )
    )


@router.get("/orgs/{org}/activities.csv", auth=optional_auth, openapi_extra=CSV_RESPONSE)
def activities_export(request: HttpRequest, org: str) -> HttpResponse:
    return _csv_response(csvio.activities_export(organization_get(org)), f"{org}-activities.csv")


@router.post(
    "/orgs/{org}/activities.csv", auth=api_auth, response=ImportOut, openapi_extra=CSV_BODY
)
def activities_import(request: HttpRequest, org: str) -> Any:
    return _imported(
        csvio.activities_import(
            actor=request.user, org=organization_get(org), text=_csv_text(request)
        )
    )


@router.get("/orgs/{org}/reports.csv", auth=optional_auth, openapi_extra=CSV_RESPONSE)
def reports_export(request: HttpRequest, org: str) -> HttpResponse:
    return _csv_response(csvio.reports_export(organization_get(org)), f"{org}-reports.csv")


@router.post("/orgs/{org}/reports.csv", auth=api_auth, response=ImportOut, openapi_extra=CSV_BODY)
def reports_import(request: HttpRequest, org: str) -> Any:
    return _imported(
        csvio.reports_import(actor=request.user, org=organization_get(org), text=_csv_text(request))
    )


# --- IATI 2.03 ---------------------------------------------------------------------------------

XML_RESPONSE = {
    "responses": {200: {"description": "IATI 2.03 XML", "content": {"application/xml": {}}}}
}


def _xml_response(xml: bytes) -> HttpResponse:
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@router.get("/orgs/{org}/activities.iati.xml", auth=optional_auth, openapi_extra=XML_RESPONSE)
def activities_iati(request: HttpRequest, org: str) -> HttpResponse:
    organization = organization_get(org)
    return _xml_response(iati.activities_xml(organization, selectors.activity_list(organization)))


@router.get("/activities/{activity_id}.iati.xml", auth=optional_auth, openapi_extra=XML_RESPONSE)
def activity_iati(request: HttpRequest, activity_id: int) -> HttpResponse:
    a = selectors.activity_for_actor(request.user, activity_id)
    rows = selectors.activity_list(a.organization).filter(pk=a.pk)
    return _xml_response(iati.activities_xml(a.organization, rows))
