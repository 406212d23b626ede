"""API input and output shapes for negotiation (the contract of issue 3, section 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import TextChoices
from ninja import Field, Schema

from concord.negotiation.models import AmendmentOp, Classification, Kind, ProvisionKind, Stand


def one_of(choices: type[TextChoices], default: Any = ..., *extra: str) -> Any:
    """A string field whose allowed values the schema lists for clients. The service checks
    it (negotiation/services/ keeps every rule, with a translated message), so the API
    answers a wrong value the same way whichever way it arrives."""
    return Field(default, json_schema_extra={"enum": [*extra, *choices.values]})


class MeetingIn(Schema):
    body: str
    start: date
    end: date
    city: str = ""
    host: str | None = None
    title: str = ""


class AgendaIn(Schema):
    documents: list[int] = Field(default_factory=list, max_length=500)


class AgendaOut(Schema):
    meeting: int
    documents: list[int]


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
    kind: str = one_of(Kind)
    title: dict[str, str]
    body: str
    meeting: int | None = None
    sponsors: list[str] = Field(default_factory=list)
    classification: str = one_of(Classification, Classification.RESTRICTED.value)
    languages: list[str] = Field(default_factory=list)
    penholder: str | None = None
    shared_with_partners: bool = False


class BracketIn(Schema):
    span: tuple[int, int]
    held_by: list[str]
    lang: str = ""


class ProvisionIn(Schema):
    key: str
    kind: str = one_of(ProvisionKind, ProvisionKind.OPERATIVE.value)
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
    op: str = one_of(AmendmentOp)
    texts: dict[str, str] | None = None
    reason: str = ""
    # The kind of an inserted provision; "" for an operative paragraph.
    kind: str = one_of(ProvisionKind, "", "")
    after: str = ""
    revision: int | None = None


class PositionIn(Schema):
    stand: str = one_of(Stand)
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
