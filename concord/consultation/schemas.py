"""API shapes for consultations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field, StrictInt, StrictStr


class ConsultationIn(Schema):
    slug: StrictStr = Field(min_length=1, max_length=100)
    title: dict[str, StrictStr] | StrictStr
    description: dict[str, StrictStr] | StrictStr | None = None
    languages: list[StrictStr] = Field(default_factory=lambda: ["en"])
    moderation_mode: StrictStr = "post"
    initiative: StrictStr = ""


class ConsultationOut(Schema):
    slug: str
    organization: str
    title: dict[str, str]
    description: dict[str, str]
    languages: list[str]
    is_open: bool
    moderation_mode: str
    initiative: str
    source: dict[str, Any]
    created_at: datetime
    closed_at: datetime | None


class ParticipantOut(Schema):
    participant_token: str


class StatementIn(Schema):
    text: StrictStr
    lang: StrictStr = "en"


class StatementOut(Schema):
    id: int
    text: str
    lang: str
    moderation: str
    is_seed: bool
    created_at: datetime


class StatementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StatementOut]


class ModerationIn(Schema):
    reason: StrictStr = ""


class VoteIn(Schema):
    statement: StrictInt
    vote: StrictInt


class VoteOut(Schema):
    statement: int
    vote: int
    replaced: bool


class CitationIn(Schema):
    document: StrictInt
    provision: StrictStr = Field(min_length=1, max_length=100)


class CitationOut(Schema):
    id: int
    statement: int
    document: int
    provision: str
