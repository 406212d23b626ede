"""Input types that take a value only in the JSON type (and format) the OpenAPI schema
states for it.

Pydantic's lax mode coerces: ``"5"`` for an integer, ``1`` for a string, ``1672531200`` or
``"1672531200"`` for a date. A request the schema forbids must not be accepted
(schemathesis's ``negative_data_rejection``), so API input schemas use these instead of the
bare Python types. Dates and times stay strings in JSON, hence a format check rather than
pydantic's strict mode (which wants a Python ``date`` object).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, Strict, StrictBool, StrictFloat, StrictStr, model_validator
from pydantic_core import core_schema

__all__ = [
    "HttpLink",
    "JsonDate",
    "JsonDateTime",
    "NonBlank",
    "NonBlankStr",
    "ObjectIn",
    "OptionalTextMap",
    "StrictBool",
    "StrictFloat",
    "StrictInt",
    "StrictStr",
    "TextMap",
    "TextMapRules",
]

# RFC 3339 full-date and date-time, the OpenAPI ``date`` and ``date-time`` formats.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _date_string(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        return value
    raise ValueError("a date written YYYY-MM-DD")


def _date_time_string(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        return value
    raise ValueError("a date and time written YYYY-MM-DDTHH:MM:SS with a UTC offset")


def _json_integer(value: Any) -> Any:
    # JSON Schema's "integer" is any number with a zero fractional part: 5.0 is one.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: An integer as JSON Schema has it: ``5`` or ``5.0``, never ``"5"``, ``5.5`` or ``true``.
StrictInt = Annotated[int, BeforeValidator(_json_integer), Strict()]
#: A ``date`` given as the string ``YYYY-MM-DD`` (format ``date``), nothing else.
JsonDate = Annotated[date, BeforeValidator(_date_string)]
#: A ``datetime`` given as an RFC 3339 string with its offset (format ``date-time``).
JsonDateTime = Annotated[datetime, BeforeValidator(_date_time_string)]


# --- Text maps: a text per language -------------------------------------------------------

# What the storable-text pattern refuses (concord.common.api.STORABLE_PATTERN), as a class body.
_CONTROL = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff"
# The characters ``str.strip()`` removes (``str.isspace()``) that are storable, spelled out
# rather than ``\s``, whose meaning differs between Python's and ECMAScript's regexes.
_BLANK = "".join(
    f"\\u{c:04x}"
    for c in range(0x10000)
    if chr(c).isspace() and not re.fullmatch(f"[{_CONTROL}]", chr(c))
)
#: A storable text that is not blank (has a character ``str.strip()`` keeps).
NON_BLANK_PATTERN = f"^[^{_CONTROL}]*[^{_CONTROL}{_BLANK}][^{_CONTROL}]*$"
#: The languages a text map of the implementation tracking holds.
TEXT_LANGUAGES = ("en", "ru", "zh")


def _check_text(value: str, max_length: int) -> str:
    from django.utils.translation import gettext as _

    if not value.strip():
        raise ValueError(_("The text is blank: leave the language out instead."))
    if len(value) > max_length:
        raise ValueError(_("The text is longer than %(limit)s characters.") % {"limit": max_length})
    return value


def _text_schema(max_length: int) -> dict[str, Any]:
    return {"type": "string", "pattern": NON_BLANK_PATTERN, "maxLength": max_length}


@dataclass(frozen=True)
class NonBlank:
    """``Annotated[StrictStr, NonBlank(n)]``: a string with a character ``str.strip()`` keeps,
    at most ``n`` long; the schema states both (a non-blank pattern and ``maxLength``).
    ``allow_empty``: "" is also taken (an optional text that may be sent empty)."""

    max_length: int = 100_000
    allow_empty: bool = False

    def check(self, value: str) -> str:
        if self.allow_empty and value == "":
            return value
        return _check_text(value, self.max_length)

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        text = _text_schema(self.max_length)
        if self.allow_empty:
            text["pattern"] = f"(?:^$)|(?:{NON_BLANK_PATTERN})"
        return text


@dataclass(frozen=True)
class TextMapRules:
    """``Annotated[dict[StrictStr, StrictStr], TextMapRules(...)]``: a text per language,
    ``{"en": "...", "ru": "..."}``, every text non-blank and at most ``max_length``
    characters; ``required``: at least one language. ``languages``: the only keys allowed
    (None: any language code, a letter then 1 to 9 letters, digits or hyphens).

    The schema states every rule (``minProperties``, the keys, the value pattern and length),
    so a request it allows is not refused for a reason it hides, and one it forbids is refused
    here (422 naming the field) before any service runs."""

    max_length: int = 100_000
    languages: tuple[str, ...] | None = TEXT_LANGUAGES
    required: bool = True

    def check(self, value: dict[str, str]) -> dict[str, str]:
        from django.utils.translation import gettext as _

        if self.required and not value:
            raise ValueError(_("Give the text in at least one language."))
        for key, text in value.items():
            if self.languages is not None and key not in self.languages:
                raise ValueError(
                    _("Texts are given in %(allowed)s, not %(languages)s.")
                    % {"allowed": ", ".join(self.languages), "languages": key[:20]}
                )
            if self.languages is None and not _LANGUAGE_CODE.fullmatch(key):
                raise ValueError(_("%(value)s is not a language code.") % {"value": key[:20]})
            _check_text(text, self.max_length)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if self.required:
            out["minProperties"] = 1
        if self.languages is not None:
            out["properties"] = {lang: _text_schema(self.max_length) for lang in self.languages}
            out["additionalProperties"] = False
        else:
            out["propertyNames"] = {"pattern": f"^{_LANGUAGE_CODE.pattern}$"}
            out["additionalProperties"] = _text_schema(self.max_length)
        return out


#: A text in each of en, ru and zh, at least one.
TextMap = Annotated[dict[StrictStr, StrictStr], TextMapRules()]
#: The same, possibly empty (an optional text).
OptionalTextMap = Annotated[dict[StrictStr, StrictStr], TextMapRules(required=False)]
#: A non-blank text.
NonBlankStr = Annotated[StrictStr, NonBlank()]


# --- Links ------------------------------------------------------------------------------------

# An http or https link with a host: the scheme (any case, as ``urlsplit`` reads it), ``//``,
# a host and port in RFC 3986's ASCII characters (no user info, no IPv6 brackets: nothing
# ``urlsplit`` could refuse or misread), then any path, query or fragment without controls
# or spaces. Written for both Python's and ECMAScript's regexes (no ``\s``, no ``\w``).
_LINK_TAIL = "[^\\u0000-\\u0020\\u007f-\\u009f\\ufffe\\uffff]"
HTTP_LINK_PATTERN = (
    f"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~%!$&'()*+,;=:-]+(?:[/?#]{_LINK_TAIL}*)?$"
)
_HTTP_LINK = re.compile(HTTP_LINK_PATTERN)


@dataclass(frozen=True)
class HttpLinkRule:
    """``Annotated[StrictStr, HttpLinkRule()]``: an http or https link (evidence), as
    ``HTTP_LINK_PATTERN`` states it in the schema, at most ``max_length`` characters."""

    max_length: int = 2000

    def check(self, value: str) -> str:
        from django.utils.translation import gettext as _

        if len(value) > self.max_length or not _HTTP_LINK.fullmatch(value):
            raise ValueError(
                _("An http or https link (https://host/...) of at most %(limit)s characters.")
                % {"limit": self.max_length}
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "pattern": HTTP_LINK_PATTERN, "maxLength": self.max_length}


#: An http or https link.
HttpLink = Annotated[StrictStr, HttpLinkRule()]


#: A language code as consultations take them (2 to 10 letters, digits or hyphens).
_LANGUAGE_CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,9}")


class ObjectIn(Schema):
    """An input body that is a JSON object, as its schema says. ninja's ``Schema`` reads its
    fields off any value (a list, null, a number): for a schema whose fields all have a
    default, a body ``[null, null]`` would be taken as ``{}``. Input schemas with no required
    field derive from this one."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        from django.utils.translation import gettext as _

        # ninja's own validator has wrapped the value already (its getter keeps it as _obj).
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, dict):
            raise ValueError(_("The body is a JSON object."))
        return value
