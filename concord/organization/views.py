"""Pages: home, an organization with its membership timeline, a state."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from concord.common.dbrouting import replica_reads
from concord.common.errors import NotFound
from concord.organization import selectors
from concord.organization.charts import timeline_chart
from concord.organization.models import Membership, MembershipStatus, Organization, State


def _org_or_404(slug: str) -> Organization:
    try:
        return selectors.organization_get(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@require_safe
@replica_reads
def organization_detail(request: HttpRequest, org: str) -> HttpResponse:
    organization = _org_or_404(org)
    lang = get_language()
    today = timezone.now().date()
    history = list(selectors.membership_history(organization))
    current = list(selectors.memberships_on(organization, today))
    context = {
        "org": organization,
        "org_name": organization.name_in(lang),
        "chart": timeline_chart(history, lang=lang, today=today),
        "current": sorted(
            current, key=lambda m: (m.status != MembershipStatus.MEMBER, m.state.name_in(lang))
        ),
        "chairmanships": list(selectors.chairmanship_list(organization)),
        "summits": list(selectors.summit_list(organization)),
        "bodies": list(selectors.body_list(organization)),
        "posts": list(selectors.post_list(organization)),
        "today": today,
    }
    return render(request, "organization/organization.html", context)


@require_safe
@replica_reads
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
