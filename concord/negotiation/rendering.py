"""HTML for bracketed text and side-by-side diffs. Every piece of text is escaped here, so
the results may be marked safe in templates."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from concord.consensus import brackets as pure_brackets
from concord.consensus.diff import Op, ProvisionDiff


def bracketed_html(text: str, brackets: Sequence[Any]) -> SafeString:
    """``text`` with each bracketed span wrapped in ``<mark class="bracket">[...]</mark>``
    naming the states that hold it. Brackets are ordered (and checked) by the pure rules."""
    if not brackets:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped
    spans = pure_brackets.validate_brackets(
        text, [pure_brackets.Bracket(b.start, b.end, tuple(b.held_by)) for b in brackets]
    )
    opens: dict[int, list[pure_brackets.Bracket]] = {}
    closes: dict[int, int] = {}
    for b in spans:
        opens.setdefault(b.start, []).append(b)
        closes[b.end] = closes.get(b.end, 0) + 1
    parts: list[str] = []
    for offset in range(len(text) + 1):
        parts.append("]</mark>" * closes.get(offset, 0))
        for b in opens.get(offset, []):
            held = html.escape(", ".join(b.states), quote=True)
            parts.append(f'<mark class="bracket" data-held-by="{held}" title="{held}">[')
        if offset < len(text):
            parts.append(html.escape(text[offset]))
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above


def diff_sides(change: ProvisionDiff) -> tuple[SafeString, SafeString]:
    """The old side (deletions in ``<del>``) and the new side (insertions in ``<ins>``)."""
    old: list[str] = []
    new: list[str] = []
    for word in change.words:
        text = html.escape(word.text)
        if word.op is Op.EQUAL:
            old.append(text)
            new.append(text)
        elif word.op is Op.DELETE:
            old.append(f"<del>{text}</del>")
        else:
            new.append(f"<ins>{text}</ins>")
    return mark_safe("".join(old)), mark_safe("".join(new))  # noqa: S308 - escaped above
