"""Pages: home, an organization with its membership timeline, a state."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from concord.common.errors import NotFound
from concord.organization import selectors
from concord.organization.charts import timeline_chart
from concord.organization.models import Membership, Organization, State


def _org_or_404(slug: str) -> Organization:
    try:
        return selectors.organization_get(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def home(request: HttpRequest) -> HttpResponse:
    """Each organization with its members today, the latest documents the visitor may read
    and its consultations: what a newcomer should see first."""
    from concord.consultation.selectors import consultation_list
    from concord.negotiation.selectors import document_list

    today = timezone.now().date()
    lang = get_language()
    consultations_by_org: dict[int, list[object]] = {}
    for consultation in consultation_list().order_by("-created_at")[:20]:
        consultations_by_org.setdefault(consultation.organization_id, []).append(consultation)
    cards = [
        {
            "org": org,
            "name": org.name_in(lang),
            "members": selectors.memberships_on(org, today, "member").count(),
            "documents": list(document_list(request.user, org)[:6]),
            "consultations": consultations_by_org.get(org.pk, [])[:4],
        }
        for org in selectors.organization_list()
    ]
    return render(request, "organization/home.html", {"cards": cards})


def organization_detail(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org_or_404(org)
    lang = get_language()
    today = timezone.now().date()
    history = list(selectors.membership_history(organization))
    current = [m for m in history if m.start <= today and (m.end is None or m.end > today)]
    context = {
        "org": organization,
        "org_name": organization.name_in(lang),
        "chart": timeline_chart(history, lang=lang, today=today),
        "current": sorted(current, key=lambda m: (m.status != "member", m.state.name_in(lang))),
        "chairmanships": list(selectors.chairmanship_list(organization)),
        "summits": list(selectors.meeting_list(organization).filter(body__slug="chs")),
        "bodies": list(selectors.body_list(organization)),
        "posts": list(selectors.post_list(organization)),
        "today": today,
    }
    return render(request, "organization/organization.html", context)


def state_detail(request: HttpRequest, org: str, iso3: str) -> HttpResponse:
    organization = _org_or_404(org)
    state = State.objects.filter(iso3=iso3.upper()).first()
    if state is None:
        raise Http404("no such state")
    lang = get_language()
    today = timezone.now().date()
    spans = list(
        Membership.objects.filter(organization=organization, state=state)
        .select_related("state")
        .order_by("start")
    )
    context = {
        "org": organization,
        "state": state,
        "state_name": state.name_in(lang),
        "spans": spans,
        "chairmanships": list(selectors.chairmanship_list(organization).filter(state=state)),
        "hosted": list(selectors.meeting_list(organization).filter(host=state)),
        "status_today": next((s for s in spans if s.as_span().covers(today)), None),
    }
    return render(request, "organization/state.html", context)
