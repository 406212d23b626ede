"""Shared API helpers: problem+json responses and query-parameter parsing."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from concord.common.errors import DomainError, InvalidInput

PROBLEM = "application/problem+json"

# NUL, which PostgreSQL cannot store in text or JSON; unpaired surrogates, which are not
# Unicode text at all (a JSON body may spell them as "\ud800"; UTF-8 cannot encode them);
# the other C0 and C1 control characters but tab, line feed and carriage return, and the
# noncharacters U+FFFE/U+FFFF, none of which XML 1.0 (Akoma Ntoso) may carry, so a text
# holding one could be adopted and then never published.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Every integer Concord keeps is a signed 64-bit column at most (BigAutoField ids): a larger
# one overflows in the database driver instead of simply matching nothing.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Pagination parameters only slice a list (an offset past the end is an empty page).
_NOT_STORED = frozenset({"offset", "limit"})
#: The longest path or query parameter: every one names something short (a slug, a code, a
#: language, a date), and a URL must stay within what servers and proxies accept (a dev
#: server answers a 64 KiB request line with a bare 414, not a problem).
PARAM_MAX_CHARS = 200


def problem_response(error: DomainError) -> HttpResponse:
    response = JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)
    if error.status == 429:
        # Every 429 says when to come back (RFC 9110), the window's end when known.
        response["Retry-After"] = str(int(error.params.get("retry_after") or 60))
    return _challenge(response)


def _challenge(response: HttpResponse) -> HttpResponse:
    """Every 401 names the scheme to authenticate with (RFC 9110, RFC 6750)."""
    if response.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="concord"'
    return response


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


#: What ``reject_unstorable_text`` lets through, as a JSON-schema pattern for clients.
STORABLE_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff]*$"


def _declare_storable(schema: dict[str, Any], max_length: int | None = None) -> None:
    """A free string (no pattern, enum or format) gets the pattern and length the server
    enforces on every input, so a request the schema allows is not refused for a reason it
    hides. ``max_length``: the parameter limit, for path and query parameters."""
    if schema.get("type") == "string" and not ({"enum", "format", "const"} & set(schema)):
        if "pattern" not in schema:
            schema["pattern"] = STORABLE_PATTERN
        if max_length is not None:
            schema["maxLength"] = min(schema.get("maxLength", max_length), max_length)
        else:
            schema.setdefault("maxLength", getattr(settings, "CONCORD_MAX_TEXT_CHARS", 100_000))
    if schema.get("type") == "integer":
        # Every integer Concord keeps is a signed 64-bit column (reject_unstorable_text).
        schema.setdefault("minimum", _INT_MIN)
        schema.setdefault("maximum", _INT_MAX)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _declare_storable(sub, max_length)
    if isinstance(schema.get("items"), dict):
        _declare_storable(schema["items"])
    for sub in schema.get("prefixItems", []):  # a tuple, e.g. a bracket's span
        _declare_storable(sub)
    if isinstance(schema.get("additionalProperties"), dict):
        _declare_storable(schema["additionalProperties"])
    for sub in schema.get("properties", {}).values():
        _declare_storable(sub)


def declare_input_limits(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the storable-text pattern on every path, query and header parameter and on
    every input schema (``...In``) of an OpenAPI ``schema``."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("path", "query") and "schema" in parameter:
                    # A pagination parameter only slices a list: no 64-bit bound of its own.
                    if parameter.get("name") in _NOT_STORED:
                        continue
                    _declare_storable(parameter["schema"], PARAM_MAX_CHARS)
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name.endswith("In"):
            _declare_storable(component)
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
    return _challenge(JsonResponse(body, status=status, content_type=PROBLEM))


def parse_date(value: str | None, *, field: str) -> date:
    """A YYYY-MM-DD query parameter; today (UTC) when absent."""
    if value in (None, ""):
        return timezone.now().date()
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("%(field)s must be a date written YYYY-MM-DD, not %(value)r."),
            field=field,
            value=value,
        ) from None


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer's, unless the peer is one of the configured trusted
    proxies (``CONCORD_TRUSTED_PROXIES``), in which case the nearest address in
    X-Forwarded-For that is not itself a trusted proxy. A header sent by anyone else is
    ignored: a client cannot pick the address its limits are counted on."""
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = set(getattr(settings, "CONCORD_TRUSTED_PROXIES", ()))
    if peer not in trusted:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if hop not in trusted:
            return hop
    return peer


def axes_client_ip(request: HttpRequest) -> str | None:
    """``client_ip`` for django-axes, which stores it in an address column: None when the
    request has no address (a test client's ``force_login`` builds such a request), since
    PostgreSQL refuses anything but an address there."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def unstorable(text: str) -> bool:
    """Whether ``text`` holds a character Concord refuses at input (see ``_UNSTORABLE``)."""
    return _UNSTORABLE.search(text) is not None


def _unstorable_field(value: Any, field: str) -> str | None:
    """The dotted name of the first string in ``value`` that holds an unstorable character,
    or of the first integer outside the signed 64-bit range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if _INT_MIN <= value <= _INT_MAX else field
    if isinstance(value, str):
        too_long = len(value) > getattr(settings, "CONCORD_MAX_TEXT_CHARS", 100_000)
        return field if too_long or _UNSTORABLE.search(value) else None
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
    """Turn away validated input whose text holds a control character (NUL included) or an
    unpaired surrogate, or whose integer does not fit 64 bits (422).

    Registered on the one NinjaAPI for every operation, after ninja has parsed path, query and
    body: such input would otherwise fail deep in the database, the audit digest or an export
    of the adopted text as a 500.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            if name in _NOT_STORED:
                continue
            # A body schema's fields are named on their own, as in ninja's validation errors.
            field = _unstorable_field(value, "" if isinstance(value, BaseModel) else name)
            # A bare string is a path or query parameter (bodies arrive as schemas).
            if isinstance(value, str) and len(value) > PARAM_MAX_CHARS:
                field = name
            if field:
                raise InvalidInput(
                    _(
                        "%(field)s is too long, contains a control character or an unpaired "
                        "surrogate, or is a number too large to store."
                    ),
                    field=field,
                )
        return view(request, *args, **kwargs)

    return wrapper
