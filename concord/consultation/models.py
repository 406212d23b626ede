"""Public consultations: statements, participants, votes and their opinion maps.

The current vote of a participant on a statement is one row of :class:`Vote`, updated in
place by an upsert; every act of voting is also appended to :class:`VoteEvent`, which is
the history (append-only) and the watermark the map worker reads.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.common.models import translated

#: The longest statement accepted (Pol.is uses 140 as a default and allows more).
STATEMENT_MAX_CHARS = 280


class ModerationMode(models.TextChoices):
    PRE = "pre", _("pre-moderation (statements wait for acceptance)")
    POST = "post", _("post-moderation (statements are visible at once)")


class Moderation(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("agree")
    PASS = 0, _("pass")
    DISAGREE = -1, _("disagree")


class Consultation(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    organization = models.ForeignKey(
        "organization.Organization", on_delete=models.PROTECT, related_name="consultations"
    )
    titles = models.JSONField(default=dict, help_text=_("Title per language code"))
    descriptions = models.JSONField(default=dict, blank=True)
    languages = models.JSONField(default=list)
    #: The negotiation document the consultation is about, if any ...
    document = models.ForeignKey(
        "negotiation.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    #: ... or the initiative it is about, in words.
    initiative = models.TextField(blank=True, default="")
    is_open = models.BooleanField(default=True)
    moderation_mode = models.CharField(
        max_length=10, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    #: Where imported data comes from and how it must be attributed (e.g. Pol.is CC BY 4.0).
    source = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: A map worker's claim: while in the future, other workers leave this one alone.
    map_claimed_until = models.DateTimeField(null=True, blank=True)
    #: Whether the public map lists which participant is in which group (their ids); off,
    #: it shows group sizes and positions only.
    publish_participant_ids = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.slug

    def title_in(self, lang: str | None) -> str:
        return translated(self.titles, lang, self.slug)

    def description_in(self, lang: str | None) -> str:
        return translated(self.descriptions, lang, "")


class Participant(models.Model):
    """Someone who writes or votes in one consultation: anonymous (a signed token names
    this row) or a signed-in user, found by ``user_pseudonym`` (a keyed digest of the
    account and the consultation, ``privacy.user_pseudonym``) and never by the account
    id, so the votes table does not say which account voted what. ``number`` is the
    Pol.is participant id of an imported participant."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    # NULL (not "") for anonymous participants: the unique constraint skips NULLs.
    user_pseudonym = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    number = models.BigIntegerField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Tokens issued before this instant answer 401 (the participant revoked them).
    tokens_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user_pseudonym"],
                condition=Q(user_pseudonym__isnull=False),
                name="participant_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["consultation", "number"],
                condition=Q(number__isnull=False),
                name="participant_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk} of {self.consultation_id}"


def normalize_text(text: str) -> str:
    """The form duplicates are compared in: NFKC, case-folded, punctuation and runs of
    space collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[^\w\s]", "", folded)
    return re.sub(r"\s+", " ", folded).strip()


class Statement(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    text = models.TextField()
    normalized = models.TextField()
    lang = models.CharField(max_length=10, default="en")
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    is_seed = models.BooleanField(default=False)
    #: The Pol.is comment id of an imported statement.
    number = models.BigIntegerField(null=True, blank=True)
    # Not auto_now_add: an import keeps Pol.is's own times.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "normalized"], name="statement_no_duplicates"
            ),
            models.UniqueConstraint(
                fields=["consultation", "number"],
                condition=Q(number__isnull=False),
                name="statement_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "moderation", "id"])]

    def __str__(self) -> str:
        return self.text[:60]

    def text_in(self, lang: str | None) -> tuple[str, str]:
        """(text, its language) for a reader of ``lang``: the original when it is in that
        language or no translation is, else the translation. Reads the prefetched
        ``translations`` (prefetch them for lists)."""
        if lang and not same_language(self.lang, lang):
            translations = list(self.translations.all())
            for exact in (True, False):
                for t in translations:
                    if (t.lang == lang.lower()) if exact else same_language(t.lang, lang):
                        return t.text, t.lang
        return self.text, self.lang


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two language codes name one language: "zh" and "zh-hans", "ru" and "ru-ru"
    are the same; "zh-hans" and "zh-hant" are not."""
    if not a or not b:
        return False
    a, b = a.lower().replace("_", "-"), b.lower().replace("_", "-")
    return a == b or a.split("-")[0] == b or b.split("-")[0] == a


class StatementTranslation(models.Model):
    """A statement in another language than the one it was written in, added by a
    moderator or by the statement's author. The original ``Statement.text`` stays what the
    map, the duplicates check and the Pol.is export use."""

    statement = models.ForeignKey(
        "Statement", on_delete=models.CASCADE, related_name="translations"
    )
    lang = models.CharField(max_length=10)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["statement", "lang"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "lang"], name="statement_translation_once_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"statement {self.statement_id} in {self.lang}"


class Vote(models.Model):
    """The current vote of one participant on one statement (the latest act counts).

    ``revision`` counts the acts: the upsert returns it, so 1 means a new vote.
    """

    # No single-column indexes where a composite one starts with the column: every vote
    # writes each index, and (consultation, participant) and the unique (participant,
    # statement) already serve those lookups and the cascades.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    # No index on the statement either: nothing looks votes up by statement alone (counts
    # go by consultation), and at 25M votes its build was a fifth of an import's time.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    revision = models.IntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="vote_one_current_per_statement"
            ),
            models.CheckConstraint(name="vote_value_range", condition=Q(value__in=[-1, 0, 1])),
        ]
        indexes = [models.Index(fields=["consultation", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class VoteEvent(models.Model):
    """One act of voting (append-only). The map worker's watermark is the highest id."""

    # (consultation, id) serves the consultation's lookups; no second index on it.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The participant index serves deleting a participant's data; the statement gets none,
    # as on Vote (every live vote writes each index of both tables).
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["consultation", "id"])]
        constraints = [
            models.CheckConstraint(
                name="vote_event_value_range", condition=Q(value__in=[-1, 0, 1])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} voted {self.value} on {self.statement_id} at {self.at}"


class RetiredVotes(models.Model):
    """Votes of participants who deleted their data, kept only as counts per statement."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, related_name="retired_votes"
    )
    agree = models.IntegerField(default=0)
    disagree = models.IntegerField(default=0)
    passes = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"retired votes on {self.statement_id}"


class OpinionMapSnapshot(models.Model):
    """A computed opinion map, kept as history; the latest one is shown.

    ``map`` is the JSON of ``concord polis map`` (ids are Participant and Statement pks);
    ``points`` maps participant pk -> [x, y, group] (group -1 when not clustered);
    ``projection`` holds what is needed to place a new voter on the map
    ({"statements": [pk], "center": [..], "components": [[..], [..]]}).
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="snapshots"
    )
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0.0)
    participants = models.IntegerField()
    clustered = models.IntegerField()
    statements = models.IntegerField()
    votes = models.IntegerField()
    seed = models.IntegerField()
    parameters = models.JSONField(default=dict)
    versions = models.JSONField(default=dict)
    map = models.JSONField()
    points = models.JSONField(default=dict)
    projection = models.JSONField(default=dict)
    #: What the map page draws, so that it never loads ``map`` or ``points`` (tens of
    #: megabytes at a million participants): ``maps.display_of``'s {"dots": [[x, y, group]]
    #: (an even sample of at most ``maps.MAX_DOTS``), "groups": [{"id", "size",
    #: "representative"}], "consensus", "divisive"}. Empty on maps stored before it existed.
    display = models.JSONField(default=dict)
    #: The highest VoteEvent id included.
    votes_seen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"
        indexes = [models.Index(fields=["consultation", "-id"])]

    def __str__(self) -> str:
        return f"map of {self.consultation_id} at {self.computed_at}"

    def as_api(self) -> dict[str, Any]:
        return {**self.map, "computed_at": self.computed_at.isoformat()}


class Citation(models.Model):
    """A document provision (by its stable key) that cites a (consensus) statement."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(
        "negotiation.Document", on_delete=models.CASCADE, related_name="consultation_citations"
    )
    provision = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "provision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "document", "provision"], name="citation_once"
            ),
        ]
        indexes = [models.Index(fields=["document", "provision"])]

    def __str__(self) -> str:
        return f"statement {self.statement_id} cited by {self.document_id}/{self.provision}"


class RateCounter(models.Model):
    """A fixed-window counter for rate limits, shared by every web process (see
    ``ratelimit.py``). Old windows are pruned by the map worker."""

    key = models.CharField(max_length=120)
    bucket = models.BigIntegerField(help_text=_("Start of the window, in seconds since 1970"))
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "bucket"], name="rate_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.bucket}: {self.count}"
