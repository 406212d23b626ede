"""Site-wide error pages: an unknown URL answers a plain page, or problem+json under /api/.

Never Django's technical 404 (that one lists every URL pattern): with DEBUG off, Django
calls ``handler404`` (set in ``config/urls.py``) for every unresolved path.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from concord.common.api import problem


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return problem(404, "not_found", _("Not found."))
    return render(request, "404.html", status=404)
