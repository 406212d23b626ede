from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj: Any) -> str:
    """``obj.name_in(<current language>)``: a state's or organization's name, translated."""
    return str(obj.name_in(get_language()))
