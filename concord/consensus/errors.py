"""Broken-rule errors of the pure domain package.

They carry a stable ``code`` and named ``params`` but no translated text: this package imports
no Django, so the web layer maps ``code`` to a translated message (``common/errors.py``) and
fills its placeholders from ``params``. The English message is for logs and tracebacks only.
"""

from __future__ import annotations

from typing import ClassVar


class RuleError(ValueError):
    """A domain rule refused an input. Subclasses set ``code``."""

    code: ClassVar[str] = "rule_broken"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, object] = params
