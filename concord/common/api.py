"""Shared API helpers: problem+json responses and query-parameter parsing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from concord.common.errors import DomainError, InvalidInput

PROBLEM = "application/problem+json"


def problem_response(error: DomainError) -> HttpResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)


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
