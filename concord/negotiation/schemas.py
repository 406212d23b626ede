"""API input and output shapes for negotiation (the contract of issue 3, section 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import TextChoices
from ninja import Field, Schema
from pydantic import AfterValidator

from concord.common.jsontypes import (
    JsonDate,
    JsonDateTime,
    NonBlank,
    ObjectIn,
    StrictBool,
    StrictInt,
    StrictStr,
    TextMapRules,
)
from concord.negotiation import symbols
from concord.negotiation.models import (
    AmendmentOp,
    Classification,
    Document,
    Kind,
    ProvisionKind,
    Stand,
)
from concord.organization.schemas import MeetingOut as OrgMeetingOut

#: The longest symbol a document takes (its column).
SYMBOL_MAX = Document._meta.get_field("symbol").max_length

#: A text per language of the document (which languages is the document's, checked by the
#: service): at least one, each non-blank.
AnyLanguageTextMap = Annotated[dict[StrictStr, StrictStr], TextMapRules(languages=None)]
#: The same, possibly empty (an amendment that deletes carries none).
OptionalAnyLanguageTextMap = Annotated[
    dict[StrictStr, StrictStr], TextMapRules(languages=None, required=False)
]


def one_of(choices: type[TextChoices], default: Any = ..., *extra: str) -> Any:
    """A string field whose allowed values the schema lists for clients. The service checks
    it (negotiation/services/ keeps every rule, with a translated message), so the API
    answers a wrong value the same way whichever way it arrives."""
    return Field(default, json_schema_extra={"enum": [*extra, *choices.values]})


class MeetingIn(Schema):
    body: StrictStr
    start: JsonDate
    end: JsonDate
    city: StrictStr = ""
    host: StrictStr | None = None
    title: StrictStr = ""


class AgendaIn(ObjectIn):
    documents: list[StrictInt] = Field(default_factory=list, max_length=500)


class AgendaOut(Schema):
    meeting: int
    documents: list[int]


# One meeting shape for every operation: the organization app's (creating a meeting answers
# the same fields that listing them does).
MeetingOut = OrgMeetingOut


def _symbol(value: str) -> str:
    """The symbol pattern, checked here as the schema states it (the service checks it too,
    for the pages)."""
    from django.utils.translation import gettext as _

    if not symbols.is_valid(value):
        raise ValueError(
            _("%(symbol)s does not follow the symbol pattern (e.g. SCO/CHS/2024/DEC.1).")
            % {"symbol": value[:200]}
        )
    return value


def _symbol_schema(schema: dict[str, Any]) -> None:
    schema["pattern"] = f"^{symbols.pattern()}$"


class DocumentIn(Schema):
    symbol: Annotated[StrictStr, AfterValidator(_symbol)] = Field(
        max_length=SYMBOL_MAX, json_schema_extra=_symbol_schema
    )
    kind: StrictStr = one_of(Kind)
    title: AnyLanguageTextMap
    body: StrictStr
    meeting: StrictInt | None = None
    sponsors: list[StrictStr] = Field(default_factory=list)
    classification: StrictStr = one_of(Classification, Classification.RESTRICTED.value)
    languages: list[StrictStr] = Field(default_factory=list)
    penholder: StrictStr | None = None
    shared_with_partners: StrictBool = False


class BracketIn(Schema):
    span: tuple[StrictInt, StrictInt]
    held_by: list[StrictStr]
    lang: StrictStr = ""


class ProvisionIn(Schema):
    key: Annotated[StrictStr, NonBlank(60)]  # the service's 1 to 60 characters
    kind: StrictStr = one_of(ProvisionKind, ProvisionKind.OPERATIVE.value)
    texts: AnyLanguageTextMap
    brackets: list[BracketIn] = Field(default_factory=list)
    parent: StrictStr = ""


class VersionIn(ObjectIn):
    """The full text (``provisions``) or the accepted amendments to apply
    (``from_amendments``): exactly one of the two, which the schema leaves unsaid (a
    ``oneOf`` makes a generated client lose ``VersionIn``; schemathesis.toml allows its 422)."""

    provisions: list[ProvisionIn] | None = Field(None, min_length=1)
    from_amendments: list[StrictInt] | None = Field(None, min_length=1)
    note: StrictStr = ""
    revision: StrictInt | None = None


class AmendmentIn(Schema):
    version: StrictInt
    provision: StrictStr
    op: StrictStr = one_of(AmendmentOp)
    texts: OptionalAnyLanguageTextMap | None = None
    reason: Annotated[StrictStr, NonBlank()]
    # The kind of an inserted provision; "" for an operative paragraph.
    kind: StrictStr = one_of(ProvisionKind, "", "")
    after: StrictStr = ""
    revision: StrictInt | None = None


class PositionIn(Schema):
    stand: StrictStr = one_of(Stand)
    text: StrictStr = ""
    provisions: list[StrictStr] = Field(default_factory=list)
    revision: StrictInt | None = None


class SilenceOpenIn(Schema):
    deadline: JsonDateTime
    revision: StrictInt | None = None


class SilenceBreakIn(ObjectIn):
    reason: StrictStr = ""


class AdoptIn(Schema):
    meeting: StrictInt
    revision: StrictInt | None = None


class WithdrawIn(Schema):
    reason: Annotated[StrictStr, NonBlank()]
    revision: StrictInt | None = None


class ExplanationIn(Schema):
    text: Annotated[StrictStr, NonBlank()]


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


# --- outputs: one schema per object, named as clients will see them ------------------------


class DocumentOut(Schema):
    id: int
    symbol: str
    kind: str
    title: dict[str, str]
    body: str
    meeting: int | None
    penholder: str | None
    classification: str
    shared_with_partners: bool
    languages: list[str]
    stage: str
    revision: int
    illustrative: bool


class SponsorshipOut(Schema):
    state: str
    joined_at: datetime
    left_at: datetime | None = None


class VersionSummaryOut(Schema):
    number: int
    symbol: str
    note: str
    created_at: datetime


class StandOut(Schema):
    """A state's current position on the latest version."""

    stand: str
    text: str
    provisions: list[str]
    status: str
    at: datetime


class AdoptionSummaryOut(Schema):
    version: int
    meeting: int
    on: date
    audit_head: str


class DocumentDetailOut(DocumentOut):
    sponsors: list[str]
    sponsor_history: list[SponsorshipOut]
    versions: list[VersionSummaryOut]
    current_version: int | None
    positions: dict[str, StandOut]
    adoption: AdoptionSummaryOut | None


class BracketOut(Schema):
    lang: str
    span: list[int]
    held_by: list[str]


class ProvisionOut(Schema):
    key: str
    kind: str
    order: int
    parent: str | None
    texts: dict[str, str]
    stale: list[str]
    brackets: list[BracketOut]


class VersionOut(VersionSummaryOut):
    document: int
    provisions: list[ProvisionOut]
    bracketed: list[str]


class WordOut(Schema):
    op: str
    text: str


class ProvisionChangeOut(Schema):
    key: str
    change: str
    old: str | None
    new: str | None
    words: list[WordOut]


class DiffOut(Schema):
    from_: int = Field(..., alias="from")
    to: int
    lang: str
    provisions: list[ProvisionChangeOut]


class TranslationOut(Schema):
    key: str
    lang: str
    stale: bool
    verified_at: datetime | None


class AmendmentOut(Schema):
    id: int
    document: int
    version: int
    provision: str
    op: str
    texts: dict[str, str] | None
    reason: str
    state: str
    status: str
    applied_in: int | None


class PositionOut(Schema):
    state: str
    version: int
    stand: str
    text: str
    provisions: list[str]
    status: str
    at: datetime


class SilenceOut(Schema):
    id: int
    version: int
    opened_at: datetime
    deadline: datetime
    outcome: str
    broken_by: str | None
    reason: str
    minimum_hours: int


class AdoptionOut(Schema):
    document: int
    version: int
    symbol: str
    meeting: int
    on: date
    at: datetime
    audit_head: str


class ExplanationOut(Schema):
    id: int
    state: str
    text: str
    at: datetime
