"""Pages: the voting page, the opinion map, the report (HTML and PDF), moderation.

A browser takes part through a participant cookie holding the same signed token the API
uses (a signed-in user's own participant otherwise); the participant row is made at the
first vote or statement, not on a visit. POST views call the same services as the API and
return an HTMX fragment when ``_htmx(request)``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.accounts import access
from concord.common.api import client_ip
from concord.common.dbrouting import replica_reads
from concord.common.errors import DomainError, NotFound
from concord.consultation import selectors, services
from concord.consultation.models import (
    Consultation,
    Moderation,
    Participant,
    Statement,
    same_language,
)
from concord.consultation.report import map_view, report_pdf
from concord.consultation.tokens import (
    ParticipantClaim,
    claim_of,
    cookie_name,
    max_age,
    token_for,
)


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _consultation(slug: str) -> Consultation:
    try:
        consultation: Consultation = selectors.consultation_for_actor(None, slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return consultation


def participant_of_request(request: HttpRequest, consultation: Consultation) -> Participant | None:
    """The browser's participant of ``consultation``, if it has one yet."""
    claim = claim_of(request.COOKIES.get(cookie_name(consultation.slug), ""))
    participant = selectors.participant_of(claim, consultation)
    user = request.user
    if participant is None and access.is_authenticated(user):
        participant = selectors.participant_of_user(user, consultation)
    return participant


_participant = participant_of_request


def _ensure_participant(request: HttpRequest, consultation: Consultation) -> Participant:
    participant = _participant(request, consultation)
    if participant is None:
        participant = services.participant_create(
            actor=request.user, slug=consultation.slug, client=client_ip(request)
        )
    return participant


def _remember(response: HttpResponse, consultation: Consultation, participant: Participant) -> None:
    response.set_cookie(
        cookie_name(consultation.slug),
        token_for(participant.pk, consultation.pk),
        max_age=max_age(),  # the cookie lives as long as the token it holds
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
    )


@require_safe
@replica_reads
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = list(selectors.consultation_list())
    lang = get_language()
    rows = [{"c": c, "title": c.title_in(lang)} for c in consultations]
    user = request.user
    org = getattr(user, "organization", None) if access.is_authenticated(user) else None
    new_for = org if org is not None and access.may_create_consultation(user, org) else None
    return render(request, "consultation/list.html", {"rows": rows, "new_for": new_for})


def shown_text(statement: Statement | None, lang: str | None) -> dict[str, Any] | None:
    """How a page shows ``statement`` to a reader of ``lang``: the text in that language
    when translated (else the original), the language it is in, and whether that differs
    from the page's (the page marks it)."""
    if statement is None:
        return None
    text, shown = statement.text_in(lang)
    return {"text": text, "lang": shown, "foreign": not same_language(shown, lang or "en")}


def _vote_context(
    request: HttpRequest, consultation: Consultation, participant: Participant | None
) -> dict[str, Any]:
    voted = selectors.votes_of(participant)
    total = selectors.statement_list(None, consultation).count()
    statement = selectors.next_statement(consultation, list(voted))
    lang = get_language()
    return {
        "consultation": consultation,
        "title": consultation.title_in(lang),
        "description": consultation.description_in(lang),
        "statement": statement,
        "shown": shown_text(statement, lang),
        "voted": len(voted),
        "total": total,
        "percent": int(100 * len(voted) / total) if total else 0,
        "may_moderate": access.may_moderate_consultation(request.user, consultation),
    }


@require_safe
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The voting page: one statement at a time, keyboard a/d/p, progress, write your own."""
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    context = _vote_context(request, consultation, participant)
    # The visitor's own accepted statements, which they may translate.
    context["mine"] = [
        s
        for s in selectors.statements_written_by(participant)
        if s.moderation == Moderation.ACCEPTED
    ]
    template = "consultation/_vote.html" if _htmx(request) else "consultation/vote.html"
    return render(request, template, context)


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    error = ""
    participant: Participant | None = None
    try:
        statement_id = int(request.POST.get("statement", ""))
        value = int(request.POST.get("vote", ""))
    except ValueError:
        error = _("Choose agree, disagree or pass.")
    else:
        try:
            participant = _ensure_participant(request, consultation)
            services.vote_cast(
                claim=ParticipantClaim(participant.pk, consultation.pk),
                slug=consultation.slug,
                statement_id=statement_id,
                vote=value,
            )
        except DomainError as exc:
            error = exc.detail
    if participant is None:
        participant = _participant(request, consultation)
    if _htmx(request):
        context = _vote_context(request, consultation, participant)
        context["error"] = error
        response = render(request, "consultation/_vote.html", context, status=200)
    else:
        if error:
            messages.error(request, error)
        response = redirect("consultation", slug=consultation.slug)
    if participant is not None:
        _remember(response, consultation, participant)
    return response


@require_POST
def statement_new(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    participant: Participant | None = None
    message, ok = "", False
    try:
        participant = _ensure_participant(request, consultation)
        statement = services.statement_submit(
            actor=request.user,
            slug=consultation.slug,
            participant=participant,
            text=request.POST.get("text", ""),
            lang=(get_language() or "en").split("-")[0],
        )
        ok = True
        message = (
            _("Thank you: your statement is published.")
            if statement.moderation == Moderation.ACCEPTED
            else _("Thank you: your statement waits for the moderators.")
        )
    except DomainError as exc:
        message = exc.detail
    if _htmx(request):
        response = render(
            request,
            "consultation/_write.html",
            {"consultation": consultation, "message": message, "ok": ok},
        )
    else:
        (messages.success if ok else messages.error)(request, message)
        response = redirect("consultation", slug=consultation.slug)
    if participant is not None:
        _remember(response, consultation, participant)
    return response


@require_safe
@replica_reads
def opinion_map(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest map: dots by group (yours marked), each group's statements, consensus,
    divisive statements."""
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    context = map_view(consultation, participant, get_language())
    context["may_moderate"] = access.may_moderate_consultation(request.user, consultation)
    template = "consultation/_map.html" if _htmx(request) else "consultation/map.html"
    return render(request, template, context)


@require_safe
@replica_reads
def report(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    context = map_view(consultation, None, get_language())
    context["may_moderate"] = access.may_moderate_consultation(request.user, consultation)
    return render(request, "consultation/report.html", context)


@require_safe
@replica_reads
def report_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(slug)
    lang = get_language() or "en"
    pdf = report_pdf(map_view(consultation, None, lang), lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-report.pdf"'
    return response


def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat's queue of pending statements (others: not found)."""
    consultation = _consultation(slug)
    if not access.may_moderate_consultation(request.user, consultation):
        raise Http404(_("Not found."))
    context = {
        "consultation": consultation,
        "title": consultation.title_in(get_language()),
        "pending": list(selectors.moderation_queue(consultation)),
        "decided": list(selectors.decided_statements(consultation)),
    }
    template = "consultation/_queue.html" if _htmx(request) else "consultation/moderation.html"
    return render(request, template, context)


@require_POST
def moderate(request: HttpRequest, slug: str, statement_id: int, verb: str) -> HttpResponse:
    consultation = _consultation(slug)
    decision = {"accept": Moderation.ACCEPTED, "reject": Moderation.REJECTED}.get(verb)
    try:
        statement = selectors.statement_for_actor(request.user, statement_id)
        if decision is None or statement.consultation_id != consultation.pk:
            raise NotFound()
        services.statement_moderate(
            actor=request.user,
            statement_id=statement.pk,
            decision=decision,
            reason=request.POST.get("reason", ""),
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("The statement is accepted.")
            if decision == Moderation.ACCEPTED
            else _("The statement is rejected."),
        )
    if _htmx(request):
        return moderation(request, slug)
    if request.POST.get("back") == "statement":
        return redirect("consultation-statement", slug=slug, statement_id=statement_id)
    return redirect("consultation-moderation", slug=slug)


@require_safe
def my_data(request: HttpRequest, slug: str) -> HttpResponse:
    """What Concord keeps about this browser's (or signed-in user's) participant, with
    the two acts the API offers: revoke its tokens, delete its data."""
    from concord.consultation import privacy

    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    data = privacy.participant_data(participant) if participant is not None else None
    return render(
        request,
        "consultation/my_data.html",
        {"consultation": consultation, "data": data, "tab": "my-data", "lang": get_language()},
    )


@require_POST
def my_data_act(request: HttpRequest, slug: str, act: str) -> HttpResponse:
    from concord.consultation import privacy

    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    if participant is None or act not in ("delete", "revoke"):
        raise Http404(_("You have no data in this consultation."))
    if act == "delete":
        privacy.participant_erase(participant=participant)
        messages.success(
            request,
            _("Your data is deleted: your votes remain only as anonymous counts."),
        )
    else:
        privacy.participant_tokens_revoke(participant=participant)
        messages.success(request, _("Your participant tokens are revoked."))
    response = redirect("consultation-my-data", slug=consultation.slug)
    response.delete_cookie(cookie_name(consultation.slug))
    return response
