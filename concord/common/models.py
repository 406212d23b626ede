"""Abstract bases shared by the apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified")
    PARTIALLY_VERIFIED = "partially_verified", _("partially verified")
    UNVERIFIED = "unverified", _("unverified")


class Sourced(models.Model):
    """A fact about the real world: where it comes from and how well it is established."""

    verification = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.VERIFIED
    )
    sources = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED


def translated(names: dict[str, str], lang: str | None, fallback: str = "") -> str:
    """The text for ``lang`` ('zh-hans' reads the 'zh' entry), else English, else any."""
    if lang:
        key = lang.split("-")[0]
        if names.get(key):
            return names[key]
    return names.get("en") or next(iter(names.values()), fallback) if names else fallback
