"""Bracket validation, rendering and cleanliness."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concord.consensus.brackets import (
    Bracket,
    BracketOutOfRange,
    BracketsCross,
    BracketWithoutStates,
    bracketed_keys,
    is_clean,
    render_bracketed,
    validate_brackets,
)

TEXT = "The Parties shall cooperate in combating terrorism."


def test_render_nested_and_adjacent() -> None:
    brackets = [
        Bracket(0, 11, ("IND",)),
        Bracket(4, 11, ("PAK",)),
        Bracket(11, 27, ("RUS", "CHN")),
    ]
    assert render_bracketed(TEXT, brackets) == (
        "[The [Parties]][ shall cooperate] in combating terrorism."
    )


def test_same_span_brackets_merge_their_states() -> None:
    merged = validate_brackets(TEXT, [Bracket(4, 11, ("PAK",)), Bracket(4, 11, ("IND", "PAK"))])
    assert merged == (Bracket(4, 11, ("IND", "PAK")),)


@pytest.mark.parametrize(
    ("bracket", "error"),
    [
        ((-1, 3), BracketOutOfRange),
        ((3, 3), BracketOutOfRange),
        ((0, len(TEXT) + 1), BracketOutOfRange),
    ],
)
def test_bad_spans_are_refused(bracket: tuple[int, int], error: type[Exception]) -> None:
    with pytest.raises(error):
        validate_brackets(TEXT, [Bracket(*bracket, ("IND",))])


def test_crossing_brackets_are_refused() -> None:
    with pytest.raises(BracketsCross) as caught:
        validate_brackets(TEXT, [Bracket(0, 10, ("IND",)), Bracket(5, 15, ("PAK",))])
    assert caught.value.code == "brackets_cross"


def test_a_bracket_names_its_states() -> None:
    with pytest.raises(BracketWithoutStates):
        Bracket(0, 3, ())


@st.composite
def nested_brackets(draw: st.DrawFn) -> tuple[str, list[Bracket]]:
    """A text with a random well-nested set of brackets, built by recursive splitting."""
    text = draw(st.text(alphabet="ab 各方", min_size=1, max_size=30))
    brackets: list[Bracket] = []

    def split(start: int, end: int, depth: int) -> None:
        if end - start < 1 or depth > 3:
            return
        cut = draw(st.integers(start, end))
        for lo, hi in ((start, cut), (cut, end)):
            if hi > lo and draw(st.booleans()):
                brackets.append(Bracket(lo, hi, ("IND",)))
                split(lo, hi, depth + 1)

    split(0, len(text), 0)
    return text, brackets


@given(nested_brackets())
def test_rendering_removes_to_the_original_and_balances(case: tuple[str, list[Bracket]]) -> None:
    text, brackets = case
    rendered = render_bracketed(text, brackets)
    assert rendered.replace("[", "").replace("]", "") == text.replace("[", "").replace("]", "")
    depth = 0
    for char in rendered:
        depth += {"[": 1, "]": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert rendered.count("[") == len(validate_brackets(text, brackets))


def test_clean_and_bracketed_keys() -> None:
    provisions = {"op2": [Bracket(0, 3, ("IND",))], "op1": [], "pp1": [Bracket(1, 2, ("PAK",))]}
    assert bracketed_keys(provisions) == ("op2", "pp1")
    assert not is_clean(provisions)
    assert is_clean({"op1": [], "op2": ()})
    assert is_clean({})
