"""REST endpoints for consultations (mounted at /api/v1).

Participants authenticate with ``Authorization: Bearer <participant token>`` (a signed
token from ``POST /consultations/{slug}/participants``; user API tokens start with ``cc_``
and are told apart by that prefix) or, in a browser, with the signed participant cookie,
in which case writes need the CSRF token like any cookie-authenticated write.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from concord.accounts import access
from concord.accounts.auth import (
    api_auth,
    bearer_user,
    check_session_csrf,
    optional_auth,
    session_user,
)
from concord.accounts.bearer import bearer
from concord.common.api import client_ip
from concord.common.dbrouting import replica_reads
from concord.common.errors import InvalidInput, NotAuthenticated, NotFound
from concord.consultation import privacy, selectors, services
from concord.consultation.models import Consultation, Moderation, Statement
from concord.consultation.schemas import (
    CitationIn,
    CitationOut,
    ConsultationIn,
    ConsultationOut,
    DocumentLinkIn,
    ModerationIn,
    OpinionMapOut,
    ParticipantDataOut,
    ParticipantOut,
    StatementIn,
    StatementOut,
    StatementPage,
    TranslationIn,
    TranslationList,
    TranslationOut,
    VoteIn,
    VoteOut,
)
from concord.consultation.tokens import (
    ParticipantClaim,
    claim_of,
    cookie_name,
    token_for,
)

router = Router(tags=["consultations"])

PAGE_MAX = 200


def consultation_out(c: Consultation) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "organization": c.organization.slug,
        "title": c.titles,
        "description": c.descriptions,
        "languages": c.languages,
        "is_open": c.is_open,
        "moderation_mode": c.moderation_mode,
        "initiative": c.initiative,
        "source": c.source,
        "created_at": c.created_at,
        "closed_at": c.closed_at,
        "document": c.document_id,
    }


def _user(request: HttpRequest) -> Any:
    """The signed-in user (API token or session), or None; a session write needs CSRF."""
    if bearer(request).is_participant_token:
        return None
    return bearer_user(request) or session_user(request)


def participant_claim(
    request: HttpRequest, slug: str, *, check_revoked: bool = True
) -> ParticipantClaim | None:
    """Who takes part: a participant bearer token, or the browser's participant cookie
    (CSRF-checked on writes). None when neither is present; 401 on a bad bearer token."""
    credential = bearer(request)
    if credential.present and not credential.is_user_token:
        claim = claim_of(credential.token or "")
        if claim is None:
            raise NotAuthenticated(_("The participant token is not valid."))
        if check_revoked and selectors.claim_revoked(claim):
            raise NotAuthenticated(_("The participant token was revoked."))
        return claim
    if not credential.present:
        cookie = request.COOKIES.get(cookie_name(slug))
        if cookie:
            claim = claim_of(cookie)
            if claim is not None and not (check_revoked and selectors.claim_revoked(claim)):
                check_session_csrf(request)
                return claim
    return None


def _claim_or_user_participant(
    request: HttpRequest, slug: str, *, check_revoked: bool = True
) -> ParticipantClaim:
    """The participant token or cookie's claim, else the signed-in user's own participant.
    The vote path passes ``check_revoked=False``: its SQL refuses a revoked token itself."""
    claim = participant_claim(request, slug, check_revoked=check_revoked)
    if claim is not None:
        return claim
    user = _user(request)
    if user is None:
        raise NotAuthenticated(
            _("Join the consultation first: POST /consultations/%(slug)s/participants."),
            slug=slug,
        )
    participant = services.participant_create(actor=user, slug=slug)
    return ParticipantClaim(participant.pk, participant.consultation_id)


@router.post("/orgs/{org}/consultations", response={201: ConsultationOut}, auth=api_auth)
def create_consultation(request: HttpRequest, org: str, payload: ConsultationIn) -> Any:
    consultation = services.consultation_create(
        actor=request.user,
        org_slug=org,
        slug=payload.slug,
        title=payload.title,
        description=payload.description,
        languages=payload.languages,
        moderation_mode=payload.moderation_mode,
        initiative=payload.initiative,
    )
    return Status(201, consultation_out(consultation))


@router.get("/consultations/{slug}", response=ConsultationOut)
@replica_reads
def get_consultation(request: HttpRequest, slug: str) -> Any:
    return consultation_out(selectors.consultation_for_actor(None, slug))


@router.post("/consultations/{slug}/actions/close", response=ConsultationOut, auth=api_auth)
def close_consultation(request: HttpRequest, slug: str) -> Any:
    return consultation_out(services.consultation_close(actor=request.user, slug=slug))


@router.post(
    "/consultations/{slug}/participants", response={201: ParticipantOut}, auth=optional_auth
)
def join(request: HttpRequest, slug: str) -> Any:
    """A new anonymous participant (or the signed-in user's own); send the token back as
    ``Authorization: Bearer <participant_token>``."""
    participant = services.participant_create(
        actor=request.user, slug=slug, client=client_ip(request)
    )
    token = token_for(participant.pk, participant.consultation_id)
    return Status(201, {"participant_token": token})


@router.post("/consultations/{slug}/statements", response={201: StatementOut})
def submit_statement(request: HttpRequest, slug: str, payload: StatementIn) -> Any:
    """A participant's statement; the secretariat's statements are seed statements."""
    claim = participant_claim(request, slug)
    if claim is None:
        user = _user(request)
        consultation = selectors.consultation_for_actor(user, slug)
        if user is not None and access.may_moderate_consultation(user, consultation):
            statement = services.statement_submit(
                actor=user,
                slug=slug,
                participant=None,
                text=payload.text,
                lang=payload.lang,
                seed=True,
            )
            return Status(201, statement)
        claim = _claim_or_user_participant(request, slug)
    consultation = selectors.consultation_for_actor(None, slug)
    participant = selectors.participant_of(claim, consultation)
    if participant is None:
        raise NotAuthenticated(_("The participant token is not valid here."))
    statement = services.statement_submit(
        actor=None,
        slug=slug,
        participant=participant,
        text=payload.text,
        lang=payload.lang,
    )
    return Status(201, statement)


@router.get("/consultations/{slug}/statements", response=StatementPage, auth=optional_auth)
@replica_reads
def list_statements(
    request: HttpRequest,
    slug: str,
    limit: int = Query(50, ge=1, le=PAGE_MAX),
    offset: int = Query(0, ge=0),
) -> Any:
    """Accepted statements (every statement for the secretariat), ``limit`` at a time."""
    if not 1 <= limit <= PAGE_MAX or offset < 0:
        raise InvalidInput(
            _("limit is 1..%(max)s and offset at least 0."), field="limit", max=PAGE_MAX
        )
    consultation = selectors.consultation_for_actor(request.user, slug)
    qs = selectors.statement_list(request.user, consultation)
    count = qs.count()
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        # Past the end the page is empty; asking the database would overflow its integers.
        "items": list(qs[offset : offset + limit]) if offset < count else [],
    }


def _moderate(
    request: HttpRequest, statement_id: int, decision: str, payload: ModerationIn | None
) -> Statement:
    # The body is optional: none, JSON null (the schema allows it) or an object. ninja reads
    # one that is not a JSON object (a string, a list, a number) as an empty one: refuse it
    # rather than act as if nothing had been sent.
    body = request.body.strip()
    if body and body != b"null" and not body.startswith(b"{"):
        raise InvalidInput(field="body")
    return services.statement_moderate(
        actor=request.user,
        statement_id=statement_id,
        decision=decision,
        reason=payload.reason if payload else "",
    )


@router.post("/statements/{statement_id}/actions/accept", response=StatementOut, auth=api_auth)
def accept_statement(
    request: HttpRequest, statement_id: int, payload: ModerationIn | None = None
) -> Any:
    return _moderate(request, statement_id, Moderation.ACCEPTED, payload)


@router.post("/statements/{statement_id}/actions/reject", response=StatementOut, auth=api_auth)
def reject_statement(
    request: HttpRequest, statement_id: int, payload: ModerationIn | None = None
) -> Any:
    return _moderate(request, statement_id, Moderation.REJECTED, payload)


@router.post("/consultations/{slug}/votes", response={200: VoteOut, 201: VoteOut})
def cast_vote(request: HttpRequest, slug: str, payload: VoteIn) -> Any:
    """Agree (1), disagree (-1) or pass (0): 201 for a first vote, 200 when it replaces one."""
    claim = _claim_or_user_participant(request, slug, check_revoked=False)
    new = services.vote_cast(
        claim=claim, slug=slug, statement_id=payload.statement, vote=payload.vote
    )
    body = {"statement": payload.statement, "vote": payload.vote, "replaced": not new}
    return Status(201 if new else 200, body)


@router.get("/consultations/{slug}/map", response=OpinionMapOut)
@replica_reads
def get_map(request: HttpRequest, slug: str) -> Any:
    """The latest opinion map: the shape of ``concord polis map --json`` plus
    ``computed_at``; ids are statement ids and participant ids of this consultation."""
    consultation = selectors.consultation_for_actor(None, slug)
    snapshot = selectors.latest_snapshot(consultation)
    if snapshot is None:
        raise NotFound(_("No opinion map has been computed for %(slug)s yet."), slug=slug)
    return public_map(snapshot, publish_ids=consultation.publish_participant_ids)


def public_map(snapshot: Any, *, publish_ids: bool) -> dict[str, Any]:
    """The map as the public sees it: each group's size, and the positions drawn on the
    map page (x, y, group) without whose they are. Which participant is in which group
    (``groups[].participants``) only when the consultation publishes participant ids."""
    data = snapshot.as_api()
    groups = []
    for group in data.get("groups", []):
        members = group.get("participants", [])
        shown = {k: v for k, v in group.items() if k != "participants"}
        shown["size"] = len(members)
        if publish_ids:
            shown["participants"] = members
        groups.append(shown)
    return {
        **data,
        "groups": groups,
        "positions": (snapshot.display or {}).get("dots", []),
        "participant_ids_published": publish_ids,
    }


def _my_participant(request: HttpRequest, slug: str) -> Any:
    """The caller's own participant (token, cookie or signed-in user), never created here."""
    consultation = selectors.consultation_for_actor(None, slug)
    claim = participant_claim(request, slug)
    participant = selectors.participant_of(claim, consultation) if claim else None
    if participant is None and claim is None:
        user = _user(request)
        if user is not None:
            participant = selectors.participant_of_user(user, consultation)
        elif not bearer(request).present:
            raise NotAuthenticated(_("Send your participant token, or sign in."))
    if participant is None:
        raise NotFound(_("You have no data in this consultation."))
    return participant


@router.get("/consultations/{slug}/participants/me", response=ParticipantDataOut)
def my_data(request: HttpRequest, slug: str) -> Any:
    """What Concord keeps about you in this consultation: statements, votes and when."""
    return privacy.participant_data(_my_participant(request, slug))


@router.delete("/consultations/{slug}/participants/me", response={204: None})
def delete_my_data(request: HttpRequest, slug: str) -> Any:
    """Delete your data: your votes are kept only as anonymous counts, your statements
    without the link to you; your tokens stop working."""
    privacy.participant_erase(participant=_my_participant(request, slug))
    return Status(204, None)


@router.post("/consultations/{slug}/participants/me/actions/revoke", response={204: None})
def revoke_my_tokens(request: HttpRequest, slug: str) -> Any:
    """Revoke every participant token issued to you so far (a lost device): they answer
    401 from now on; your data stays (join again for a new token)."""
    privacy.participant_tokens_revoke(participant=_my_participant(request, slug))
    return Status(204, None)


@router.post("/statements/{statement_id}/citations", response={201: CitationOut}, auth=api_auth)
def cite_statement(request: HttpRequest, statement_id: int, payload: CitationIn) -> Any:
    citation = services.citation_add(
        actor=request.user,
        statement_id=statement_id,
        document_id=payload.document,
        provision=payload.provision,
    )
    return Status(
        201,
        {
            "id": citation.pk,
            "statement": citation.statement_id,
            "document": citation.document_id,
            "provision": citation.provision,
        },
    )


@router.post("/consultations/{slug}/actions/link", response=ConsultationOut, auth=api_auth)
def link_document(request: HttpRequest, slug: str, payload: DocumentLinkIn) -> Any:
    """Say which negotiation document the consultation is about (its secretariat)."""
    return consultation_out(
        services.consultation_link_document(
            actor=request.user, slug=slug, document_id=payload.document
        )
    )


@router.post("/consultations/{slug}/actions/unlink", response=ConsultationOut, auth=api_auth)
def unlink_document(request: HttpRequest, slug: str) -> Any:
    return consultation_out(services.consultation_unlink_document(actor=request.user, slug=slug))


def translation_out(t: Any) -> dict[str, Any]:
    return {"statement": t.statement_id, "lang": t.lang, "text": t.text, "updated_at": t.updated_at}


@router.get("/statements/{statement_id}/translations", response=TranslationList)
@replica_reads
def list_translations(request: HttpRequest, statement_id: int) -> Any:
    """The statement's original (``text``, ``lang``) and every translation."""
    user = _user(request)
    statement = selectors.statement_for_actor(user, statement_id)
    return {
        "statement": statement.pk,
        "lang": statement.lang,
        "text": statement.text,
        "translations": [translation_out(t) for t in selectors.translations_of(statement)],
    }


@router.post(
    "/statements/{statement_id}/translations", response={200: TranslationOut, 201: TranslationOut}
)
def add_translation(request: HttpRequest, statement_id: int, payload: TranslationIn) -> Any:
    """Add the statement's text in another language (201), or replace it (200): the
    consultation's moderators (user token or session), or the statement's author (its
    participant token or cookie, or the user it belongs to)."""
    user = _user(request)
    statement = selectors.statement_for_actor(user, statement_id)
    claim = participant_claim(request, statement.consultation.slug)
    participant = selectors.participant_of(claim, statement.consultation)
    if claim is not None and participant is None:
        raise NotAuthenticated(_("The participant token is not valid here."))
    if participant is None and access.is_authenticated(user):
        participant = selectors.participant_of_user(user, statement.consultation)
    translation, new = services.statement_translate(
        actor=user,
        statement_id=statement.pk,
        lang=payload.lang,
        text=payload.text,
        participant=participant,
    )
    return Status(201 if new else 200, translation_out(translation))
