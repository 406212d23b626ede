"""Writes of implementation tracking. Each service checks access (accounts/access.py),
validates, writes in one transaction and appends the audit event in it.

Commitments come only from a provision of an adopted document, confirmed by a person; the
states bound are the members on the adoption date (never observers or partners).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.audit.services import event_append
from concord.common.errors import Conflict, InvalidInput, NotFound
from concord.common.models import validated
from concord.implementation import selectors
from concord.implementation.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Commitment,
    Cycle,
    CycleKind,
    Direction,
    Indicator,
    IndicatorValue,
    Participation,
    PriorityArea,
    Report,
    ReportStatus,
    Role,
    Scope,
    Score,
    SuggestionDiscard,
)
from concord.negotiation.models import Adoption, Provision
from concord.organization.models import Organization, State
from concord.organization.selectors import organization_get, timeline

LANGUAGES = ("en", "ru", "zh")


def _now() -> datetime:
    return timezone.now()


def _audit(actor: Actor, act: str, obj: Any, payload: dict[str, Any]) -> None:
    event_append(actor=actor, act=act, obj=obj, payload=payload)


def _choice(value: str, choices: Sequence[str], *, field: str) -> str:
    if value not in choices:
        raise InvalidInput(
            _("%(field)s must be one of %(choices)s, not %(value)s."),
            field=field,
            choices=", ".join(choices),
            value=str(value),
        )
    return value


def _states(codes: Sequence[str], *, field: str) -> dict[str, State]:
    wanted = {str(c).upper() for c in codes}
    found = {s.iso3: s for s in State.objects.filter(iso3__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise NotFound(
            _("Unknown state code(s): %(codes)s."), field=field, codes=", ".join(missing)
        )
    return found


def _state(code: str | None, *, field: str) -> State | None:
    if code in (None, ""):
        return None
    return _states([str(code)], field=field)[str(code).upper()]


def _texts(texts: dict[str, str] | None, *, field: str, required: bool) -> dict[str, str]:
    texts = {k: v.strip() for k, v in (texts or {}).items() if isinstance(v, str) and v.strip()}
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise InvalidInput(
            _("Texts are given in en, ru and zh, not %(languages)s."),
            field=field,
            languages=", ".join(unknown),
        )
    if required and not texts:
        raise InvalidInput(_("Give the text in at least one language."), field=field)
    return texts


def _urls(urls: Sequence[str], *, field: str) -> list[str]:
    clean = []
    for i, url in enumerate(urls):
        parts = urlsplit(str(url).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput(
                _("%(field)s must be http or https links; item %(index)s is not."),
                field=field,
                index=i,
            )
        clean.append(str(url).strip())
    return clean


def _area(org: Organization, slug: str) -> PriorityArea:
    area = PriorityArea.objects.filter(organization=org, slug=slug).first()
    if area is None:
        raise NotFound(
            _("No priority area %(area)s in %(org)s."), field="area", area=slug, org=str(org)
        )
    return area


# --- priority areas --------------------------------------------------------------------------


@transaction.atomic
def area_ensure(
    *, actor: Actor, org_slug: str, slug: str, names: dict[str, str], order: int
) -> PriorityArea:
    """Create or rename a priority area (reference data: audited as a load)."""
    org = organization_get(org_slug)
    area = PriorityArea.objects.filter(organization=org, slug=slug).first()
    if area is not None and area.names == names and area.order == order:
        return area
    area = area or PriorityArea(organization=org, slug=slug)
    area.names, area.order = names, order
    validated(area, exclude=["organization"])
    area.save()
    _audit(actor, "area.load", area, {"org": org.slug, "slug": slug, "names": names})
    return area


# --- commitments -----------------------------------------------------------------------------


def _provision(adoption: Adoption, provision: str | int) -> Provision:
    qs = Provision.objects.filter(version=adoption.version).prefetch_related("texts")
    found = (
        qs.filter(pk=provision).first()
        if isinstance(provision, int)
        else qs.filter(key=str(provision)).first()
    )
    if found is None:
        raise InvalidInput(
            _("The adopted text has no provision %(provision)s."),
            field="provision",
            provision=str(provision),
        )
    return found


def _bound(org: Organization, on: date) -> list[str]:
    return sorted(timeline(org).members_on(on))


def _leads(codes: Sequence[str], bound: Sequence[str]) -> list[str]:
    leads = sorted(_states(codes, field="lead_states"))
    outside = [c for c in leads if c not in bound]
    if outside:
        raise InvalidInput(
            _("Lead states must be bound by the commitment; %(codes)s are not."),
            field="lead_states",
            codes=", ".join(outside),
        )
    return leads


def _bodies(org: Organization, slugs: Sequence[str]) -> list[str]:
    from concord.organization.models import Body

    known = set(Body.objects.filter(organization=org).values_list("slug", flat=True))
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise NotFound(
            _("Unknown body or bodies: %(bodies)s."), field="bodies", bodies=", ".join(unknown)
        )
    return sorted(set(slugs))


@transaction.atomic
def commitment_create(
    *,
    actor: Actor,
    org_slug: str,
    document_id: int,
    provision: str | int,
    area: str,
    texts: dict[str, str] | None = None,
    lead_states: Sequence[str] = (),
    bodies: Sequence[str] = (),
    due: date | None = None,
    external_id: str = "",
    illustrative: bool = False,
) -> Commitment:
    """Confirm one provision of an adopted document as a commitment (the person confirming
    is ``actor``, of the secretariat). Its texts default to the provision's."""
    org = organization_get(org_slug)
    access.require_implementation_manager(actor, org)
    document, adoption = selectors.adopted_document(org, document_id)
    row = _provision(adoption, provision)
    own = {t.language: t.text for t in row.texts.all()}
    bound = _bound(org, adoption.on)
    commitment = Commitment(
        organization=org,
        external_id=external_id.strip(),
        document=document,
        provision=row,
        provision_key=row.key,
        texts={**own, **_texts(texts, field="texts", required=False)},
        area=_area(org, area),
        lead_states=_leads(lead_states, bound),
        bodies=_bodies(org, bodies),
        bound=bound,
        adopted_on=adoption.on,
        due=due,
        illustrative=illustrative,
        created_by=access.user_of(actor),
        created_at=_now(),
    )
    validated(commitment, exclude=["organization", "document", "provision", "area"])
    try:
        with transaction.atomic():
            commitment.save()
    except IntegrityError:
        raise Conflict(
            _("Provision %(provision)s is a commitment already, or the external id is taken."),
            field="provision",
            provision=row.key,
        ) from None
    _audit(
        actor,
        "commitment.confirm",
        commitment,
        {
            "document": document.pk,
            "provision": row.key,
            "area": area,
            "bound": bound,
            "lead_states": commitment.lead_states,
            "due": due.isoformat() if due else None,
        },
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: Actor,
    commitment_id: int,
    area: str | None = None,
    texts: dict[str, str] | None = None,
    lead_states: Sequence[str] | None = None,
    bodies: Sequence[str] | None = None,
    due: date | None = None,
) -> Commitment:
    """Change what a commitment says about itself; never its provision or bound states."""
    commitment: Commitment = selectors.commitment_for_actor(actor, commitment_id, for_update=True)
    org = commitment.organization
    access.require_implementation_manager(actor, org)
    changed: dict[str, Any] = {}
    if area is not None and area != commitment.area.slug:
        commitment.area = _area(org, area)
        changed["area"] = area
    if texts is not None:
        merged = {**commitment.texts, **_texts(texts, field="texts", required=False)}
        if merged != commitment.texts:
            commitment.texts = merged
            changed["texts"] = merged
    if lead_states is not None:
        leads = _leads(lead_states, commitment.bound)
        if leads != commitment.lead_states:
            commitment.lead_states = changed["lead_states"] = leads
    if bodies is not None:
        slugs = _bodies(org, bodies)
        if slugs != commitment.bodies:
            commitment.bodies = changed["bodies"] = slugs
    if due != commitment.due:
        commitment.due = due
        changed["due"] = due.isoformat() if due else None
    if changed:
        validated(commitment, exclude=["organization", "document", "provision", "area"])
        commitment.save()
        _audit(actor, "commitment.update", commitment, changed)
    return commitment


@transaction.atomic
def suggestion_discard(
    *, actor: Actor, org_slug: str, document_id: int, provision: str | int, reason: str = ""
) -> SuggestionDiscard:
    org = organization_get(org_slug)
    access.require_implementation_manager(actor, org)
    _document, adoption = selectors.adopted_document(org, document_id)
    row = _provision(adoption, provision)
    if Commitment.objects.filter(provision=row).exists():
        raise Conflict(
            _("Provision %(provision)s is a commitment already."),
            field="provision",
            provision=row.key,
        )
    discard = SuggestionDiscard(
        organization=org, provision=row, reason=reason, by=access.user_of(actor), at=_now()
    )
    try:
        with transaction.atomic():
            discard.save()
    except IntegrityError:
        raise Conflict(_("This suggestion was discarded already."), field="provision") from None
    _audit(actor, "suggestion.discard", discard, {"provision": row.key, "reason": reason})
    return discard


# --- compliance --------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    org_slug: str,
    slug: str,
    kind: str,
    period_start: date,
    period_end: date,
    illustrative: bool = False,
) -> Cycle:
    org = organization_get(org_slug)
    access.require_implementation_manager(actor, org)
    _choice(kind, CycleKind.values, field="kind")
    if period_end < period_start:
        raise InvalidInput(_("The period ends before it starts."), field="period_end")
    cycle = Cycle(
        organization=org,
        slug=slug,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        illustrative=illustrative,
    )
    validated(cycle, exclude=["organization"])
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise Conflict(_("A cycle %(slug)s exists already."), field="slug", slug=slug) from None
    _audit(actor, "cycle.create", cycle, {"slug": slug, "kind": kind})
    return cycle


@transaction.atomic
def cycle_publish(*, actor: Actor, cycle_id: int) -> Cycle:
    """Publish a cycle's scores: from now on they are frozen."""
    cycle: Cycle = selectors.cycle_for_actor(actor, cycle_id, for_update=True)
    access.require_implementation_manager(actor, cycle.organization)
    if cycle.published_at is not None:
        raise Conflict(_("Cycle %(slug)s is published already."), slug=cycle.slug)
    cycle.published_at, cycle.published_by = _now(), access.user_of(actor)
    cycle.save(update_fields=["published_at", "published_by"])
    _audit(actor, "cycle.publish", cycle, {"slug": cycle.slug, "scores": cycle.scores.count()})
    return cycle


@transaction.atomic
def score_set(
    *,
    actor: Actor,
    commitment_id: int,
    iso3: str,
    cycle: str,
    score: int,
    evidence: Sequence[str] = (),
    text: str = "",
    illustrative: bool = False,
) -> Score:
    """Record an assessor's score for one bound state (a new row; history is kept)."""
    commitment: Commitment = selectors.commitment_for_actor(actor, commitment_id)
    org = commitment.organization
    state = _state(iso3, field="iso3")
    assert state is not None
    access.require_assessor(actor, org, state)
    if state.iso3 not in commitment.bound:
        # 404 like an unknown state code in the same place: for this commitment there is no
        # compliance of a state it does not bind (which states it binds is the database's).
        raise NotFound(
            _("%(state)s is not bound by this commitment (bound: %(bound)s)."),
            field="iso3",
            state=state.iso3,
            bound=", ".join(commitment.bound),
        )
    if isinstance(score, bool) or score not in (-1, 0, 1):
        raise InvalidInput(_("A score is -1, 0 or 1."), field="score")
    row = Cycle.objects.select_for_update().filter(organization=org, slug=cycle).first()
    if row is None:
        raise NotFound(_("No compliance cycle %(cycle)s."), field="cycle", cycle=cycle)
    if row.published_at is not None:
        raise Conflict(
            _("Cycle %(cycle)s is published; its scores are frozen."), field="cycle", cycle=cycle
        )
    result = Score(
        commitment=commitment,
        state=state,
        cycle=row,
        score=score,
        evidence=_urls(evidence, field="evidence"),
        text=text.strip(),
        by=access.user_of(actor),
        at=_now(),
        illustrative=illustrative,
    )
    validated(result, exclude=["commitment", "state", "cycle", "by"])
    result.save()
    _audit(
        actor,
        "compliance.score",
        result,
        {
            "commitment": commitment.pk,
            "state": state.iso3,
            "cycle": cycle,
            "score": score,
            "evidence": result.evidence,
        },
    )
    return result


# --- activities --------------------------------------------------------------------------------


def _parent(org: Organization, parent: int | None, *, activity: Activity | None) -> Activity | None:
    if parent is None:
        return None
    row = Activity.objects.filter(organization=org, pk=parent).first()
    if row is None:
        raise NotFound(_("No activity %(id)s to be the parent."), field="parent", id=parent)
    if activity is not None and activity.pk is not None:
        # Walk up from the new parent: meeting the activity itself would make a loop.
        seen: set[int] = set()
        node: Activity | None = row
        while node is not None and node.pk not in seen:
            if node.pk == activity.pk:
                raise InvalidInput(_("An activity cannot be its own ancestor."), field="parent")
            seen.add(node.pk)
            node = node.parent
    return row


def _commitments(org: Organization, ids: Sequence[int]) -> list[Commitment]:
    found = list(Commitment.objects.filter(organization=org, pk__in=set(ids)))
    missing = sorted(set(ids) - {c.pk for c in found})
    if missing:
        raise NotFound(
            _("No commitment(s) %(ids)s."),
            field="commitments",
            ids=", ".join(str(i) for i in missing),
        )
    return found


def _participants(states: Sequence[tuple[str, str]]) -> list[tuple[State, str]]:
    found = _states([s for s, _r in states], field="states")
    seen: set[str] = set()
    result = []
    for i, (code, role) in enumerate(states):
        _choice(role, Role.values, field=f"states.{i}.role")
        if code.upper() in seen:
            raise InvalidInput(_("%(state)s is listed twice."), field="states", state=code.upper())
        seen.add(code.upper())
        result.append((found[code.upper()], role))
    return result


def _body_roles(org: Organization, bodies: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Participating bodies of the organization with their roles, as [[slug, role], ...]."""
    slugs = _bodies(org, [b for b, _r in bodies])
    for i, (_slug, role) in enumerate(bodies):
        _choice(role, Role.values, field=f"bodies.{i}.role")
    if len(slugs) != len(bodies):
        raise InvalidInput(_("A body is listed twice."), field="bodies")
    return sorted([slug, role] for slug, role in bodies)


def _activity_fields(
    activity: Activity,
    *,
    kind: str,
    titles: dict[str, str],
    descriptions: dict[str, str] | None,
    start: date | None,
    end: date | None,
    place: str,
    weight: float,
    status: str,
) -> None:
    activity.kind = _choice(kind, ActivityKind.values, field="kind")
    activity.titles = _texts(titles, field="title", required=True)
    activity.descriptions = _texts(descriptions, field="description", required=False)
    if start and end and end < start:
        raise InvalidInput(_("The activity ends before it starts."), field="end")
    activity.start, activity.end, activity.place = start, end, place.strip()
    if weight < 0:
        raise InvalidInput(_("A weight is zero or more."), field="weight")
    activity.weight = weight
    activity.status = _choice(status, ActivityStatus.values, field="status")


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    org_slug: str,
    kind: str,
    titles: dict[str, str],
    states: Sequence[tuple[str, str]] = (),
    commitments: Sequence[int] = (),
    start: date | None = None,
    end: date | None = None,
    place: str = "",
    parent: int | None = None,
    weight: float = 1.0,
    status: str = ActivityStatus.PLANNED,
    descriptions: dict[str, str] | None = None,
    bodies: Sequence[tuple[str, str]] = (),
    external_id: str = "",
    illustrative: bool = False,
) -> Activity:
    org = organization_get(org_slug)
    access.require_implementation_manager(actor, org)
    activity = Activity(
        organization=org,
        external_id=external_id.strip(),
        illustrative=illustrative,
        created_by=access.user_of(actor),
        created_at=_now(),
    )
    _activity_fields(
        activity,
        kind=kind,
        titles=titles,
        descriptions=descriptions,
        start=start,
        end=end,
        place=place,
        weight=weight,
        status=status,
    )
    activity.parent = _parent(org, parent, activity=None)
    activity.bodies = _body_roles(org, bodies)
    linked = _commitments(org, commitments)
    roles = _participants(states)
    validated(activity, exclude=["organization", "parent"])
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        raise Conflict(
            _("An activity with external id %(id)s exists already."),
            field="external_id",
            id=external_id,
        ) from None
    activity.commitments.set(linked)
    Participation.objects.bulk_create(
        Participation(activity=activity, state=s, role=r) for s, r in roles
    )
    _audit(
        actor,
        "activity.create",
        activity,
        {
            "kind": kind,
            "commitments": sorted(c.pk for c in linked),
            "states": [[s.iso3, r] for s, r in roles],
            "bodies": activity.bodies,
            "parent": parent,
            "weight": weight,
        },
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Actor,
    activity_id: int,
    kind: str,
    titles: dict[str, str],
    states: Sequence[tuple[str, str]],
    commitments: Sequence[int],
    start: date | None,
    end: date | None,
    place: str,
    parent: int | None,
    weight: float,
    status: str,
    descriptions: dict[str, str] | None = None,
) -> Activity:
    activity: Activity = selectors.activity_for_actor(actor, activity_id, for_update=True)
    org = activity.organization
    access.require_implementation_manager(actor, org)
    _activity_fields(
        activity,
        kind=kind,
        titles=titles,
        descriptions=descriptions,
        start=start,
        end=end,
        place=place,
        weight=weight,
        status=status,
    )
    activity.parent = _parent(org, parent, activity=activity)
    linked = _commitments(org, commitments)
    roles = _participants(states)
    validated(activity, exclude=["organization", "parent"])
    activity.save()
    activity.commitments.set(linked)
    Participation.objects.filter(activity=activity).delete()
    Participation.objects.bulk_create(
        Participation(activity=activity, state=s, role=r) for s, r in roles
    )
    _audit(
        actor,
        "activity.update",
        activity,
        {
            "kind": kind,
            "commitments": sorted(c.pk for c in linked),
            "states": [[s.iso3, r] for s, r in roles],
            "parent": parent,
            "weight": weight,
            "status": status,
        },
    )
    return activity


# --- progress reports --------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    commitment_id: int | None = None,
    activity_id: int | None = None,
    state: str | None,
    status: str,
    narrative: str = "",
    evidence: Sequence[str] = (),
    progress: float | None = None,
    external_id: str = "",
    illustrative: bool = False,
) -> Report:
    """A state's report (its own delegation only) or the organization's (secretariat)."""
    if (commitment_id is None) == (activity_id is None):
        raise InvalidInput(_("A report is on one commitment or one activity."), field="commitment")
    target: Commitment | Activity = (
        selectors.commitment_for_actor(actor, commitment_id)
        if commitment_id is not None
        else selectors.activity_for_actor(actor, activity_id)  # type: ignore[arg-type]
    )
    org = target.organization
    reporter = _state(state, field="state")
    access.require_reporter(actor, org, reporter)
    if (
        reporter is not None
        and isinstance(target, Commitment)
        and reporter.iso3 not in target.bound
    ):
        # 404 like an unknown state code: the database says which states it binds.
        raise NotFound(
            _("%(state)s is not bound by this commitment."), field="state", state=reporter.iso3
        )
    _choice(status, ReportStatus.values, field="status")
    if progress is not None and not 0 <= progress <= 100:
        raise InvalidInput(_("Progress is a percentage from 0 to 100."), field="progress")
    report = Report(
        organization=org,
        external_id=external_id.strip(),
        commitment=target if isinstance(target, Commitment) else None,
        activity=target if isinstance(target, Activity) else None,
        state=reporter,
        status=status,
        progress=progress,
        narrative=narrative.strip(),
        evidence=_urls(evidence, field="evidence"),
        by=access.user_of(actor),
        at=_now(),
        illustrative=illustrative,
    )
    validated(report, exclude=["organization", "commitment", "activity", "state", "by"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(
            _("A report with external id %(id)s exists already."),
            field="external_id",
            id=external_id,
        ) from None
    _audit(
        actor,
        "report.create",
        report,
        {
            "commitment": commitment_id,
            "activity": activity_id,
            "state": reporter.iso3 if reporter else None,
            "status": status,
            "progress": progress,
            "evidence": report.evidence,
        },
    )
    return report


# --- indicators --------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    actor: Actor,
    org_slug: str,
    names: dict[str, str],
    unit: str,
    scope: str,
    direction: str,
    activity: int | None = None,
    baseline: float | None = None,
    baseline_year: int | None = None,
    target: float | None = None,
    illustrative: bool = False,
) -> Indicator:
    org = organization_get(org_slug)
    access.require_implementation_manager(actor, org)
    row = None
    if activity is not None:
        row = Activity.objects.filter(organization=org, pk=activity).first()
        if row is None:
            raise NotFound(_("No activity %(id)s."), field="activity", id=activity)
    indicator = Indicator(
        organization=org,
        activity=row,
        names=_texts(names, field="name", required=True),
        unit=unit.strip(),
        scope=_choice(scope, Scope.values, field="scope"),
        direction=_choice(direction, Direction.values, field="direction"),
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        illustrative=illustrative,
        created_at=_now(),
    )
    if not indicator.unit:
        raise InvalidInput(_("%(field)s must not be blank."), field="unit")
    validated(indicator, exclude=["organization", "activity"])
    indicator.save()
    _audit(actor, "indicator.create", indicator, {"names": indicator.names, "unit": unit})
    return indicator


def value_state(indicator: Indicator, code: str | None, *, field: str) -> State | None:
    """The state a value is for: required for a per-state indicator, refused otherwise."""
    if indicator.scope == Scope.STATE:
        if not code:
            raise InvalidInput(_("This indicator is per state: name the state."), field=field)
        return _state(code, field=field)
    if code:
        raise InvalidInput(
            _("This indicator is organization-wide: a value names no state."), field=field
        )
    return None


@transaction.atomic
def value_add(
    *,
    actor: Actor,
    indicator_id: int,
    state: str | None,
    on: date,
    value: float,
    source: str,
    illustrative: bool = False,
) -> IndicatorValue:
    indicator: Indicator = selectors.indicator_for_actor(actor, indicator_id)
    row_state = value_state(indicator, state, field="state")
    access.require_value_recorder(actor, indicator.organization, row_state)
    if not source.strip():
        raise InvalidInput(_("Every value names its source."), field="source")
    row = IndicatorValue(
        indicator=indicator,
        state=row_state,
        on=on,
        value=value,
        source=source.strip(),
        by=access.user_of(actor),
        at=_now(),
        illustrative=illustrative,
    )
    validated(row, exclude=["indicator", "state", "by"])
    row.save()
    _audit(
        actor,
        "indicator.value",
        row,
        {
            "indicator": indicator.pk,
            "state": row_state.iso3 if row_state else None,
            "on": on.isoformat(),
            "value": value,
            "source": row.source,
        },
    )
    return row
