"""Implementation tracking: commitments, compliance, activities, reports and indicators.

Rules about how these rows change live in ``services.py``. Decision-relevant history is
append-only: a compliance score, a progress report, an indicator value and a suggestion's
discard are new rows; the current score is the latest row for its commitment, state and
cycle. Demo rows carry ``illustrative=True`` and are never presented as real figures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concord.common.models import translated


class PriorityArea(models.Model):
    """An organization's priority area (for the SCO, the chairmanship priorities)."""

    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="priority_areas"
    )
    slug = models.SlugField()
    names = models.JSONField(default=dict)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organization", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="area_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.slug

    def name_in(self, lang: str | None) -> str:
        return translated(self.names, lang, self.slug)


class Commitment(models.Model):
    """A collectively agreed statement of intent, taken from one provision of an adopted
    document and confirmed by a person. ``bound`` lists the ISO3 codes of the states that
    were members on the adoption date (never observers or partners)."""

    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="commitments"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")
    document = models.ForeignKey(
        "negotiation.Document", on_delete=models.PROTECT, related_name="commitments"
    )
    provision = models.ForeignKey(
        "negotiation.Provision", on_delete=models.PROTECT, related_name="commitments"
    )
    provision_key = models.CharField(max_length=60)
    texts = models.JSONField(default=dict)
    area = models.ForeignKey(PriorityArea, on_delete=models.PROTECT, related_name="commitments")
    lead_states = models.JSONField(default=list, blank=True)
    bodies = models.JSONField(default=list, blank=True)
    bound = models.JSONField(default=list, blank=True)
    adopted_on = models.DateField()
    due = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="commitment_external_id_per_org",
            ),
            models.UniqueConstraint(fields=["provision"], name="commitment_one_per_provision"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.provision_key}"

    def text_in(self, lang: str | None) -> str:
        return translated(self.texts, lang, self.provision_key)


class SuggestionDiscard(models.Model):
    """The secretariat's decision that a suggested provision is not a commitment."""

    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="+"
    )
    provision = models.ForeignKey(
        "negotiation.Provision", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["provision"], name="suggestion_discarded_once"),
        ]

    def __str__(self) -> str:
        return f"discarded {self.provision_id}"


class CycleKind(models.TextChoices):
    INTERIM = "interim", _("interim")
    FINAL = "final", _("final")


class Cycle(models.Model):
    """A compliance cycle: scores for the period assessed; frozen once published."""

    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="compliance_cycles"
    )
    slug = models.SlugField()
    kind = models.CharField(max_length=10, choices=CycleKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["organization", "period_end", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="cycle_slug_per_org"),
            models.CheckConstraint(
                name="cycle_period_ordered", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class Score(models.Model):
    """One assessment of one bound state on one commitment in one cycle. Append-only: the
    current score is the latest row."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="scores")
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="scores")
    score = models.SmallIntegerField()
    evidence = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["commitment", "state", "cycle", "id"]
        constraints = [
            models.CheckConstraint(name="score_in_range", condition=Q(score__in=[-1, 0, 1])),
        ]
        indexes = [models.Index(fields=["cycle", "commitment", "state", "id"], name="score_latest")]

    def __str__(self) -> str:
        return f"{self.state_id} {self.score:+d} on {self.commitment_id}"


class ActivityKind(models.TextChoices):
    PROJECT = "project", _("project")
    EXCHANGE = "exchange", _("exchange programme")
    EVENT = "event", _("event")
    RESEARCH = "research", _("joint research")


class ActivityStatus(models.TextChoices):
    """The IATI ActivityStatus codelist's meanings (code in ``IATI_STATUS``)."""

    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Role(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTICIPANT = "participant", _("participant")
    FUNDER = "funder", _("funder")


class Activity(models.Model):
    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="activities"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    titles = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict, blank=True)
    commitments = models.ManyToManyField(Commitment, related_name="activities", blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    weight = models.FloatField(default=1.0)
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True, default="")
    bodies = models.JSONField(default=list, blank=True)
    illustrative = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_per_org",
            ),
            models.CheckConstraint(name="activity_weight_not_negative", condition=Q(weight__gte=0)),
        ]

    def __str__(self) -> str:
        return self.title_in("en")

    def title_in(self, lang: str | None) -> str:
        return translated(self.titles, lang, str(self.pk))


class Participation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["activity", "state__iso3"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "state"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.role} in {self.activity_id}"


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("on track")
    DELAYED = "delayed", _("delayed")
    DONE = "done", _("done")


class Report(models.Model):
    """A state's (or, with ``state`` empty, the organization's) progress report on a
    commitment or an activity. Append-only."""

    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    state = models.ForeignKey(
        "organization.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ReportStatus.choices)
    progress = models.FloatField(null=True, blank=True)
    narrative = models.TextField(blank=True, default="")
    evidence = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="report_on_one_thing",
                condition=(Q(commitment__isnull=False) & Q(activity__isnull=True))
                | (Q(commitment__isnull=True) & Q(activity__isnull=False)),
            ),
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="report_external_id_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id or 'org'} {self.status}"


class Scope(models.TextChoices):
    STATE = "state", _("per state")
    ORGANIZATION = "organization", _("organization-wide")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(models.Model):
    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.CASCADE, related_name="indicators"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    names = models.JSONField(default=dict)
    unit = models.CharField(max_length=40)
    scope = models.CharField(max_length=12, choices=Scope.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    baseline = models.FloatField(null=True, blank=True)
    baseline_year = models.PositiveIntegerField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "id"]

    def __str__(self) -> str:
        return self.name_in("en")

    def name_in(self, lang: str | None) -> str:
        return translated(self.names, lang, str(self.pk))


class IndicatorValue(models.Model):
    """One dated value with its source. Append-only."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    state = models.ForeignKey(
        "organization.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on = models.DateField()
    value = models.FloatField()
    source = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator", "on", "id"]
        indexes = [models.Index(fields=["indicator", "state", "on"], name="indicator_value_series")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.on} {self.value}"


class ReminderRun(models.Model):
    """The day the reminder job ran: the unique day makes it run once a day, whichever of
    several workers gets there first."""

    day = models.DateField(unique=True)
    at = models.DateTimeField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"reminders {self.day}"
