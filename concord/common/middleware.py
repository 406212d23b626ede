"""Middleware of Concord's own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from concord.common.api import PROBLEM, problem


class ApiLanguageMiddleware:
    """The API answers in the language the request asks for (Accept-Language, or the
    language cookie a browser set on the pages): problem details, names, labels.

    Pages take their language from the URL prefix (``i18n_patterns``: /ru/.., /zh-hans/..),
    which makes LocaleMiddleware pick the default language for every unprefixed path,
    /api/v1 included; a delegation's system has no prefix to send. Placed right after
    LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not send by itself, on every response: Permissions-Policy
    (``CONCORD_PERMISSIONS_POLICY``). Content-Security-Policy comes from django-csp; frame
    denial, Referrer-Policy and nosniff from Django's SecurityMiddleware and
    XFrameOptionsMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONCORD_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class BodySizeLimitMiddleware:
    """Refuse a request body over ``CONCORD_MAX_BODY_BYTES`` with 413 problem+json before
    anything reads it (Django's own limit answers 400, and only for form data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "CONCORD_MAX_BODY_BYTES", 1_048_576))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            from concord.common.api import problem

            return problem(
                413,
                "payload_too_large",
                gettext("The request body is larger than %(limit)s bytes.") % {"limit": limit},
            )
        return self.get_response(request)


class ApiProblemMiddleware:
    """Under /api/ a method the path does not take answers problem+json like every other
    API error. django-ninja returns a bare text 405 itself rather than raising, so no
    exception handler of the API sees it. (Unknown paths under /api/ are answered by
    ``config.errors.page_not_found``.) Placed after ApiLanguageMiddleware, so the detail
    speaks the request's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path_info.startswith("/api/")
            and response.get("Content-Type", "") != PROBLEM
        ):
            allowed = sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip())
            problem_405 = problem(
                405,
                "method_not_allowed",
                _("%(method)s is not allowed here; allowed: %(allowed)s.")
                % {"method": request.method, "allowed": ", ".join(allowed) or "-"},
                allowed=allowed,
            )
            problem_405["Allow"] = ", ".join(allowed)
            return problem_405
        return response
