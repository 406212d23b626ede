"""REST endpoints of the negotiation lifecycle (issue 3, section 5).

Each handler is access -> service -> output: the rules live in ``services.py``, the reads
in ``selectors.py``, the permission checks in ``accounts/access.py``. A write may send the
document's ``revision`` (in the body or as ``If-Match``); a stale one gets 409.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router
from ninja.responses import Status

from concord.accounts.auth import api_auth, optional_auth
from concord.audit.services import chain_verify
from concord.common.dbrouting import replica_reads
from concord.common.errors import InvalidInput, NotFound
from concord.common.jsontypes import JsonDate
from concord.consensus import diff as pure_diff
from concord.negotiation import present, selectors, services
from concord.negotiation.publication.html import STYLE_SOURCE as ADOPTED_STYLE_SOURCE
from concord.negotiation.schemas import (
    AdoptIn,
    AdoptionOut,
    AgendaIn,
    AgendaOut,
    AmendmentIn,
    AmendmentOut,
    AuditVerifyOut,
    ConsensusOut,
    DiffOut,
    DocumentDetailOut,
    DocumentIn,
    DocumentOut,
    ExplanationIn,
    ExplanationOut,
    MeetingIn,
    MeetingOut,
    PositionIn,
    PositionOut,
    ReadinessOut,
    SilenceBreakIn,
    SilenceOpenIn,
    SilenceOut,
    SponsorshipOut,
    TranslationOut,
    VersionIn,
    VersionOut,
    WithdrawIn,
)
from concord.organization import api as organization_api
from concord.organization.schemas import MeetingOut as OrgMeetingOut
from concord.organization.selectors import organization_get

router = Router(tags=["negotiation"])

#: A language code as documents name them (en, ru, zh, zh-hans).
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
#: A state's ISO 3166-1 alpha-3 code (upper or lower case).
ISO3_PATTERN = r"^[A-Za-z]{3}$"
ISO3 = Path(..., pattern=ISO3_PATTERN, description="ISO 3166-1 alpha-3 code of a state")
LANG = Path(..., pattern=LANG_PATTERN, description="A language of the document")


def _lang_query() -> Any:
    return Query("en", pattern=LANG_PATTERN, description="A language of the document")


#: Operations that take the document's revision as ``If-Match`` (409 when stale).
IF_MATCH = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "description": "The document's revision this write is based on (an integer, "
            "optionally quoted); a stale one answers 409. The body's `revision` wins.",
            "schema": {"type": "string", "pattern": r'^"?[0-9]{1,18}"?$'},
        }
    ]
}


def _media(media_type: str, description: str, binary: bool = False) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}}
        }
    }


def _revision(request: HttpRequest, sent: int | None) -> int | None:
    if sent is not None:
        return sent
    header = request.headers.get("If-Match", "").strip().strip('"')
    if not header:
        return None
    try:
        return int(header)
    except ValueError:
        raise InvalidInput(_("If-Match must be the document's revision number.")) from None


def _user(request: HttpRequest) -> Any:
    return request.user


# --- meetings, documents -------------------------------------------------------------------


@router.get("/orgs/{org}/meetings", response=list[OrgMeetingOut])
def list_meetings(request: HttpRequest, org: str) -> Any:
    """The organization's meetings (the organization app's reader, served here because this
    router also takes POST on the same path)."""
    return organization_api.list_meetings(request, org)


@router.post("/orgs/{org}/meetings", auth=api_auth, response={201: MeetingOut})
def create_meeting(request: HttpRequest, org: str, payload: MeetingIn) -> Any:
    meeting = services.meeting_create(actor=_user(request), org_slug=org, **payload.dict())
    return Status(201, present.meeting_json(meeting))


@router.post("/orgs/{org}/documents", auth=api_auth, response={201: DocumentDetailOut})
def submit_document(request: HttpRequest, org: str, payload: DocumentIn) -> Any:
    data = payload.dict()
    document = services.document_submit(
        actor=_user(request), org_slug=org, titles=data.pop("title"), **data
    )
    return Status(201, present.document_json(document, detail=True))


@router.get("/orgs/{org}/documents", auth=optional_auth, response=list[DocumentOut])
def list_documents(request: HttpRequest, org: str) -> Any:
    documents = selectors.document_list(_user(request), organization_get(org))
    return [present.document_json(d) for d in documents]


@router.get("/documents/{document_id}", auth=optional_auth, response=DocumentDetailOut)
def get_document(request: HttpRequest, document_id: int) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    return present.document_json(document, detail=True)


@router.post(
    "/documents/{document_id}/actions/withdraw",
    auth=api_auth,
    response=DocumentOut,
    openapi_extra=IF_MATCH,
)
def withdraw_document(request: HttpRequest, document_id: int, payload: WithdrawIn) -> Any:
    document = services.document_withdraw(
        actor=_user(request),
        document_id=document_id,
        reason=payload.reason,
        expected_revision=_revision(request, payload.revision),
    )
    return present.document_json(document)


@router.post(
    "/documents/{document_id}/sponsors/{iso3}", auth=api_auth, response={201: SponsorshipOut}
)
def join_sponsors(request: HttpRequest, document_id: int, iso3: str = ISO3) -> Any:
    row = services.sponsor_join(actor=_user(request), document_id=document_id, iso3=iso3)
    return Status(201, {"state": row.state.iso3, "joined_at": row.joined_at})


@router.delete("/documents/{document_id}/sponsors/{iso3}", auth=api_auth, response=SponsorshipOut)
def leave_sponsors(request: HttpRequest, document_id: int, iso3: str = ISO3) -> Any:
    row = services.sponsor_leave(actor=_user(request), document_id=document_id, iso3=iso3)
    return {"state": row.state.iso3, "joined_at": row.joined_at, "left_at": row.left_at}


# --- versions ------------------------------------------------------------------------------


@router.post(
    "/documents/{document_id}/versions",
    auth=api_auth,
    response={201: VersionOut},
    openapi_extra=IF_MATCH,
)
def create_version(request: HttpRequest, document_id: int, payload: VersionIn) -> Any:
    provisions = (
        [
            services.ProvisionIn(
                key=p.key,
                kind=p.kind,
                texts=p.texts,
                parent=p.parent,
                brackets=tuple(
                    services.BracketIn(b.span[0], b.span[1], tuple(b.held_by), b.lang)
                    for b in p.brackets
                ),
            )
            for p in payload.provisions
        ]
        if payload.provisions is not None
        else None
    )
    version = services.version_create(
        actor=_user(request),
        document_id=document_id,
        provisions=provisions,
        from_amendments=payload.from_amendments,
        note=payload.note,
        expected_revision=_revision(request, payload.revision),
    )
    return Status(201, present.version_json(version))


@router.get("/documents/{document_id}/versions/{number}", auth=optional_auth, response=VersionOut)
def get_version(request: HttpRequest, document_id: int, number: int) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    return present.version_json(selectors.version_get(document, number))


@router.get(
    "/documents/{document_id}/versions/{number}/diff",
    auth=optional_auth,
    response=DiffOut,
    by_alias=True,
)
def diff_versions(
    request: HttpRequest, document_id: int, number: int, against: int, lang: str = _lang_query()
) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    if lang not in document.languages:
        raise NotFound(_("The document is not in %(lang)s."), field="lang", lang=lang)
    new = selectors.provisions_of(selectors.version_get(document, number))
    old = selectors.provisions_of(selectors.version_get(document, against))

    def pairs(provisions: list[Any]) -> list[tuple[str, str]]:
        return [
            (p.key, next((t.text for t in p.texts.all() if t.language == lang), ""))
            for p in provisions
        ]

    changes = pure_diff.diff_versions(pairs(old), pairs(new))
    return {
        "from": against,
        "to": number,
        "lang": lang,
        "provisions": [
            {
                "key": c.key,
                "change": c.change.value,
                "old": c.old_text,
                "new": c.new_text,
                "words": [{"op": w.op.value, "text": w.text} for w in c.words],
            }
            for c in changes
        ],
    }


@router.post(
    "/documents/{document_id}/versions/{number}/provisions/{key}/texts/{lang}/actions/verify",
    auth=api_auth,
    response=TranslationOut,
)
def verify_translation(
    request: HttpRequest, document_id: int, number: int, key: str, lang: str = LANG
) -> Any:
    row = services.translation_verify(
        actor=_user(request), document_id=document_id, version_number=number, key=key, lang=lang
    )
    return {"key": key, "lang": lang, "stale": row.stale, "verified_at": row.verified_at}


# --- amendments ----------------------------------------------------------------------------


def _amendment_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "document": a.document_id,
        "version": a.version.number,
        "provision": a.provision_key,
        "op": a.op,
        "texts": a.texts,
        "reason": a.reason,
        "state": a.state.iso3,
        "status": a.status,
        "applied_in": a.applied_in.number if a.applied_in_id else None,
    }


@router.post(
    "/documents/{document_id}/amendments",
    auth=api_auth,
    response={201: AmendmentOut},
    openapi_extra=IF_MATCH,
)
def propose_amendment(request: HttpRequest, document_id: int, payload: AmendmentIn) -> Any:
    amendment = services.amendment_propose(
        actor=_user(request),
        document_id=document_id,
        version_number=payload.version,
        provision=payload.provision,
        op=payload.op,
        texts=payload.texts,
        reason=payload.reason,
        kind=payload.kind,
        after=payload.after,
        expected_revision=_revision(request, payload.revision),
    )
    return Status(201, _amendment_json(amendment))


@router.get("/documents/{document_id}/amendments", auth=optional_auth, response=list[AmendmentOut])
def list_amendments(request: HttpRequest, document_id: int) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    return [_amendment_json(a) for a in selectors.amendments_of(document)]


@router.post("/amendments/{amendment_id}/actions/accept", auth=api_auth, response=AmendmentOut)
def accept_amendment(request: HttpRequest, amendment_id: int) -> Any:
    return _amendment_json(
        services.amendment_accept(actor=_user(request), amendment_id=amendment_id)
    )


@router.post("/amendments/{amendment_id}/actions/reject", auth=api_auth, response=AmendmentOut)
def reject_amendment(request: HttpRequest, amendment_id: int) -> Any:
    return _amendment_json(
        services.amendment_reject(actor=_user(request), amendment_id=amendment_id)
    )


# --- positions and consensus ---------------------------------------------------------------


@router.put(
    "/documents/{document_id}/versions/{number}/positions/{iso3}",
    auth=api_auth,
    response=PositionOut,
    openapi_extra=IF_MATCH,
)
def set_position(
    request: HttpRequest,
    document_id: int,
    number: int,
    payload: PositionIn,
    iso3: str = ISO3,
) -> Any:
    position = services.position_set(
        actor=_user(request),
        document_id=document_id,
        version_number=number,
        iso3=iso3,
        stand=payload.stand,
        text=payload.text,
        provisions=payload.provisions,
        expected_revision=_revision(request, payload.revision),
    )
    return {
        "state": position.state.iso3,
        "version": number,
        "stand": position.stand,
        "text": position.text,
        "provisions": position.provisions,
        "status": position.status_then,
        "at": position.at,
    }


@router.get(
    "/documents/{document_id}/versions/{number}/consensus",
    auth=optional_auth,
    response=ConsensusOut,
)
def get_consensus(
    request: HttpRequest, document_id: int, number: int, on: JsonDate | None = None
) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    version = selectors.version_get(document, number)
    result = selectors.consensus_for(version, on=on or timezone.now().date())
    v = result.verdict
    return {
        "reached": v.reached,
        "blocking": list(v.blocking),
        "pending": list(v.pending),
        "bracketed": list(v.bracketed),
        "explanation": result.explanation,
        "deemed": list(v.deemed),
        "on": result.on,
    }


# --- silence, adoption ---------------------------------------------------------------------


def _silence_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version.number,
        "opened_at": row.opened_at,
        "deadline": row.deadline,
        "outcome": row.outcome,
        "broken_by": row.broken_by.iso3 if row.broken_by_id else None,
        "reason": row.reason,
        "minimum_hours": row.minimum_hours,
    }


@router.post(
    "/documents/{document_id}/versions/{number}/actions/open-silence",
    auth=api_auth,
    response={201: SilenceOut},
    openapi_extra=IF_MATCH,
)
def open_silence(
    request: HttpRequest, document_id: int, number: int, payload: SilenceOpenIn
) -> Any:
    row = services.silence_open(
        actor=_user(request),
        document_id=document_id,
        version_number=number,
        deadline=payload.deadline,
        expected_revision=_revision(request, payload.revision),
    )
    return Status(201, _silence_json(row))


@router.post(
    "/documents/{document_id}/versions/{number}/actions/break-silence",
    auth=api_auth,
    response=SilenceOut,
)
def break_silence(
    request: HttpRequest, document_id: int, number: int, payload: SilenceBreakIn
) -> Any:
    row = services.silence_break(
        actor=_user(request), document_id=document_id, version_number=number, reason=payload.reason
    )
    return _silence_json(row)


@router.post(
    "/documents/{document_id}/versions/{number}/actions/adopt",
    auth=api_auth,
    response=AdoptionOut,
    openapi_extra=IF_MATCH,
)
def adopt(request: HttpRequest, document_id: int, number: int, payload: AdoptIn) -> Any:
    adoption = services.adoption_record(
        actor=_user(request),
        document_id=document_id,
        version_number=number,
        meeting_id=payload.meeting,
        expected_revision=_revision(request, payload.revision),
    )
    return {
        "document": document_id,
        "version": number,
        "symbol": adoption.version.symbol,
        "meeting": adoption.meeting_id,
        "on": adoption.on,
        "at": adoption.at,
        "audit_head": adoption.audit_head,
    }


@router.post("/documents/{document_id}/explanations", auth=api_auth, response={201: ExplanationOut})
def add_explanation(request: HttpRequest, document_id: int, payload: ExplanationIn) -> Any:
    row = services.explanation_add(actor=_user(request), document_id=document_id, text=payload.text)
    return Status(201, {"id": row.pk, "state": row.state.iso3, "text": row.text, "at": row.at})


# --- exports -------------------------------------------------------------------------------


def _adopted(request: HttpRequest, document_id: int, lang: str) -> Any:
    document = selectors.document_for_actor(_user(request), document_id)
    if document.stage != "adopted":
        raise NotFound(_("Document %(id)s has no adopted text."), field="document", id=document_id)
    if lang not in document.languages:
        raise NotFound(_("The document is not in %(lang)s."), field="lang", lang=lang)
    return present.adopted_text(document)


@router.get(
    "/documents/{document_id}/adopted.html",
    auth=optional_auth,
    openapi_extra=_media("text/html", "The adopted text as HTML"),
)
@csp_update({"style-src": [ADOPTED_STYLE_SOURCE]})  # type: ignore[arg-type]
@replica_reads
def adopted_html(request: HttpRequest, document_id: int, lang: str = _lang_query()) -> HttpResponse:
    from concord.negotiation.publication import render_html

    text = _adopted(request, document_id, lang)
    return HttpResponse(render_html(text, lang), content_type="text/html; charset=utf-8")


@router.get(
    "/documents/{document_id}/adopted.pdf",
    auth=optional_auth,
    openapi_extra=_media("application/pdf", "The adopted text as PDF", binary=True),
)
@replica_reads
def adopted_pdf(request: HttpRequest, document_id: int, lang: str = _lang_query()) -> HttpResponse:
    from concord.negotiation.publication import render_pdf

    text = _adopted(request, document_id, lang)
    response = HttpResponse(render_pdf(text, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document_id}-{lang}.pdf"'
    return response


@router.get(
    "/documents/{document_id}/adopted.akn.xml",
    auth=optional_auth,
    openapi_extra=_media("application/akn+xml", "The adopted text as Akoma Ntoso 3.0 XML"),
)
@replica_reads
def adopted_akn(request: HttpRequest, document_id: int, lang: str = _lang_query()) -> HttpResponse:
    from concord.negotiation.publication import render_akn

    text = _adopted(request, document_id, lang)
    return HttpResponse(render_akn(text, lang), content_type="application/akn+xml")


# --- meetings' readiness, audit ------------------------------------------------------------


@router.get("/meetings/{meeting_id}/readiness", auth=optional_auth, response=list[ReadinessOut])
def meeting_readiness(request: HttpRequest, meeting_id: int) -> Any:
    meeting = selectors.meeting_get(None, meeting_id)
    return [
        {
            "document": r.document.pk,
            "symbol": r.document.symbol,
            "stage": r.document.stage,
            "version": r.version.number if r.version else None,
            "reached": bool(r.verdict and r.verdict.reached),
            "pending": list(r.verdict.pending) if r.verdict else [],
            "objecting": list(r.objecting),
            "bracketed": list(r.verdict.bracketed) if r.verdict else [],
            "unverified_languages": list(r.unverified),
        }
        for r in selectors.readiness(_user(request), meeting)
    ]


@router.put("/meetings/{meeting_id}/agenda", auth=api_auth, response=AgendaOut)
def set_agenda(request: HttpRequest, meeting_id: int, payload: AgendaIn) -> Any:
    """The secretariat sets the documents on a meeting's agenda (they then target it)."""
    documents = services.meeting_agenda_set(
        actor=_user(request), meeting_id=meeting_id, documents=payload.documents
    )
    return {"meeting": meeting_id, "documents": documents}


@router.get("/audit/verify", auth=api_auth, response=AuditVerifyOut)
def audit_verify(request: HttpRequest) -> Any:
    """Recompute the whole chain (any signed-in user: the log's integrity is no secret)."""
    result = chain_verify()
    return {
        "ok": result.ok,
        "events": result.events,
        "head": result.head,
        "problem": result.problem,
    }
