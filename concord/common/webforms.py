"""Page forms that call a service: the HTML twin of the API's problem+json.

``perform`` runs one service call for a bound, valid Django form. A refusal (the same
``DomainError`` the API turns into problem+json) becomes a form error beside the field it
names, or at the top of the form when it names none, in the page's language; the service's
transaction has rolled back, so the database is unchanged. On success it adds a flash
message (shown once, after the redirect: POST-redirect-GET is the caller's ``redirect``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext

from concord.common.errors import DomainError

T = TypeVar("T")

_MISSING = object()


def refusal_text(exc: DomainError) -> str:
    """The refusal's detail in the active language (plain-string messages are looked up in
    the catalogue too, so a refusal never shows in English on a Russian page when a
    translation exists)."""
    message = exc.message
    text = gettext(message) if isinstance(message, str) else str(message)
    values = {"field": exc.field or "input", **exc.params}
    try:
        return text % values if "%(" in text else text
    except (KeyError, TypeError, ValueError):
        return exc.detail


def field_for(
    form: forms.Form, name: str | None, fields: dict[str, str] | None = None
) -> str | None:
    """The form field a service's ``field`` names: an explicit mapping first, then the same
    name, then its first part ("provisions.0.texts" -> "provisions"); None for the top."""
    if not name:
        return None
    if fields and name in fields:
        return fields[name]
    if name in form.fields:
        return name
    head = name.split(".", 1)[0]
    if fields and head in fields:
        return fields[head]
    return head if head in form.fields else None


def perform(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    fields: dict[str, str] | Callable[[str], str | None] | None = None,
) -> T | None:
    """Run ``act`` (one service call) if ``form`` is valid; return its result, or None when
    the form is invalid or the service refused (the refusal is then on the form)."""
    if not form.is_valid():
        return None
    try:
        result = act()
    except DomainError as exc:
        if callable(fields):
            target = fields(exc.field or "") if exc.field else None
            if target is not None and target not in form.fields:
                target = None
        else:
            target = field_for(form, exc.field, fields)
        form.add_error(target, refusal_text(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
