"""Middleware of Concord's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
