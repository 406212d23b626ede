"""The "waiting for me" page, the notification list and each user's notification settings.
Each view is access -> selector or service -> render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concord.common.errors import DomainError
from concord.inbox import present, selectors, services
from concord.inbox.models import Channel, Kind


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    notes = list(selectors.notifications_of(user))
    return render(
        request,
        "inbox/me.html",
        {
            "waiting": selectors.waiting_for(user),
            "notes": [(n, present.describe(n), present.link(n)) for n in notes],
            "unread": sum(1 for n in notes if n.read_at is None),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    done = services.notifications_mark_read(actor=user)
    if done:
        messages.success(request, _("Notifications marked as read."))
    return redirect("inbox:me")


@login_required
@require_http_methods(["GET", "POST"])
def inbox_settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = getattr(user, "inbox_settings", None)
    errors: dict[str, str] = {}
    chosen = {k: services.channel_of(current, k) for k in Kind.values}
    language = current.language if current else (get_language() or "")
    if request.method == "POST":
        chosen = {k: request.POST.get(f"channel-{k}", chosen[k]) for k in Kind.values}
        language = request.POST.get("language", "")
        try:
            services.inbox_settings_set(actor=user, channels=chosen, language=language)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.detail
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("inbox:settings")
    rows = [(kind, label, chosen[kind], errors.get(kind)) for kind, label in Kind.choices]
    return render(
        request,
        "inbox/settings.html",
        {
            "rows": rows,
            "channels": Channel.choices,
            "language": language,
            "site_languages": settings.LANGUAGES,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
