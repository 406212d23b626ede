"""Pages that show several feature apps together: the home page.

A feature app's own pages stay in that app; a page that reads two or more of them lives
here, at the top of the layers, so no feature app has to import another to draw it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from concord.consultation.models import Consultation
from concord.consultation.selectors import consultation_list
from concord.negotiation.selectors import document_list
from concord.organization import selectors
from concord.organization.models import MembershipStatus


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each organization with its members today, the latest documents the visitor may read
    and its consultations: what a newcomer should see first."""
    today = timezone.now().date()
    lang = get_language()
    consultations_by_org: dict[int, list[Consultation]] = {}
    for consultation in consultation_list().order_by("-created_at")[:20]:
        consultations_by_org.setdefault(consultation.organization_id, []).append(consultation)
    cards = [
        {
            "org": org,
            "name": org.name_in(lang),
            "members": selectors.memberships_on(org, today, MembershipStatus.MEMBER).count(),
            "documents": list(document_list(request.user, org)[:6]),
            "consultations": consultations_by_org.get(org.pk, [])[:4],
        }
        for org in selectors.organization_list()
    ]
    return render(request, "web/home.html", {"cards": cards})
