from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@register.simple_tag
def sourced_text(obj: Any, what: str = "name") -> SafeString:
    """A body's name, a meeting's city or title in the current language when a sourced one
    is on record; otherwise the English one, marked so, never passed off silently."""
    lang = get_language()
    text, known = {
        "name": lambda: (obj.name_in(lang), obj.has_name_in(lang)),
        "city": lambda: (obj.city_in(lang), obj.has_city_in(lang)),
        "title": lambda: (obj.title_in(lang), obj.has_title_in(lang)),
    }[what]()
    if known:
        return conditional_escape(text)
    return format_html(
        '<span lang="en">{}</span> <small class="no-sourced-name">{}</small>',
        text,
        _("(no sourced name in this language; shown in English)"),
    )
