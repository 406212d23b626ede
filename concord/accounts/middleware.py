"""Until a head of delegation or the secretariat has given the second factor, the session
reaches nothing but the second-factor pages and sign-out: every page, the admin included,
sends it to the code page (with where it was going), and the API sees no user at all (so
a session answers 401 there, while a bearer token still works)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from concord.accounts import access

#: URL names an unverified session may reach.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {"login", "logout", "accounts:second_factor", "accounts:enrol", "set_language"}
)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware (which tells whether the session is verified)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not access.requires_second_factor(user) or access.has_second_factor(user):
            return self.get_response(request)
        path = request.path_info
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        if path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            name = resolve(path).view_name
        except Resolver404:
            name = ""
        if name in OPEN_BEFORE_SECOND_FACTOR:
            return self.get_response(request)
        target = reverse("accounts:second_factor")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
