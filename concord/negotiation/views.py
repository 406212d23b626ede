"""Pages of the negotiation lifecycle. Each view is access -> service or selector -> render;
POST views call the same services as the API (session + CSRF). With HTMX a POST returns
the fragment it changed (``negotiation/_<name>.html``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concord.accounts import access
from concord.common.dbrouting import replica_reads
from concord.common.errors import DomainError, NotFound
from concord.consensus import diff as pure_diff
from concord.consensus.membership import Status
from concord.negotiation import present, rendering, selectors, services
from concord.negotiation.history import document_history as history
from concord.negotiation.models import (
    AmendmentOp,
    Explanation,
    ProvisionKind,
    Stand,
)
from concord.organization.selectors import meeting_list as meeting_list_of
from concord.organization.selectors import organization_get


def _document(request: HttpRequest, document_id: int) -> Any:
    try:
        return selectors.document_for_actor(request.user, document_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _lang() -> str:
    return get_language() or "en"


@require_GET
def document_list(request: HttpRequest, org: str) -> HttpResponse:
    try:
        organization = organization_get(org)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    documents = list(selectors.document_list(request.user, organization))
    lang = _lang()
    rows = [(d, d.title_in(lang)) for d in documents]
    return render(
        request,
        "negotiation/document_list.html",
        {
            "org": organization,
            "rows": rows,
            "may_submit": access.may_submit_document(request.user, organization),
        },
    )


def _page_context(request: HttpRequest, document: Any) -> dict[str, Any]:
    page = selectors.document_page(document, lang=_lang())
    user = request.user
    own = access.acting_state(user)
    own_row = next((r for r in page.states if own and r.iso3 == own.iso3), None)
    own_status = own_row.status if own_row is not None else Status.NONE
    # Public input cited by the text: consensus statements of consultations (one query).
    cited: dict[str, list[Any]] = {}
    for citation in selectors.citations_of(document):
        cited.setdefault(citation.provision, []).append(citation)
    provisions = [
        {
            "p": p,
            "html": rendering.bracketed_html(t.text, list(t.brackets.all())),
            "stale": t.stale,
            "bracketed": bool(t.brackets.all()),
            # Parallel brackets: a provision bracketed in another language shows so here.
            "parallel": _parallel(p, t),
            "citations": cited.get(p.key, []),
        }
        for p in page.provisions
        for t in p.texts.all()
        if t.language == page.lang
    ]
    return {
        "page": page,
        "document": document,
        "title": document.title_in(_lang()),
        "provisions": provisions,
        "stands": Stand.choices,
        "ops": AmendmentOp.choices,
        "kinds": ProvisionKind.choices,
        "may_set_position": bool(
            page.version and access.may_set_position(user, document, status=own_status)
        ),
        "own_state": own_row,
        "may_amend": bool(
            page.version and access.may_propose_amendment(user, document, status=own_status)
        ),
        "may_decide": access.may_decide_amendments(user, document),
        "now": timezone.now(),
        "desk": _desk(user, document, page, access.is_open(document)),
    }


def _parallel(provision: Any, shown: Any) -> str:
    """The other languages' brackets of ``provision`` when ``shown`` has none of its own."""
    if shown.brackets.all() or not shown.text:
        return ""
    held: dict[str, set[str]] = {}
    for t in provision.texts.all():
        for b in t.brackets.all():
            held.setdefault(t.language, set()).update(b.held_by)
    if not held:
        return ""
    return _("Bracketed in %(languages)s by %(states)s.") % {
        "languages": ", ".join(sorted(held)),
        "states": ", ".join(sorted(set().union(*held.values()))),
    }


def _desk(user: Any, document: Any, page: Any, open_doc: bool) -> dict[str, Any]:
    """Which lifecycle forms the document page offers this user (access.py decides)."""
    if not open_doc or not access.is_authenticated(user):
        return {}
    pending = [
        a
        for a in page.amendments
        if page.version
        and a.status == "accepted"
        and a.applied_in_id is None
        and a.version_id == page.version.pk
    ]
    running = page.silence_state == "running"
    return {
        "issue": access.may_issue_version_now(user, document),
        "from_amendments": pending if access.may_issue_version(user, document) else [],
        "verify": access.may_verify_translation(user, document),
        "silence_open": bool(page.version) and access.may_open_silence_now(user, document),
        "silence_break": running and access.may_break_silence(user, document),
        "adopt": bool(page.version) and access.may_adopt(user, document),
        "withdraw": access.may_withdraw(user, document),
        "sponsors": access.sponsor_states_for(user, document),
    }


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    return render(request, "negotiation/document.html", _page_context(request, document))


@require_GET
def silence_countdown(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    return render(request, "negotiation/_silence.html", _page_context(request, document))


@require_POST
def position_form(request: HttpRequest, document_id: int) -> HttpResponse:
    """A head of delegation sets its own state's position on the latest version."""
    document = _document(request, document_id)
    state = access.acting_state(request.user)
    status = 200
    try:
        services.position_set(
            actor=request.user,
            document_id=document.pk,
            version_number=int(request.POST.get("version", "0") or 0),
            iso3=state.iso3 if state else "",
            stand=request.POST.get("stand", ""),
            text=request.POST.get("text", ""),
            provisions=request.POST.getlist("provisions"),
            expected_revision=int(request.POST["revision"])
            if request.POST.get("revision")
            else None,
        )
        messages.success(request, _("Your position is recorded."))
    except DomainError as exc:
        status = exc.status
        messages.error(request, exc.detail)
    except ValueError:
        status = 422
        messages.error(request, _("The form was not filled in correctly."))
    if getattr(request, "htmx", False):
        document = _document(request, document_id)
        return render(
            request, "negotiation/_consensus.html", _page_context(request, document), status=status
        )
    return redirect("negotiation:document", document_id=document_id)


@require_http_methods(["GET", "POST"])
def amendment_form(request: HttpRequest, document_id: int) -> HttpResponse:
    """A member's delegation proposes an amendment; a refusal shows beside its field."""
    from concord.common.webforms import perform
    from concord.negotiation.desk import _login_or_refuse
    from concord.negotiation.forms import AmendmentForm

    document = _document(request, document_id)
    # Only a member state's delegation may propose (as the API's 403): nobody else is
    # offered the form, nor has a submission shown back as a form error.
    refused = _login_or_refuse(request, access.may_propose_amendment(request.user, document))
    if refused is not None:
        return refused
    versions = selectors.versions_of(document)
    form = AmendmentForm(
        request.POST if request.method == "POST" else None,
        languages=list(document.languages),
        initial={"version": versions[-1].number if versions else 0},
    )
    if request.method == "POST":

        def act() -> Any:
            data = form.cleaned_data
            text = data["text"]
            return services.amendment_propose(
                actor=request.user,
                document_id=document.pk,
                version_number=data["version"],
                provision=data["provision"],
                op=data["op"],
                texts={data["lang"]: text} if text.strip() else None,
                reason=data["reason"],
                kind=data["kind"],
                after=data["after"],
            )

        done = perform(
            request,
            form,
            act,
            success=_("Your amendment is proposed."),
            fields={"texts": "text"},
        )
        if done is not None:
            return redirect("negotiation:document", document_id=document_id)
    return render(
        request,
        "negotiation/desk/act.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "form": form,
            "heading": _("Propose an amendment"),
            "button": _("Propose"),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def amendment_decide(request: HttpRequest, amendment_id: int, verb: str) -> HttpResponse:
    try:
        if verb not in ("accept", "reject"):
            raise Http404("no such act")
        decide = services.amendment_accept if verb == "accept" else services.amendment_reject
        amendment = decide(actor=request.user, amendment_id=amendment_id)
        messages.success(request, _decided_message(amendment))
        document_id = amendment.document_id
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.detail) from exc
        messages.error(request, exc.detail)
        document_id = selectors.amendment_for_actor(request.user, amendment_id).document_id
    return redirect("negotiation:document", document_id=document_id)


def _decided_message(amendment: Any) -> str:
    """What an accepted amendment changes, and what the penholder does next."""
    if amendment.status != "accepted":
        return _("Amendment %(id)s is rejected; the text does not change.") % {"id": amendment.pk}
    change = {
        "insert": _("it inserts provision %(key)s"),
        "replace": _("it replaces the text of provision %(key)s"),
        "delete": _("it deletes provision %(key)s"),
    }.get(amendment.op, "%(key)s") % {"key": amendment.provision_key}
    return _(
        "Amendment %(id)s is accepted: %(change)s. The text changes when the penholder "
        "issues a version from the accepted amendments."
    ) % {"id": amendment.pk, "change": change}


@require_GET
def version_diff(request: HttpRequest, document_id: int, number: int) -> HttpResponse:
    document = _document(request, document_id)
    try:
        against = int(request.GET.get("against", number - 1))
        new_version = selectors.version_get(document, number)
        old_version = selectors.version_get(document, against)
    except (ValueError, NotFound) as exc:
        raise Http404(str(exc)) from exc
    new = selectors.provisions_of(new_version)
    old = selectors.provisions_of(old_version)
    languages = [lang for lang in document.languages if lang == request.GET.get("lang")] or list(
        document.languages
    )
    tables = []
    for lang in languages:

        def pairs(provisions: list[Any], lang: str = lang) -> list[tuple[str, str]]:
            return [
                (p.key, next((t.text for t in p.texts.all() if t.language == lang), ""))
                for p in provisions
            ]

        rows = []
        for change in pure_diff.diff_versions(pairs(old), pairs(new)):
            left, right = rendering.diff_sides(change)
            rows.append({"change": change, "old": left, "new": right})
        tables.append({"lang": lang, "rows": rows})
    return render(
        request,
        "negotiation/diff.html",
        {
            "document": document,
            "title": document.title_in(_lang()),
            "old": old_version,
            "new": new_version,
            "tables": tables,
        },
    )


@require_GET
@replica_reads
def adopted_view(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    if not access.is_adopted(document):
        raise Http404("not adopted")
    text = present.adopted_text(document)
    lang = selectors.ui_language(document, request.GET.get("lang") or _lang())
    explanations = list(
        Explanation.objects.filter(adoption__document=document).select_related("state")
    )
    provisions = [
        {"p": p, "text": p.texts.get(lang, ""), "depth": 0} for p in text.all_provisions()
    ]
    return render(
        request,
        "negotiation/adopted.html",
        {
            "document": document,
            "text": text,
            "lang": lang,
            "title": text.titles.get(lang) or document.title_in(lang),
            "provisions": provisions,
            "explanations": explanations,
        },
    )


@require_GET
def meeting_readiness(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_get(None, meeting_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    rows = selectors.readiness(request.user, meeting)
    return render(
        request,
        "negotiation/readiness.html",
        {
            "meeting": meeting,
            "org": meeting.organization,
            "rows": rows,
            "lang": _lang(),
            "may_schedule": access.may_schedule_meeting(request.user, meeting.organization),
        },
    )


@require_GET
def document_history(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document(request, document_id)
    return render(
        request,
        "negotiation/history.html",
        {"document": document, "title": document.title_in(_lang()), "entries": history(document)},
    )


@require_GET
def meeting_list(request: HttpRequest, org: str) -> HttpResponse:
    try:
        organization = organization_get(org)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    meetings = list(
        meeting_list_of(organization).select_related("body", "host").order_by("-start", "-id")
    )
    counts = selectors.meeting_agenda_counts(request.user, organization)
    today = timezone.localdate()
    rows = [(m, counts.get(m.pk, 0), m.end >= today) for m in meetings]
    return render(
        request,
        "negotiation/meeting_list.html",
        {
            "org": organization,
            "rows": rows,
            "may_schedule": access.may_schedule_meeting(request.user, organization),
        },
    )
