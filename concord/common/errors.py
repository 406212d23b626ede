"""The one tree of domain errors.

Services raise these; the API turns them into ``application/problem+json`` and the HTML
layer into a message. Each error has a stable ``code`` (part of the API contract), an HTTP
status and a translatable message with named placeholders.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 400
    message: ClassVar[Any] = _("The request breaks a rule.")

    def __init__(self, message: Any = None, *, field: str | None = None, **params: Any) -> None:
        self.field = field
        self.params = params
        if message is not None:
            self.message = message  # type: ignore[misc]
        super().__init__(str(self.detail))

    @property
    def detail(self) -> str:
        text = str(self.message)
        values = {"field": self.field or "input", **self.params}
        try:
            return text % values if "%(" in text else text
        except (KeyError, TypeError, ValueError):
            return text

    def as_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://concord.invalid/problems/{self.code}",
            "title": self.code.replace("_", " "),
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.field:
            problem["field"] = self.field
        extra = {k: v for k, v in self.params.items() if isinstance(v, str | int | list | bool)}
        if extra:
            problem["params"] = extra
        return problem


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = _("The value of %(field)s is not valid.")


class NotFound(DomainError):
    """Also what a caller sees for an object it may not see: forbidden reads as missing."""

    code = "not_found"
    status = 404
    message = _("Not found.")


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403
    message = _("You may not do this.")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    message = _("Sign in or send a valid API token.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = _("The object changed meanwhile or is in a state that does not allow this.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = _("Too many requests; try again in a moment.")
