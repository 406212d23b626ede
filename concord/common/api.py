"""Shared API helpers: problem+json responses and query-parameter parsing."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from concord.common.errors import DomainError, InvalidInput

PROBLEM = "application/problem+json"

# NUL, which PostgreSQL cannot store in text or JSON, and unpaired surrogates, which are not
# Unicode text at all (a JSON body may spell them as "\ud800"; UTF-8 cannot encode them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def problem_response(error: DomainError) -> HttpResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)


#: The body of every error response, as the OpenAPI schema documents it.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An error (RFC 9457 problem details). `detail` is in the language of the "
    "request (Accept-Language); `code` is stable and meant for programs.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "examples": ["invalid_input", "not_found", "conflict"]},
        "field": {"type": "string", "description": "The input at fault, when there is one."},
        "errors": {
            "type": "array",
            "description": "Every invalid input, when the request failed validation.",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "params": {"type": "object", "description": "The values the detail names."},
    },
    "additionalProperties": True,
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare on every operation of an OpenAPI ``schema`` that it may answer a 4xx
    problem+json: delegations generate clients from the schema, and a client that does not
    know an error's shape cannot show it."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    response = {
        "description": "A problem: invalid input (422), not signed in (401), not allowed "
        "(403), not found or not visible to the caller (404), a stale revision or a "
        "refused state change (409), too many requests (429).",
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # Status codes as the strings JSON makes of them anyway, beside "4XX".
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = {**responses, "4XX": responses.get("4XX", response)}
    return schema


def problem(status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    body = {
        "type": f"https://concord.invalid/problems/{code}",
        "title": code.replace("_", " "),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM)


def parse_date(value: str | None, *, field: str) -> date:
    """A YYYY-MM-DD query parameter; today (UTC) when absent."""
    if value in (None, ""):
        return timezone.now().date()
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            "%(field)s must be a date written YYYY-MM-DD, not %(value)r.", field=field, value=value
        ) from None


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _unstorable_field(value: Any, field: str) -> str | None:
    """The dotted name of the first string in ``value`` that holds an unstorable character."""
    if isinstance(value, str):
        return field if _UNSTORABLE.search(value) else None
    if isinstance(value, BaseModel):
        items: Any = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        name = f"{field}.{key}" if field else str(key)
        found = _unstorable_field(key, name) or _unstorable_field(item, name)
        if found:
            return found
    return None


def reject_unstorable_text(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn away validated input whose text holds NUL or an unpaired surrogate (422).

    Registered on the one NinjaAPI for every operation, after ninja has parsed path, query and
    body: such text would otherwise fail deep in the database or the audit digest as a 500.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            # A body schema's fields are named on their own, as in ninja's validation errors.
            field = _unstorable_field(value, "" if isinstance(value, BaseModel) else name)
            if field:
                raise InvalidInput(
                    _("%(field)s contains a NUL character or an unpaired surrogate."),
                    field=field,
                )
        return view(request, *args, **kwargs)

    return wrapper
