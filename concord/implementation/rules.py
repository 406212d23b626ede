"""Pure rules of implementation tracking: no Django, plain values in, frozen values out.

- ``suggestion_cue``: does an operative provision read like a commitment (modal or
  commitment wording in English, Russian or Chinese)?
- ``roll_up``: a parent activity's progress from its children's, weighted as in Decidim's
  accountability results.
- ``compliance_average``: G20/BRICS Research Group averages, as a score in [-1, 1] and as a
  percentage ``(score + 1) / 2``.
- ``due_state``: overdue, at risk (due soon) or neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: Commitment wording per language. English and Russian match whole words (case-folded);
#: Chinese has no spaces, so its cues match as substrings.
CUES: Mapping[str, tuple[str, ...]] = {
    "en": (
        "will",
        "shall",
        "agree to",
        "agreed to",
        "commit to",
        "committed to",
        "undertake to",
        "decide to",
        "resolve to",
        "intend to",
        "continue to",
    ),
    "ru": (
        "обязуются",
        "будут",
        "будет",
        "намерены",
        "договорились",
        "продолжат",
        "примут",
        "углубят",
        "расширят",
        "обеспечат",
    ),
    "zh": ("将", "承诺", "同意", "决定", "致力于", "继续"),
}

#: The progress a report's status stands for when it gives no percentage of its own.
STATUS_PROGRESS: Mapping[str, float] = {
    "not_started": 0.0,
    "delayed": 25.0,
    "on_track": 50.0,
    "done": 100.0,
}

#: Days before its due date during which an open item is "at risk".
AT_RISK_DAYS = 30


def _word_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", re.IGNORECASE)


_PATTERNS = {
    lang: [(cue, _word_pattern(cue)) for cue in cues] for lang, cues in CUES.items() if lang != "zh"
}


def suggestion_cue(texts: Mapping[str, str]) -> tuple[str, str] | None:
    """The first (language, cue) found in a provision's texts, or None.

    English first, then Russian, then Chinese: the cue shown to the person who confirms is
    the one in the most widely read language available."""
    for lang in ("en", "ru"):
        text = texts.get(lang) or ""
        for cue, pattern in _PATTERNS[lang]:
            if pattern.search(text):
                return lang, cue
    text = texts.get("zh") or ""
    for cue in CUES["zh"]:
        if cue in text:
            return "zh", cue
    return None


@dataclass(frozen=True, slots=True)
class Child:
    progress: float
    weight: float


def roll_up(children: Sequence[Child]) -> float | None:
    """Weighted mean of the children's progress (0-100), or None without weight.

    As Decidim: weights need not add up to 1; a child of weight 0 does not count. Weights
    are taken relative to the largest, so that no product of a progress and a tiny weight
    rounds to a subnormal (a lone child of weight 5e-324 at 1.5 rolled up to 2.0)."""
    weights = [max(c.weight, 0.0) for c in children]
    largest = max(weights, default=0.0)
    if largest <= 0:
        return None
    shares = [w / largest for w in weights]
    value = sum(c.progress * s for c, s in zip(children, shares, strict=True)) / sum(shares)
    return round(min(max(value, 0.0), 100.0), 2)


@dataclass(frozen=True, slots=True)
class Average:
    """Mean of ``count`` scores in [-1, 1]; ``percent`` = (score + 1) / 2 * 100."""

    score: float | None
    percent: float | None
    count: int


def compliance_average(scores: Iterable[int]) -> Average:
    values = list(scores)
    if not values:
        return Average(None, None, 0)
    mean = sum(values) / len(values)
    return Average(round(mean, 4), round((mean + 1) / 2 * 100, 2), len(values))


def due_state(due: date | None, today: date, *, done: bool) -> str:
    """ "overdue", "at_risk" (due within ``AT_RISK_DAYS``) or "" for an item due ``due``."""
    if due is None or done:
        return ""
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=AT_RISK_DAYS):
        return "at_risk"
    return ""
