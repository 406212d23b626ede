"""Organizations, states, memberships over time, bodies, chairmanships, meetings and posts."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from concord.common.models import Sourced, has_text_in, translated
from concord.consensus import membership as rules


class Organization(Sourced):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=20)
    names = models.JSONField(default=dict, help_text=_("Name per language code"))
    official_languages = models.JSONField(default=list)
    founded = models.DateField(null=True, blank=True)
    founded_in = models.CharField(max_length=100, blank=True, default="")
    headquarters = models.CharField(max_length=100, blank=True, default="")
    decision_rule = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.abbreviation or self.name

    def name_in(self, lang: str | None) -> str:
        return translated(self.names, lang, self.name)


class State(models.Model):
    iso3 = models.CharField(max_length=3, unique=True, help_text=_("ISO 3166-1 alpha-3 code"))
    names = models.JSONField(default=dict, help_text=_("Name per language code (en, ru, zh)"))
    names_source = models.CharField(max_length=200, blank=True, default="")
    names_sources = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Sources per language code of a name that does not come from names_source"),
    )

    class Meta:
        ordering = ["iso3"]
        constraints = [
            models.CheckConstraint(name="state_iso3_upper", condition=Q(iso3__regex=r"^[A-Z]{3}$")),
        ]

    def __str__(self) -> str:
        return self.name_in("en")

    def name_in(self, lang: str | None) -> str:
        return translated(self.names, lang, self.iso3)


class MembershipStatus(models.TextChoices):
    MEMBER = rules.Status.MEMBER.value, _("member")
    OBSERVER = rules.Status.OBSERVER.value, _("observer")
    DIALOGUE_PARTNER = rules.Status.DIALOGUE_PARTNER.value, _("dialogue partner")
    PARTNER = rules.Status.PARTNER.value, _("partner")


class Membership(Sourced):
    """One status held by one state in one organization, from ``start`` until ``end``.

    ``end`` is exclusive: the day a state becomes a member is a member day, not an observer
    day. An open ``end`` means the status still holds.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "state__iso3", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "state", "start"], name="membership_one_span_per_start"
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.iso3} {self.status} {self.start}..{self.end or ''}"

    def as_span(self) -> rules.Span:
        return rules.Span(self.state.iso3, rules.Status(self.status), self.start, self.end)


def timeline_of(memberships: models.QuerySet[Membership] | list[Membership]) -> rules.Timeline:
    return rules.Timeline.of(m.as_span() for m in memberships)


class Body(Sourced):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bodies")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True)
    names_sources = models.JSONField(
        default=dict, blank=True, help_text=_("Sources of each name, per language code")
    )
    abbreviations = models.JSONField(default=list, blank=True)
    role = models.TextField(blank=True, default="")
    permanent = models.BooleanField(default=False)
    seat = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["organization", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="body_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name

    def name_in(self, lang: str | None) -> str:
        return translated(self.names, lang, self.name)

    def has_name_in(self, lang: str | None) -> bool:
        """Whether a name in ``lang`` is on record (else ``name_in`` falls back to English)."""
        return has_text_in(self.names, lang)


class Chairmanship(Sourced):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="chairmanships"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="chairmanships")
    term = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=200, blank=True, default="")
    motto = models.CharField(max_length=300, blank=True, default="")
    priorities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["organization", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "term"], name="chairmanship_term_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.state.iso3}"

    def holds_on(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


class Meeting(Sourced):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="meetings"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True, default="")
    start = models.DateField()
    end = models.DateField()
    city = models.CharField(max_length=100, blank=True, default="")
    city_names = models.JSONField(
        default=dict, blank=True, help_text=_("The city's name per language code")
    )
    city_names_sources = models.JSONField(
        default=dict, blank=True, help_text=_("Sources of each city name, per language code")
    )
    host = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_meetings"
    )
    main_document = models.CharField(max_length=300, blank=True, default="")
    documents = models.JSONField(default=list, blank=True)
    documents_count = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["organization", "start", "id"]
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_on_or_after_start", condition=Q(end__gte=F("start"))
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.body} {self.city} {self.start}"

    def city_in(self, lang: str | None) -> str:
        return translated(self.city_names, lang, self.city)

    def has_city_in(self, lang: str | None) -> bool:
        return not self.city or has_text_in(self.city_names, lang)

    def has_title_in(self, lang: str | None) -> bool:
        return has_text_in({}, lang) or (self.body.has_name_in(lang) and self.has_city_in(lang))

    def title_in(self, lang: str | None) -> str:
        """The title in ``lang``, put together from the body's and the city's sourced names
        (in the active language's wording); the English title when either is missing."""
        if has_text_in({}, lang) or not self.has_title_in(lang):
            return self.title or str(self)
        if not self.city:
            return self.body.name_in(lang)
        return _("%(body)s, %(city)s") % {
            "body": self.body.name_in(lang),
            "city": self.city_in(lang),
        }


class Post(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="posts")
    slug = models.SlugField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["organization", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="post_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.title


class PostHolding(Sourced):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    name = models.CharField(max_length=200)
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    title_at_time = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["post", "start"]
        constraints = [
            models.UniqueConstraint(fields=["post", "name", "start"], name="holding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start}..{self.end or ''})"
