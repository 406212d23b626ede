"""The one NinjaAPI: every app's router, and errors as application/problem+json."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from concord.accounts.api import router as accounts_router
from concord.common.api import (
    declare_input_limits,
    document_problems,
    problem,
    problem_response,
    reject_unstorable_text,
)
from concord.common.errors import DomainError
from concord.consultation.api import router as consultation_router
from concord.implementation.api import router as implementation_router
from concord.negotiation.api import router as negotiation_router
from concord.organization.api import router as organization_router


class ConcordAPI(NinjaAPI):
    """NinjaAPI whose schema also declares the problem+json every operation may answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_problems(schema)
        declare_input_limits(schema)
        return schema


api = ConcordAPI(
    title="Concord API",
    version="1",
    description="Negotiate and adopt documents, consult the public, track implementation.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_decorator(reject_unstorable_text)

# Negotiation first: it adds POST /orgs/{org}/meetings beside organization's GET on the same
# path, and Django routes a path to the first router that declares it.
api.add_router("", negotiation_router)
api.add_router("", accounts_router)
api.add_router("", organization_router)
api.add_router("", consultation_router)
api.add_router("", implementation_router)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(exc)


def _field(loc: Any) -> str:
    """A validation error's field as the client wrote it. ninja's location starts with where
    the value came from, and for a JSON body also the handler's parameter name; neither is
    part of what the client sent (and a body may well have a field called "body")."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        return ".".join(parts[2:]) or "body"
    if parts[:1] in (["query"], ["path"], ["header"], ["cookie"], ["form"], ["file"]):
        return ".".join(parts[1:])
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(e.get("loc", [])), "message": str(e.get("msg", ""))} for e in exc.errors
    ]
    fields = ", ".join(e["field"] for e in errors if e["field"]) or "input"
    return problem(
        422,
        "invalid_input",
        _("Invalid value for %(fields)s.") % {"fields": fields},
        errors=errors,
        field=errors[0]["field"] if errors else "input",
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, "not_authenticated", _("Sign in or send a valid API token."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "not_found", _("Not found."))
