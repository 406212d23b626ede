"""Brackets: disputed spans inside a provision's text, each held by one or more states.

A version is clean when no provision carries a bracket, and only a clean version can be
adopted or put under silence. Brackets may nest (a disputed phrase inside a disputed
sentence is common in negotiation) but may not cross, since a crossing pair cannot be
written with ``[`` and ``]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from concord.consensus.errors import RuleError


class BracketError(RuleError):
    code: ClassVar[str] = "bracket_invalid"


class BracketOutOfRange(BracketError):
    code: ClassVar[str] = "bracket_out_of_range"


class BracketWithoutStates(BracketError):
    code: ClassVar[str] = "bracket_without_states"


class BracketsCross(BracketError):
    code: ClassVar[str] = "brackets_cross"


@dataclass(frozen=True, slots=True)
class Bracket:
    """The span ``text[start:end]`` (``end`` exclusive, code-point offsets) held by ``states``.

    ``states`` is stored sorted and without duplicates.
    """

    start: int
    end: int
    states: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.states:
            raise BracketWithoutStates(
                "a bracket names the states holding it", start=self.start, end=self.end
            )
        object.__setattr__(self, "states", tuple(sorted(set(self.states))))

    def contains(self, other: Bracket) -> bool:
        return self.start <= other.start and other.end <= self.end


def validate_brackets(text: str, brackets: Iterable[Bracket]) -> tuple[Bracket, ...]:
    """Check ``brackets`` against ``text`` and return them normalised.

    Each span must be non-empty and within the text (``BracketOutOfRange``); two spans may
    be disjoint, adjacent or nested but must not cross (``BracketsCross``). Brackets on the
    same span are merged into one held by all their states. The result is sorted outermost
    first: by ``start``, then by ``end`` descending.
    """
    by_span: dict[tuple[int, int], set[str]] = {}
    for bracket in brackets:
        if not 0 <= bracket.start < bracket.end <= len(text):
            raise BracketOutOfRange(
                f"bracket {bracket.start}..{bracket.end} is empty or outside a text of "
                f"{len(text)} characters",
                start=bracket.start,
                end=bracket.end,
                length=len(text),
            )
        by_span.setdefault((bracket.start, bracket.end), set()).update(bracket.states)
    ordered = tuple(
        Bracket(start, end, tuple(states))
        for (start, end), states in sorted(by_span.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    )
    # A stack of open brackets finds a crossing pair in one pass: sorted outermost first,
    # each bracket must either fit inside the innermost open one or start after it ends.
    open_: list[Bracket] = []
    for bracket in ordered:
        while open_ and open_[-1].end <= bracket.start:
            open_.pop()
        if open_ and not open_[-1].contains(bracket):
            outer = open_[-1]
            raise BracketsCross(
                f"brackets {outer.start}..{outer.end} and {bracket.start}..{bracket.end} cross",
                first=(outer.start, outer.end),
                second=(bracket.start, bracket.end),
            )
        open_.append(bracket)
    return ordered


def render_bracketed(text: str, brackets: Iterable[Bracket]) -> str:
    """``text`` with ``[`` and ``]`` around each bracketed span (validated first).

    Where one bracket closes and another opens at the same offset, the close comes first
    (``[a][b]``); nested brackets open outermost first and close innermost first.
    Square brackets already in ``text`` are left as they are.
    """
    ordered = validate_brackets(text, brackets)
    opens: dict[int, int] = {}
    closes: dict[int, int] = {}
    for bracket in ordered:
        opens[bracket.start] = opens.get(bracket.start, 0) + 1
        closes[bracket.end] = closes.get(bracket.end, 0) + 1
    parts: list[str] = []
    for offset in range(len(text) + 1):
        parts.append("]" * closes.get(offset, 0))
        parts.append("[" * opens.get(offset, 0))
        if offset < len(text):
            parts.append(text[offset])
    return "".join(parts)


def bracketed_keys(provisions: Mapping[str, Sequence[Bracket]]) -> tuple[str, ...]:
    """Sorted keys of the provisions carrying at least one bracket.

    ``provisions`` maps a provision key to its brackets; the result is what
    ``rules.consensus`` takes as ``bracketed``.
    """
    return tuple(sorted(key for key, brackets in provisions.items() if brackets))


def is_clean(provisions: Mapping[str, Sequence[Bracket]]) -> bool:
    """Whether no provision carries a bracket (``provisions`` as for ``bracketed_keys``)."""
    return not bracketed_keys(provisions)
