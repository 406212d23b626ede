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
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool, StrictFloat, StrictInt, StrictStr

__all__ = ["JsonDate", "JsonDateTime", "StrictBool", "StrictFloat", "StrictInt", "StrictStr"]

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


#: A ``date`` given as the string ``YYYY-MM-DD`` (format ``date``), nothing else.
JsonDate = Annotated[date, BeforeValidator(_date_string)]
#: A ``datetime`` given as an RFC 3339 string with its offset (format ``date-time``).
JsonDateTime = Annotated[datetime, BeforeValidator(_date_time_string)]
