"""API shapes of implementation tracking (the contract of issue 12)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.db.models import TextChoices
from ninja import Field, Schema

from concord.common.jsontypes import (
    HttpLink,
    JsonDate,
    NonBlank,
    NonBlankStr,
    OptionalTextMap,
    StrictFloat,
    StrictInt,
    StrictStr,
    TextMap,
)
from concord.implementation.models import (
    ActivityKind,
    ActivityStatus,
    CycleKind,
    Direction,
    ReportStatus,
    Role,
    Scope,
)


def one_of(choices: type[TextChoices], default: object = ...) -> object:
    """A string whose allowed values the schema lists; the service checks it."""
    return Field(default, json_schema_extra={"enum": list(choices.values)})


class AreaOut(Schema):
    slug: str
    names: dict[str, str]


class CommitmentIn(Schema):
    document: StrictInt
    provision: StrictStr | StrictInt
    texts: OptionalTextMap | None = None
    area: StrictStr
    lead_states: list[StrictStr] = Field(default_factory=list)
    bodies: list[StrictStr] = Field(default_factory=list)
    due: JsonDate | None = None
    external_id: StrictStr = ""


class CommitmentOut(Schema):
    id: int
    external_id: str
    document: int
    symbol: str
    provision: str
    texts: dict[str, str]
    area: str
    lead_states: list[str]
    bodies: list[str]
    bound: list[str]
    adopted_on: date
    due: date | None
    illustrative: bool


class SuggestionOut(Schema):
    provision: int
    key: str
    texts: dict[str, str]
    cue_language: str
    cue: str
    status: str
    commitment: int | None


class DiscardIn(Schema):
    document: StrictInt
    provision: StrictStr | StrictInt
    reason: StrictStr = ""


class CycleIn(Schema):
    slug: StrictStr = Field(min_length=1, max_length=50)
    kind: StrictStr = one_of(CycleKind)  # type: ignore[assignment]
    period_start: JsonDate
    period_end: JsonDate


class CycleOut(Schema):
    id: int
    slug: str
    kind: str
    period_start: date
    period_end: date
    published_at: datetime | None


class ScoreIn(Schema):
    cycle: StrictStr
    score: StrictInt = Field(json_schema_extra={"enum": [-1, 0, 1]})
    evidence: list[HttpLink] = Field(default_factory=list)
    text: StrictStr = ""


class ScoreOut(Schema):
    id: int
    commitment: int
    iso3: str
    cycle: str
    score: int
    evidence: list[str]
    text: str
    by: str
    at: datetime


class AverageOut(Schema):
    key: str
    average: float | None
    percent: float | None
    scored: int


class ComplianceOut(Schema):
    cycle: str | None
    overall: AverageOut
    by_state: list[AverageOut]
    by_commitment: list[AverageOut]
    by_area: list[AverageOut]
    by_cycle: list[AverageOut]


class StateRoleIn(Schema):
    iso3: StrictStr
    role: StrictStr = one_of(Role)  # type: ignore[assignment]


class StateRoleOut(Schema):
    iso3: str
    role: str


class BodyRoleIn(Schema):
    body: StrictStr
    role: StrictStr = one_of(Role)  # type: ignore[assignment]


class BodyRoleOut(Schema):
    body: str
    role: str


class ActivityIn(Schema):
    commitments: list[StrictInt] = Field(default_factory=list)
    kind: StrictStr = one_of(ActivityKind)  # type: ignore[assignment]
    title: TextMap
    description: OptionalTextMap | None = None
    states: list[StateRoleIn] = Field(default_factory=list)
    bodies: list[BodyRoleIn] = Field(default_factory=list)
    start: JsonDate | None = None
    end: JsonDate | None = None
    place: StrictStr = ""
    parent: StrictInt | None = None
    weight: StrictFloat = Field(1.0, ge=0)
    status: StrictStr = one_of(ActivityStatus, ActivityStatus.PLANNED.value)  # type: ignore[assignment]
    external_id: StrictStr = ""


class ActivityOut(Schema):
    id: int
    external_id: str
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    commitments: list[int]
    states: list[StateRoleOut]
    bodies: list[BodyRoleOut]
    start: date | None
    end: date | None
    place: str
    parent: int | None
    weight: float
    status: str
    progress: float
    illustrative: bool


class ReportIn(Schema):
    state: StrictStr | None = None
    status: StrictStr = one_of(ReportStatus)  # type: ignore[assignment]
    narrative: StrictStr = ""
    evidence: list[HttpLink] = Field(default_factory=list)
    progress: StrictFloat | None = Field(None, ge=0, le=100)
    external_id: StrictStr = ""


class ReportOut(Schema):
    id: int
    commitment: int | None
    activity: int | None
    state: str | None
    status: str
    progress: float | None
    narrative: str
    evidence: list[str]
    by: str
    at: datetime
    illustrative: bool


class IndicatorIn(Schema):
    name: TextMap | NonBlankStr
    unit: Annotated[StrictStr, NonBlank(40)]  # the column's length
    scope: StrictStr = one_of(Scope)  # type: ignore[assignment]
    direction: StrictStr = one_of(Direction, Direction.HIGHER.value)  # type: ignore[assignment]
    activity: StrictInt | None = None
    baseline: StrictFloat | None = None
    baseline_year: StrictInt | None = None
    target: StrictFloat | None = None


class IndicatorOut(Schema):
    id: int
    name: dict[str, str]
    unit: str
    scope: str
    direction: str
    activity: int | None
    baseline: float | None
    baseline_year: int | None
    target: float | None
    illustrative: bool


class ValueIn(Schema):
    state: StrictStr | None = None
    date: JsonDate
    value: StrictFloat
    source: StrictStr


class ValueOut(Schema):
    id: int
    indicator: int
    state: str | None
    date: date
    value: float
    source: str
    illustrative: bool


class ImportOut(Schema):
    created: int
    updated: int


class AreaDashboardOut(Schema):
    area: str
    name: str
    commitments: int
    not_started: int
    on_track: int
    delayed: int
    done: int
    overdue: int


class StateDashboardOut(Schema):
    iso3: str
    commitments: int
    compliance_avg: float | None
    compliance_percent: float | None
    overdue: int


class DueOut(Schema):
    kind: str
    id: int
    title: str
    due: date
    state: str
    status: str


class DashboardOut(Schema):
    by_area: list[AreaDashboardOut]
    by_state: list[StateDashboardOut]
    due: list[DueOut] = Field(description="The first 100 overdue or at-risk items, soonest first.")
    due_total: int
