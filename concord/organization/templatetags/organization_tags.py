"""Template filters about organizations (``{% load organization_tags %}``)."""

from __future__ import annotations

from django import template

from concord.organization.models import MembershipStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The translated label of a membership status ('member' -> 'член' in Russian)."""
    labels = dict(MembershipStatus.choices)
    return str(labels.get(value, value))
