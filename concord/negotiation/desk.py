"""The negotiation desk: a page form for every act of the lifecycle (issue 11).

Each view is access -> Django form -> the same service as the API (``webforms.perform``)
-> redirect with a flash message (POST-redirect-GET). A refusal is shown beside the field
it names, in the page's language, and the service's transaction leaves the database as it
was. Whether a form is offered is decided by the predicates in ``accounts/access.py``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import NotFound
from concord.common.webforms import perform
from concord.negotiation import forms, selectors, services
from concord.negotiation.models import Amendment, AmendmentStatus, Document, Stage
from concord.negotiation.services.silence import silence_minimum_hours
from concord.organization.models import Meeting
from concord.organization.selectors import organization_get

GET_POST = require_http_methods(["GET", "POST"])
EXTRA_ROWS = 3
MAX_ROWS = 400


def _lang() -> str:
    return get_language() or "en"


def _org(slug: str) -> Any:
    try:
        return organization_get(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _document(request: HttpRequest, document_id: int) -> Any:
    try:
        return selectors.document_for_actor(request.user, document_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _login_or_refuse(request: HttpRequest, allowed: bool) -> HttpResponse | None:
    """Anonymous users go to sign-in (and come back); others without the right get 403."""
    if allowed:
        return None
    if not access.is_authenticated(request.user):
        return redirect(f"{reverse('login')}?next={request.get_full_path()}")
    return render(
        request,
        "negotiation/desk/refused.html",
        {"detail": _("You may not do this.")},
        status=403,
    )


def _data(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one: nothing ticked), else unbound."""
    return request.POST if request.method == "POST" else None


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool
) -> HttpResponse:
    return render(request, template, context, status=422 if failed else 200)


def _bodies(org: Any) -> list[tuple[str, str]]:
    return [(b.slug, b.name) for b in org.bodies.order_by("name")]


def _open_documents(org: Any, actor: Actor) -> list[tuple[str, str]]:
    rows = (
        Document.objects.filter(organization=org)
        .filter(access.documents_visible_to(actor, org))
        .exclude(stage__in=(Stage.ADOPTED, Stage.WITHDRAWN))
        .order_by("symbol")[:MAX_ROWS]
    )
    return [(str(d.pk), d.symbol) for d in rows]


# --- meetings -----------------------------------------------------------------------------


@GET_POST
def meeting_new(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org(org)
    refused = _login_or_refuse(request, access.may_schedule_meeting(request.user, organization))
    if refused:
        return refused
    documents = _open_documents(organization, request.user)
    form = forms.MeetingForm(_data(request), bodies=_bodies(organization), documents=documents)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}

        def act() -> Meeting:
            from django.db import transaction

            with transaction.atomic():
                meeting = services.meeting_create(
                    actor=request.user,
                    org_slug=organization.slug,
                    body=data["body"],
                    start=data["start"],
                    end=data["end"],
                    city=data["city"],
                    host=data["host"] or None,
                    title=data["title"],
                )
                if data["agenda"]:
                    services.meeting_agenda_set(
                        actor=request.user,
                        meeting_id=meeting.pk,
                        documents=[int(d) for d in data["agenda"]],
                    )
            return meeting

        meeting = perform(request, form, act, success=_("The meeting is scheduled."))
        if meeting is not None:
            return redirect("negotiation:readiness", meeting_id=meeting.pk)
    return _form_page(
        request,
        "negotiation/desk/meeting_form.html",
        {"org": organization, "form": form},
        failed=request.method == "POST",
    )


@GET_POST
def meeting_agenda(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get(None, meeting_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    organization = meeting.organization
    refused = _login_or_refuse(request, access.may_schedule_meeting(request.user, organization))
    if refused:
        return refused
    documents = _open_documents(organization, request.user)
    current = [
        str(pk) for pk in Document.objects.filter(meeting=meeting).values_list("pk", flat=True)
    ]
    form = forms.AgendaForm(_data(request), documents=documents, initial={"agenda": current})
    if request.method == "POST":
        done = perform(
            request,
            form,
            lambda: services.meeting_agenda_set(
                actor=request.user,
                meeting_id=meeting.pk,
                documents=[int(d) for d in form.cleaned_data["agenda"]],
            ),
            success=_("The agenda is saved."),
        )
        if done is not None:
            return redirect("negotiation:readiness", meeting_id=meeting.pk)
    return _form_page(
        request,
        "negotiation/desk/agenda_form.html",
        {"org": organization, "meeting": meeting, "form": form},
        failed=request.method == "POST",
    )


# --- documents ----------------------------------------------------------------------------


@GET_POST
def document_new(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org(org)
    refused = _login_or_refuse(request, access.may_submit_document(request.user, organization))
    if refused:
        return refused
    today = timezone.localdate()
    meetings = [
        (m.pk, f"{m} ({m.body.name}, {m.start.isoformat()})")
        for m in Meeting.objects.filter(organization=organization, end__gte=today)
        .select_related("body", "organization")
        .order_by("start", "pk")[:MAX_ROWS]
    ]
    languages = list(dict.fromkeys(["en", *(organization.official_languages or [])]))
    form = forms.DocumentForm(
        _data(request),
        bodies=_bodies(organization),
        meetings=meetings,
        languages=languages,
        initial={"meeting": request.GET.get("meeting", "")},
    )
    if request.method == "POST":

        def act() -> Document:
            data = form.cleaned_data
            return services.document_submit(
                actor=request.user,
                org_slug=organization.slug,
                symbol=data["symbol"],
                kind=data["kind"],
                titles=form.titles(),
                body=data["body"],
                languages=data["languages"],
                meeting=data["meeting"],
                sponsors=form.sponsor_codes(),
                classification=data["classification"],
                penholder=data["penholder"] or None,
                shared_with_partners=data["shared_with_partners"],
            )

        document = perform(
            request,
            form,
            act,
            success=_("The document is created. Its penholder issues the first version."),
            fields={"title": f"title_{languages[0]}", "texts": "symbol"},
        )
        if document is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _form_page(
        request,
        "negotiation/desk/document_form.html",
        {"org": organization, "form": form, "languages": languages},
        failed=request.method == "POST",
    )


# --- versions -----------------------------------------------------------------------------


def _initial_from(version: Any, languages: list[str]) -> tuple[dict[str, Any], int]:
    initial: dict[str, Any] = {}
    provisions = selectors.provisions_of(version) if version else []
    for i, p in enumerate(provisions):
        initial[f"p{i}_key"] = p.key
        initial[f"p{i}_kind"] = p.kind
        initial[f"p{i}_parent"] = p.parent.key if p.parent is not None else ""
        for t in p.texts.all():
            if t.language in languages:
                initial[f"p{i}_text_{t.language}"] = t.text
                initial[f"p{i}_brackets_{t.language}"] = forms.format_brackets(t.brackets.all())
    return initial, len(provisions)


@GET_POST
def version_new(request: HttpRequest, document_id: int) -> HttpResponse:
    """The penholder's version editor: every provision with its text in each language side
    by side; brackets are offsets (selected with the mouse when JavaScript runs)."""
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_issue_version(request.user, document))
    if refused:
        return refused
    languages = list(document.languages)
    versions = selectors.versions_of(document)
    latest = versions[-1] if versions else None
    initial, count = _initial_from(latest, languages)
    if request.method == "POST":
        try:
            rows = min(int(request.POST.get("rows", "0")), MAX_ROWS)
        except ValueError:
            rows = 0
        rows = max(rows, 1)
    else:
        try:
            more = min(max(int(request.GET.get("more", EXTRA_ROWS)), 0), 50)
        except ValueError:
            more = EXTRA_ROWS
        rows = count + more
    initial["revision"] = document.revision
    form = forms.VersionForm(_data(request), rows=rows, languages=languages, initial=initial)
    if request.method == "POST":
        version = perform(
            request,
            form,
            lambda: services.version_create(
                actor=request.user,
                document_id=document.pk,
                provisions=form.provisions,
                note=form.cleaned_data["note"],
                expected_revision=form.cleaned_data.get("revision"),
            ),
            success=lambda v: (
                _("Version %(number)s is issued. Each member state is asked for its position.")
                % {"number": v.number}
            ),
            fields=form.field_of,
        )
        if version is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _form_page(
        request,
        "negotiation/desk/version_form.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "form": form,
            "rows": form.rows_of(),
            "row_count": rows,
            "latest": latest,
            "languages": languages,
        },
        failed=request.method == "POST",
    )


def _accepted_unapplied(document: Any, version: Any) -> list[Amendment]:
    if version is None:
        return []
    return list(
        Amendment.objects.filter(
            document=document,
            version=version,
            status=AmendmentStatus.ACCEPTED,
            applied_in__isnull=True,
        )
        .select_related("state")
        .order_by("id")
    )


def amendment_label(a: Amendment) -> str:
    return _("No. %(id)s by %(state)s: %(op)s %(key)s") % {
        "id": a.pk,
        "state": a.state.iso3,
        "op": a.get_op_display(),
        "key": a.provision_key,
    }


@GET_POST
def version_from_amendments(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_issue_version(request.user, document))
    if refused:
        return refused
    versions = selectors.versions_of(document)
    latest = versions[-1] if versions else None
    pending = _accepted_unapplied(document, latest)
    form = forms.FromAmendmentsForm(
        _data(request), amendments=[(a.pk, amendment_label(a)) for a in pending]
    )
    if request.method == "POST":
        version = perform(
            request,
            form,
            lambda: services.version_create(
                actor=request.user,
                document_id=document.pk,
                from_amendments=form.cleaned_data["amendments"],
                note=form.cleaned_data["note"],
            ),
            success=lambda v: (
                _(
                    "Version %(number)s is issued from the accepted amendments. Each member state "
                    "is asked for its position."
                )
                % {"number": v.number}
            ),
            fields={"from_amendments": "amendments", "provisions": "amendments"},
        )
        if version is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _form_page(
        request,
        "negotiation/desk/from_amendments.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "form": form,
            "pending": pending,
            "latest": latest,
        },
        failed=request.method == "POST",
    )


# --- translations -------------------------------------------------------------------------


@GET_POST
def translations(request: HttpRequest, document_id: int) -> HttpResponse:
    """Every text of the latest version, language by language, with its verification; the
    secretariat's translators confirm each one."""
    document = _document(request, document_id)
    may_verify = access.may_verify_translation(request.user, document)
    versions = selectors.versions_of(document)
    latest = versions[-1] if versions else None
    form = forms.VerifyForm(_data(request))
    if request.method == "POST":
        refused = _login_or_refuse(request, may_verify)
        if refused:
            return refused
        done = perform(
            request,
            form,
            lambda: services.translation_verify(
                actor=request.user,
                document_id=document.pk,
                version_number=form.cleaned_data["version"],
                key=form.cleaned_data["key"],
                lang=form.cleaned_data["lang"],
            ),
            success=lambda t: (
                _("The %(lang)s text of %(key)s is verified.")
                % {"lang": t.language, "key": form.cleaned_data["key"]}
            ),
        )
        if done is not None:
            return redirect("negotiation:translations", document_id=document.pk)
    rows = []
    for p in selectors.provisions_of(latest) if latest else []:
        texts = {t.language: t for t in p.texts.all()}
        rows.append({"p": p, "texts": [(lang, texts.get(lang)) for lang in document.languages]})
    return _form_page(
        request,
        "negotiation/desk/translations.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "version": latest,
            "rows": rows,
            "form": form,
            "may_verify": may_verify,
        },
        failed=request.method == "POST",
    )


# --- sponsors, silence, withdrawal: small acts of the document page ------------------------


def _act_page(
    request: HttpRequest, document: Any, form: Any, heading: str, button: str
) -> HttpResponse:
    return _form_page(
        request,
        "negotiation/desk/act.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "form": form,
            "heading": heading,
            "button": button,
        },
        failed=request.method == "POST",
    )


@GET_POST
def sponsors(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    whose = access.sponsor_states_for(request.user, document)
    refused = _login_or_refuse(request, bool(whose))
    if refused:
        return refused
    own = access.acting_state(request.user)
    initial = {"state": own.iso3 if own and whose == "own" else ""}
    form = forms.SponsorForm(_data(request), initial=initial)
    if request.method == "POST":

        def act() -> Any:
            data = form.cleaned_data
            service = services.sponsor_join if data["action"] == "join" else services.sponsor_leave
            return service(actor=request.user, document_id=document.pk, iso3=data["state"])

        done = perform(
            request,
            form,
            act,
            success=lambda row: (
                (
                    _("%(state)s now sponsors this document.")
                    if row.left_at is None
                    else _("%(state)s no longer sponsors this document.")
                )
                % {"state": row.state.iso3}
            ),
        )
        if done is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _act_page(request, document, form, _("Sponsors"), _("Save"))


@GET_POST
def silence_open(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_run_silence(request.user, document))
    if refused:
        return refused
    versions = selectors.versions_of(document)
    number = versions[-1].number if versions else 0
    hours = silence_minimum_hours(document.body.slug)
    suggested = timezone.now() + timedelta(hours=hours + 24)
    form = forms.SilenceOpenForm(
        _data(request),
        initial={
            "version": number,
            "zone": "UTC",
            "deadline": suggested.strftime("%Y-%m-%dT%H:00"),
        },
    )
    if request.method == "POST":
        done = perform(
            request,
            form,
            lambda: services.silence_open(
                actor=request.user,
                document_id=document.pk,
                version_number=form.cleaned_data["version"],
                deadline=form.aware_deadline(),
            ),
            success=_(
                "The silence procedure is open. Any member may break it before the deadline."
            ),
        )
        if done is not None:
            return redirect("negotiation:document", document_id=document.pk)
    heading = _("Open a silence procedure (at least %(hours)s hours)") % {"hours": hours}
    return _act_page(request, document, form, heading, _("Open the silence procedure"))


@GET_POST
def silence_break(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_break_silence(request.user, document))
    if refused:
        return refused
    versions = selectors.versions_of(document)
    number = versions[-1].number if versions else 0
    form = forms.ReasonForm(_data(request), initial={"version": number})
    if request.method == "POST":
        done = perform(
            request,
            form,
            lambda: services.silence_break(
                actor=request.user,
                document_id=document.pk,
                version_number=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data["reason"],
            ),
            success=_("The silence is broken; the document is back under negotiation."),
        )
        if done is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _act_page(request, document, form, _("Break the silence"), _("Break the silence"))


@GET_POST
def withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_withdraw(request.user, document))
    if refused:
        return refused
    form = forms.ReasonForm(_data(request))
    if request.method == "POST":
        done = perform(
            request,
            form,
            lambda: services.document_withdraw(
                actor=request.user, document_id=document.pk, reason=form.cleaned_data["reason"]
            ),
            success=_("The document is withdrawn."),
        )
        if done is not None:
            return redirect("negotiation:document", document_id=document.pk)
    return _act_page(request, document, form, _("Withdraw the document"), _("Withdraw"))


# --- adoption -----------------------------------------------------------------------------


@GET_POST
def adopt(request: HttpRequest, document_id: int) -> HttpResponse:
    """Adoption at a meeting, with the verdict on the meeting's day and what blocks it
    shown beside the button."""
    document = _document(request, document_id)
    refused = _login_or_refuse(request, access.may_adopt(request.user, document))
    if refused:
        return refused
    versions = selectors.versions_of(document)
    latest = versions[-1] if versions else None
    today = timezone.localdate()
    meetings = list(
        Meeting.objects.filter(
            organization_id=document.organization_id, body_id=document.body_id, start__lte=today
        )
        .select_related("body", "organization")
        .order_by("-start", "-pk")[:50]
    )
    default = document.meeting_id if any(m.pk == document.meeting_id for m in meetings) else None
    if default is None and meetings:
        default = meetings[0].pk
    form = forms.AdoptForm(
        _data(request),
        meetings=[(m.pk, f"{m} ({m.start.isoformat()})") for m in meetings],
        initial={"version": latest.number if latest else 0, "meeting": default},
    )
    if request.method == "POST":
        done = perform(
            request,
            form,
            lambda: services.adoption_record(
                actor=request.user,
                document_id=document.pk,
                version_number=form.cleaned_data["version"],
                meeting_id=form.cleaned_data["meeting"],
            ),
            success=_("The document is adopted."),
        )
        if done is not None:
            return redirect("negotiation:adopted", document_id=document.pk)
    chosen = next((m for m in meetings if str(m.pk) == str(form["meeting"].value())), None) or (
        meetings[0] if meetings else None
    )
    on = chosen.start if chosen else today
    verdict = explanation = None
    unverified: list[str] = []
    if latest is not None:
        latest.document = document
        verdict = selectors.verdict_of(latest, on=on)
        explanation = selectors.explain(verdict, on=on)
        unverified = selectors.unverified_languages(latest)
    return _form_page(
        request,
        "negotiation/desk/adopt.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "form": form,
            "version": latest,
            "verdict": verdict,
            "explanation": explanation,
            "unverified": unverified,
            "on": on,
            "meetings": meetings,
        },
        failed=request.method == "POST",
    )
