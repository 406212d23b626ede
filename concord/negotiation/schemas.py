"""API input and output shapes for negotiation (the contract of issue 3, section 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class MeetingIn(Schema):
    body: str
    start: date
    end: date
    city: str = ""
    host: str | None = None
    title: str = ""


class MeetingOut(Schema):
    id: int
    body: str
    start: date
    end: date
    city: str
    host: str | None
    title: str


class DocumentIn(Schema):
    symbol: str
    kind: str
    title: dict[str, str]
    body: str
    meeting: int | None = None
    sponsors: list[str] = Field(default_factory=list)
    classification: str = "restricted"
    languages: list[str] = Field(default_factory=list)
    penholder: str | None = None
    shared_with_partners: bool = False


class BracketIn(Schema):
    span: tuple[int, int]
    held_by: list[str]
    lang: str = ""


class ProvisionIn(Schema):
    key: str
    kind: str = "operative"
    texts: dict[str, str]
    brackets: list[BracketIn] = Field(default_factory=list)
    parent: str = ""


class VersionIn(Schema):
    provisions: list[ProvisionIn] | None = None
    from_amendments: list[int] | None = None
    note: str = ""
    revision: int | None = None


class AmendmentIn(Schema):
    version: int
    provision: str
    op: str
    texts: dict[str, str] | None = None
    reason: str = ""
    kind: str = ""
    after: str = ""
    revision: int | None = None


class PositionIn(Schema):
    stand: str
    text: str = ""
    provisions: list[str] = Field(default_factory=list)
    revision: int | None = None


class SilenceOpenIn(Schema):
    deadline: datetime
    revision: int | None = None


class SilenceBreakIn(Schema):
    reason: str = ""


class AdoptIn(Schema):
    meeting: int
    revision: int | None = None


class WithdrawIn(Schema):
    reason: str = ""
    revision: int | None = None


class ExplanationIn(Schema):
    text: str


class ConsensusOut(Schema):
    reached: bool
    blocking: list[str]
    pending: list[str]
    bracketed: list[str]
    explanation: str
    deemed: list[str] = Field(default_factory=list)
    on: date | None = None


class ReadinessOut(Schema):
    document: int
    symbol: str
    stage: str
    pending: list[str]
    objecting: list[str]
    bracketed: list[str]
    unverified_languages: list[str]
    version: int | None = None
    reached: bool = False


class AuditVerifyOut(Schema):
    ok: bool
    events: int
    head: str
    problem: str = ""


Json = dict[str, Any]
