"""Abstract bases shared by the apps, and model validation as a domain error."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.common.errors import InvalidInput


def validated(obj: models.Model, *, exclude: Collection[str] | None = None) -> None:
    """``obj.full_clean()``, its first complaint raised as a 422 naming the field: a model's
    own limits (a city's 100 characters, a slug's pattern) are not all restated in the API
    schemas, and Django's ValidationError would reach the client as a 500."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(field=field, reason=" ".join(messages)) from None


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified")
    PARTIALLY_VERIFIED = "partially_verified", _("partially verified")
    UNVERIFIED = "unverified", _("unverified")
    # Typed in through Concord by the secretariat (a meeting created through the API), not
    # researched from public sources: its own level, never shown as "verified".
    ENTERED = "entered", _("entered by the secretariat")


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


def has_text_in(names: dict[str, str], lang: str | None) -> bool:
    """Whether ``names`` holds a text of its own for ``lang``; English is the source language
    of the reference data, so it always has one."""
    key = (lang or "en").split("-")[0]
    return key == "en" or bool(names.get(key))
