"""Reads for the organization model. Each returns a queryset already joined for its use."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from concord.common.errors import InvalidInput, NotFound
from concord.consensus import membership as rules
from concord.organization.models import (
    Body,
    Chairmanship,
    Meeting,
    Membership,
    MembershipStatus,
    Organization,
    Post,
    PostHolding,
    timeline_of,
)


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.all()


def organization_get(slug: str) -> Organization:
    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(_("No organization %(org)s."), field="org", org=slug)
    return org


def parse_status(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in MembershipStatus.values:
        raise InvalidInput(
            _("status must be one of %(choices)s, not %(value)r."),
            field="status",
            value=value,
            choices=", ".join(MembershipStatus.values),
        )
    return value


def memberships_on(org: Organization, on: date, status: str | None = None) -> QuerySet[Membership]:
    """The status span each state holds in ``org`` on ``on`` (one query)."""
    qs = (
        Membership.objects.filter(organization=org, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .select_related("state")
        .order_by("state__iso3")
    )
    return qs.filter(status=status) if status else qs


def membership_history(org: Organization | int) -> QuerySet[Membership]:
    """Every status span of ``org`` (the organization or its id)."""
    return Membership.objects.filter(organization=org).select_related("state")


def timeline(org: Organization | int) -> rules.Timeline:
    return timeline_of(list(membership_history(org)))


def body_list(org: Organization) -> QuerySet[Body]:
    return Body.objects.filter(organization=org)


def summit_body(org: Organization) -> Body | None:
    """The organization's highest body: the first its reference data lists (for the SCO,
    the Council of Heads of State). Read from data, never named in code."""
    return Body.objects.filter(organization=org).order_by("id").first()


def summit_list(org: Organization) -> QuerySet[Meeting]:
    """The meetings of the highest body (summits), as ``meeting_list`` orders them."""
    return meeting_list(org).filter(body=summit_body(org))


def chairmanship_list(org: Organization) -> QuerySet[Chairmanship]:
    return Chairmanship.objects.filter(organization=org).select_related("state")


def meeting_list(org: Organization) -> QuerySet[Meeting]:
    return Meeting.objects.filter(organization=org).select_related("body", "host")


def post_list(org: Organization) -> QuerySet[Post]:
    return Post.objects.filter(organization=org).prefetch_related(
        Prefetch("holdings", queryset=PostHolding.objects.select_related("state"))
    )
