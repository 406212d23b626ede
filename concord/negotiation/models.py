"""Documents under negotiation, their immutable versions, positions and adoption.

Every rule about how these rows may change lives in ``services.py``; the models only hold
data and the database-level guards (unique constraints, checks) that back those rules.
Decision-relevant history is append-only: a version, a position, a silence procedure, an
adoption is a new row; nothing decision-relevant is updated in place except the
procedural fields that close a row (a silence procedure's outcome, an amendment's
decision, a sponsor leaving), each of which also appends an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from concord.common.classification import Classification
from concord.common.models import translated
from concord.consensus.positions import Stand as PureStand
from concord.consensus.silence import SilenceOutcome


class Kind(models.TextChoices):
    DECLARATION = "declaration", _("declaration")
    DECISION = "decision", _("decision")
    STATEMENT = "statement", _("statement")
    STRATEGY = "strategy", _("strategy")
    PROGRAMME = "programme", _("programme")
    AGREEMENT = "agreement", _("agreement")
    REPORT = "report", _("report")


class Stage(models.TextChoices):
    DRAFT = "draft", _("draft")
    NEGOTIATION = "negotiation", _("negotiation")
    SILENCE = "silence", _("silence procedure")
    AGREED = "agreed", _("agreed ad referendum")
    ADOPTED = "adopted", _("adopted")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Stages after which nothing about the text changes.
FINAL_STAGES = frozenset({Stage.ADOPTED, Stage.WITHDRAWN})


class Stand(models.TextChoices):
    # The vocabulary is the pure module's; the labels are the translated display.
    SUPPORT = PureStand.SUPPORT.value, _("support")
    RESERVATION = PureStand.RESERVATION.value, _("support with a reservation")
    OBJECTION = PureStand.OBJECTION.value, _("objection")


class ProvisionKind(models.TextChoices):
    PREAMBLE = "preamble", _("preambular paragraph")
    OPERATIVE = "operative", _("operative paragraph")
    ARTICLE = "article", _("article")
    SECTION = "section", _("section")


class AmendmentOp(models.TextChoices):
    INSERT = "insert", _("insert")
    REPLACE = "replace", _("replace")
    DELETE = "delete", _("delete")


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class SilenceStatus(models.TextChoices):
    RUNNING = SilenceOutcome.RUNNING.value, _("running")
    BROKEN = SilenceOutcome.BROKEN.value, _("broken")
    EXPIRED = SilenceOutcome.EXPIRED.value, _("expired: agreed")


class Document(models.Model):
    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.PROTECT, related_name="documents"
    )
    symbol = models.CharField(max_length=120)
    # Set for an addendum or corrigendum: the document it adds to or corrects.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    titles = models.JSONField(default=dict, help_text=_("Title per language code"))
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.ForeignKey("organization.Body", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        "organization.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_documents",
    )
    penholder = models.ForeignKey(
        "organization.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.RESTRICTED
    )
    # Restricted documents are read by the secretariat and member delegations; observers
    # and partners read one only when the body shares it with them (this flag).
    shared_with_partners = models.BooleanField(default=False)
    languages = models.JSONField(default=list)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    # Optimistic concurrency: every write bumps it; a writer that read an older value
    # gets 409 instead of overwriting what it did not see.
    revision = models.PositiveIntegerField(default=1)
    illustrative = models.BooleanField(
        default=False, help_text=_("Demo text: illustrative, not a real document")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    withdrawn_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["organization", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "symbol"], name="document_symbol_per_org"
            ),
            models.CheckConstraint(
                name="document_stage_known", condition=Q(stage__in=Stage.values)
            ),
        ]

    def __str__(self) -> str:
        return self.symbol

    def title_in(self, lang: str | None) -> str:
        return translated(self.titles, lang, self.symbol)


class Sponsorship(models.Model):
    """A state sponsoring a document from ``joined_at`` until ``left_at`` (open: still)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sponsorships")
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "state"],
                condition=Q(left_at__isnull=True),
                name="sponsorship_one_open_per_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} sponsors {self.document_id}"


class Version(models.Model):
    """An immutable snapshot of the text. Never updated after creation."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=140)
    note = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} v{self.number}"


class Provision(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="provisions")
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=ProvisionKind.choices)
    order = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="provision_key_per_version"),
            models.UniqueConstraint(
                fields=["version", "order"], name="provision_order_per_version"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class ProvisionText(models.Model):
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8)
    text = models.TextField()
    # Another language of this provision changed in this version and this one did not:
    # a translator must confirm it.
    stale = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provision", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "language"], name="provision_text_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision_id}/{self.language}"


class Bracket(models.Model):
    """The span ``text[start:end]`` of one provision text, disputed by ``held_by`` (ISO3)."""

    text = models.ForeignKey(ProvisionText, on_delete=models.CASCADE, related_name="brackets")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    held_by = models.JSONField(default=list)

    class Meta:
        ordering = ["text", "start", "-end"]
        constraints = [
            models.CheckConstraint(name="bracket_nonempty", condition=Q(end__gt=F("start"))),
        ]

    def __str__(self) -> str:
        return f"[{self.start}:{self.end}] {','.join(self.held_by)}"


class Amendment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="amendments")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="amendments")
    provision_key = models.CharField(max_length=60)
    op = models.CharField(max_length=10, choices=AmendmentOp.choices)
    kind = models.CharField(max_length=20, choices=ProvisionKind.choices, blank=True, default="")
    # For an insert: the key the new provision follows ("" = first).
    after = models.CharField(max_length=60, blank=True, default="")
    texts = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_in = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, related_name="applied"
    )

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.op} {self.provision_key} ({self.state_id})"


class Position(models.Model):
    """One state's stand on one version. Append-only: the current position is the latest."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="positions")
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    stand = models.CharField(max_length=20, choices=Stand.choices)
    text = models.TextField(blank=True, default="")
    provisions = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    # Status of the state in the organization when it stated this (shown, never decisive).
    status_then = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["version", "state", "id"]
        indexes = [models.Index(fields=["version", "state", "id"], name="position_latest")]

    def __str__(self) -> str:
        return f"{self.state_id} {self.stand} v{self.version_id}"


class SilenceProcedure(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="silences")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField()
    # The offset the deadline was given in, so the pure rules see the zone the chair chose.
    deadline_offset_minutes = models.IntegerField(default=0)
    # The body's minimum duration when the procedure opened (settings, default 72 hours):
    # stated in the record so a reader sees the procedure respected it.
    minimum_hours = models.PositiveIntegerField(default=72)
    broken_by = models.ForeignKey(
        "organization.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    broken_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    broken_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="")
    outcome = models.CharField(
        max_length=10, choices=SilenceStatus.choices, default=SilenceStatus.RUNNING
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(outcome="running"),
                name="silence_one_running_per_version",
            ),
            models.CheckConstraint(
                name="silence_deadline_after_opening", condition=Q(deadline__gt=F("opened_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"silence on {self.version_id} until {self.deadline} ({self.outcome})"


class Adoption(models.Model):
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="adoption")
    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="adoption")
    meeting = models.ForeignKey(
        "organization.Meeting", on_delete=models.PROTECT, related_name="adoptions"
    )
    on = models.DateField()
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    audit_head = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document_id} adopted {self.on}"


class Explanation(models.Model):
    """An explanation of position: a statement linked to the decision, never in the text."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="explanations")
    state = models.ForeignKey("organization.State", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["adoption", "at", "id"]

    def __str__(self) -> str:
        return f"explanation of {self.state_id} on {self.adoption_id}"
