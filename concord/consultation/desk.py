"""The consultation desk: page forms for every act the consultation API offers, calling
the same services with the same checks.

Each POST either succeeds (a flash message, then a redirect: POST-redirect-GET) or fails
with the service's refusal shown beside the field it names, in the page's language, with
the status the API would give; a failed act changes nothing (the services are atomic).
Who may see a form is decided by ``concord.accounts.access``; others get a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.accounts import access
from concord.common.errors import DomainError, InvalidInput, NotAuthenticated, NotFound
from concord.consultation import selectors, services
from concord.consultation.models import Consultation, Moderation, ModerationMode, Statement
from concord.organization.selectors import organization_get


def _errors(exc: DomainError) -> dict[str, str]:
    return {exc.field or "form": exc.detail}


def _page_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _moderated(request: HttpRequest, slug: str) -> Consultation:
    """The consultation if the visitor moderates it, else 404 (it reads as missing)."""
    try:
        consultation: Consultation = selectors.consultation_for_actor(request.user, slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not access.may_moderate_consultation(request.user, consultation):
        raise Http404(_("Not found."))
    return consultation


# --------------------------------------------------------------------------- create


@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, org: str) -> HttpResponse:
    """Open a consultation of ``org`` (its secretariat)."""
    try:
        organization = organization_get(org)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not access.may_create_consultation(request.user, organization):
        raise Http404(_("Not found."))
    values: dict[str, Any] = {"moderation_mode": ModerationMode.POST, "languages": ["en"]}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        languages = request.POST.getlist("languages")
        values = {
            "slug": request.POST.get("slug", "").strip(),
            "title": {c: request.POST.get(f"title_{c}", "") for c, _n in settings.LANGUAGES},
            "description": {
                c: request.POST.get(f"description_{c}", "") for c, _n in settings.LANGUAGES
            },
            "languages": languages,
            "moderation_mode": request.POST.get("moderation_mode", ""),
            "initiative": request.POST.get("initiative", "").strip(),
        }
        try:
            if not values["slug"]:
                raise InvalidInput(
                    _("Give the consultation a short name for its address."), field="slug"
                )
            consultation = services.consultation_create(
                actor=request.user,
                org_slug=organization.slug,
                slug=values["slug"],
                title=values["title"],
                description=values["description"],
                languages=languages,
                moderation_mode=values["moderation_mode"],
                initiative=values["initiative"],
            )
        except DomainError as exc:
            errors, status = _errors(exc), exc.status
        else:
            messages.success(request, _("The consultation is open."))
            return redirect("consultation-manage", slug=consultation.slug)
    context = {
        "organization": organization,
        "values": values,
        "errors": errors,
        "lang_choices": _page_languages(),
        "per_language": [
            (
                code,
                name,
                values.get("title", {}).get(code, ""),
                values.get("description", {}).get(code, ""),
            )
            for code, name in _page_languages()
        ],
        "modes": ModerationMode.choices,
    }
    return render(request, "consultation/new.html", context, status=status)


# --------------------------------------------------------------------------- manage


def _manage_context(request: HttpRequest, consultation: Consultation) -> dict[str, Any]:
    lang = get_language()
    documents = selectors.documents_to_link(request.user, consultation.organization)
    return {
        "consultation": consultation,
        "title": consultation.title_in(lang),
        "linked": consultation.document,
        "documents": [(d.pk, d.symbol, d.title_in(lang)) for d in documents],
        "lang_choices": _page_languages(),
        "may_moderate": True,
        "errors": {},
        "values": {},
    }


def consultation_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' page of a consultation: close it, link it to a document, write seed
    statements."""
    consultation = _moderated(request, slug)
    return render(request, "consultation/manage.html", _manage_context(request, consultation))


def _manage_act(
    request: HttpRequest, slug: str, act: Any, done: str, values: dict[str, Any] | None = None
) -> HttpResponse:
    consultation = _moderated(request, slug)
    try:
        act(consultation)
    except DomainError as exc:
        context = _manage_context(request, consultation)
        context["errors"] = _errors(exc)
        context["values"] = values or {}
        return render(request, "consultation/manage.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("consultation-manage", slug=slug)


@require_POST
def consultation_close(request: HttpRequest, slug: str) -> HttpResponse:
    return _manage_act(
        request,
        slug,
        lambda c: services.consultation_close(actor=request.user, slug=c.slug),
        _("The consultation is closed: no more statements or votes."),
    )


def _int_or_invalid(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(_("Choose a document."), field=field) from None


@require_POST
def consultation_link(request: HttpRequest, slug: str) -> HttpResponse:
    raw = request.POST.get("document", "")

    def act(c: Consultation) -> None:
        services.consultation_link_document(
            actor=request.user, slug=c.slug, document_id=_int_or_invalid(raw, "document")
        )

    return _manage_act(
        request, slug, act, _("The consultation is linked to the document."), {"document": raw}
    )


@require_POST
def consultation_unlink(request: HttpRequest, slug: str) -> HttpResponse:
    return _manage_act(
        request,
        slug,
        lambda c: services.consultation_unlink_document(actor=request.user, slug=c.slug),
        _("The consultation is no longer linked to a document."),
    )


@require_POST
def seed_statement(request: HttpRequest, slug: str) -> HttpResponse:
    text, lang = request.POST.get("text", ""), request.POST.get("lang", "")

    def act(c: Consultation) -> None:
        services.statement_submit(
            actor=request.user, slug=c.slug, participant=None, text=text, lang=lang, seed=True
        )

    return _manage_act(
        request,
        slug,
        act,
        _("The seed statement is published."),
        {"text": text, "lang": lang},
    )


# --------------------------------------------------------------------------- a statement


def _statement(request: HttpRequest, slug: str, statement_id: int) -> Statement:
    if statement_id >= 2**63:
        raise Http404(_("Not found."))
    try:
        statement: Statement = selectors.statement_for_actor(request.user, statement_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if statement.consultation.slug != slug:
        raise Http404(_("Not found."))
    return statement


def _statement_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
    from concord.consultation.views import participant_of_request

    consultation = statement.consultation
    participant = participant_of_request(request, consultation)
    moderator = access.may_moderate_consultation(request.user, consultation)
    return {
        "consultation": consultation,
        "title": consultation.title_in(get_language()),
        "statement": statement,
        "translations": list(selectors.translations_of(statement)),
        "may_translate": access.may_translate_statement(request.user, statement, participant),
        "may_moderate": moderator,
        "citations": list(statement.citations.select_related("document")) if moderator else [],
        "documents": [
            (d.pk, d.symbol, d.title_in(get_language()))
            for d in selectors.documents_to_link(request.user, consultation.organization)
        ]
        if moderator
        else [],
        "lang_choices": _page_languages(),
        "decisions": [
            (verb, label)
            for verb, label, state in (
                ("accept", _("Accept"), Moderation.ACCEPTED),
                ("reject", _("Reject"), Moderation.REJECTED),
            )
            if state != statement.moderation
        ],
        "errors": {},
        "values": {},
    }


@require_safe
def statement_detail(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    """A statement: its original, its translations and, for those who may, the forms to
    translate, moderate and cite it."""
    statement = _statement(request, slug, statement_id)
    return render(request, "consultation/statement.html", _statement_context(request, statement))


def _statement_act(
    request: HttpRequest,
    slug: str,
    statement_id: int,
    act: Any,
    done: str,
    values: dict[str, Any],
) -> HttpResponse:
    statement = _statement(request, slug, statement_id)
    try:
        act(statement)
    except NotAuthenticated:
        # A page answers "sign in" with the sign-in page (the API's 401), then back here.
        page = reverse(
            "consultation-statement", kwargs={"slug": slug, "statement_id": statement_id}
        )
        return redirect(f"{reverse('login')}?{urlencode({'next': page})}")
    except DomainError as exc:
        context = _statement_context(request, statement)
        context["errors"] = _errors(exc)
        context["values"] = values
        return render(request, "consultation/statement.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("consultation-statement", slug=slug, statement_id=statement_id)


@require_POST
def statement_translate(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    from concord.consultation.views import participant_of_request

    lang, text = request.POST.get("lang", ""), request.POST.get("text", "")

    def act(statement: Statement) -> None:
        services.statement_translate(
            actor=request.user,
            statement_id=statement.pk,
            lang=lang,
            text=text,
            participant=participant_of_request(request, statement.consultation),
        )

    return _statement_act(
        request,
        slug,
        statement_id,
        act,
        _("The translation is saved."),
        {"lang": lang, "text": text},
    )


@require_POST
def statement_cite(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    raw, provision = request.POST.get("document", ""), request.POST.get("provision", "")

    def act(statement: Statement) -> None:
        services.citation_add(
            actor=request.user,
            statement_id=statement.pk,
            document_id=_int_or_invalid(raw, "document"),
            provision=provision,
        )

    return _statement_act(
        request,
        slug,
        statement_id,
        act,
        _("The citation is recorded."),
        {"document": raw, "provision": provision},
    )
