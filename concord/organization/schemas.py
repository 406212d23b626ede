from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema


class OrganizationOut(Schema):
    slug: str
    name: str
    abbreviation: str
    names: dict[str, str]
    official_languages: list[str]
    founded: date | None
    headquarters: str
    decision_rule: str


class StateStatusOut(Schema):
    iso3: str
    name: str
    names: dict[str, str]
    status: str
    since: date
    until: date | None
    verification: str
    sources: list[str]


class SourcedOut(Schema):
    verification: str
    sources: list[str]


class BodyOut(SourcedOut):
    slug: str
    name: str
    abbreviations: list[str]
    role: str
    permanent: bool
    seat: str


class ChairmanshipOut(SourcedOut):
    term: str
    state: str
    state_name: str
    start: date
    end: date | None
    motto: str
    priorities: list[str]


class MeetingOut(SourcedOut):
    id: int
    body: str
    number: int | None
    title: str
    start: date
    end: date
    city: str
    host: str | None
    main_document: str
    documents: list[str]


class HoldingOut(SourcedOut):
    name: str
    state: str | None
    start: date
    end: date | None
    title_at_time: str


class PostOut(Schema):
    slug: str
    title: str
    holders: list[HoldingOut]


def meeting_json(m: Any) -> dict[str, Any]:
    """The one JSON shape of a meeting (``MeetingOut``), for every operation that answers one.
    ``m`` is a ``Meeting`` with its body and host selected."""
    return {
        "id": m.pk,
        "body": m.body.slug,
        "number": m.number,
        "title": m.title,
        "start": m.start,
        "end": m.end,
        "city": m.city,
        "host": m.host.iso3 if m.host else None,
        "main_document": m.main_document,
        "documents": m.documents,
        "verification": m.verification,
        "sources": m.sources,
    }
