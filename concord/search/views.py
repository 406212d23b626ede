"""The document search page: a word in any language, filters, pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from concord.common.errors import NotFound
from concord.negotiation.models import Kind, Stage
from concord.organization.selectors import body_list, meeting_list, organization_get
from concord.search import selectors

PER_PAGE = 25
#: A longer query is cut: no one types more, and FTS cost grows with it.
MAX_QUERY = 200


@require_GET
def search(request: HttpRequest, org: str) -> HttpResponse:
    try:
        organization = organization_get(org)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    bodies = list(body_list(organization))
    meetings = list(meeting_list(organization).select_related("body"))
    errors: dict[str, str] = {}
    get = request.GET
    body = get.get("body", "")
    if body and body not in {b.slug for b in bodies}:
        errors["body"] = _("No such body in this organization.")
    meeting: int | None = None
    if get.get("meeting"):
        try:
            meeting = int(get["meeting"])
        except ValueError:
            meeting = None
        if meeting not in {m.pk for m in meetings}:
            errors["meeting"] = _("No such meeting in this organization.")
    stage, kind = get.get("stage", ""), get.get("kind", "")
    if stage and stage not in Stage.values:
        errors["stage"] = _("No such stage.")
    if kind and kind not in Kind.values:
        errors["kind"] = _("No such kind of document.")
    q = get.get("q", "")[:MAX_QUERY].replace("\x00", "")
    page = None
    if not errors:
        filters = selectors.Filters(q=q, body=body, meeting=meeting, stage=stage, kind=kind)
        found = selectors.document_search(request.user, organization, filters)
        page = Paginator(found, PER_PAGE).get_page(get.get("page"))
    lang = get_language() or "en"
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "org": organization,
            "q": q,
            "chosen": {"body": body, "meeting": meeting, "stage": stage, "kind": kind},
            "bodies": bodies,
            "meetings": meetings,
            "stages": Stage.choices,
            "kinds": Kind.choices,
            "errors": errors,
            "page": page,
            "rows": [(d, d.title_in(lang)) for d in page] if page else [],
            "query": query.urlencode(),
        },
        status=422 if errors else 200,
    )
