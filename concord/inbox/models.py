"""Notifications, each user's choice of how to receive them, and how far the dispatcher has
read the audit log.

A notification is derived from an audit event (or, for a silence about to expire, from the
procedure's deadline): the log is the one stream of what happened, and nothing in the
negotiation services has to remember to notify anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    POSITION_NEEDED = "position_needed", _("a new version asks for my state's position")
    SILENCE_OPENED = "silence_opened", _("a silence procedure opens")
    SILENCE_EXPIRING = "silence_expiring", _("a silence procedure is about to expire")
    STAGE_CHANGED = "stage_changed", _("a document my state sponsors changes stage")
    AMENDMENT_DECIDED = "amendment_decided", _("an amendment on my state's documents is decided")


class Channel(models.TextChoices):
    EMAIL = "email", _("by e-mail at once")
    DIGEST = "digest", _("in a daily e-mail digest")
    INBOX = "inbox", _("in Concord only")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    #: What the notification is about, once per user: ``event:<seq>`` or
    #: ``silence:<id>:expiring``. Makes every dispatch safe to run twice.
    key = models.CharField(max_length=80)
    document = models.ForeignKey(
        "negotiation.Document", on_delete=models.CASCADE, related_name="+", null=True
    )
    #: The facts the sentence is built from, translated when it is read.
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    #: When it went out by e-mail, at once or in a digest; None while it has not.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} ({self.key})"


class InboxSettings(models.Model):
    """A user's channel per kind (missing kinds use ``DEFAULT_CHANNEL``), the language of
    their e-mails, and when their last digest went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_settings"
    )
    channels = models.JSONField(default=dict)
    language = models.CharField(max_length=10, blank=True, default="")
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"inbox settings of {self.user_id}"


class Cursor(models.Model):
    """The last audit event the dispatcher has turned into notifications."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at #{self.seq}"
