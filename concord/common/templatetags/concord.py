from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj: Any) -> str:
    """``obj.name_in(<current language>)``: a state's or organization's name, translated."""
    return str(obj.name_in(get_language()))


@register.filter
def get_lang(texts: Any) -> str:
    """The entry of a {language: text} mapping for the current language, else English."""
    from concord.common.models import translated

    return translated(texts, get_language()) if isinstance(texts, dict) else str(texts or "")


@register.filter
def status_label(value: str) -> str:
    """The translated label of a membership status ('member' -> 'член' in Russian)."""
    from concord.organization.models import MembershipStatus

    labels = dict(MembershipStatus.choices)
    return str(labels.get(value, value))
