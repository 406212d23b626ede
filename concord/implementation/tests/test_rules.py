"""The pure rules: commitment wording, weighted roll-up, averages, due states."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from concord.implementation import rules


@pytest.mark.parametrize(
    ("texts", "cue"),
    [
        ({"en": "The Member States will expand exchanges."}, ("en", "will")),
        ({"en": "They shall cooperate."}, ("en", "shall")),
        ({"en": "The parties agree to hold a festival."}, ("en", "agree to")),
        (
            {"en": "Noting the report,", "ru": "Государства-члены обязуются начать"},
            ("ru", "обязуются"),
        ),
        ({"ru": "Будут расширять связи."}, ("ru", "будут")),
        ({"zh": "成员国将扩大交流。"}, ("zh", "将")),
        ({"zh": "各方承诺加强合作。"}, ("zh", "承诺")),
    ],
)
def test_commitment_wording_is_found_in_each_language(texts, cue) -> None:
    assert rules.suggestion_cue(texts) == cue


@pytest.mark.parametrize(
    "texts",
    [
        {"en": "Noting the report of the Secretary-General."},
        {"en": "Willingness is welcome; the Shallows are deep."},  # words, not substrings
        {"ru": "Принимают к сведению доклад."},
        {},
    ],
)
def test_other_wording_is_not_a_commitment(texts) -> None:
    assert rules.suggestion_cue(texts) is None


def test_roll_up_is_weighted_as_decidim() -> None:
    children = [rules.Child(50, 3), rules.Child(100, 1)]
    assert rules.roll_up(children) == 62.5
    assert rules.roll_up([rules.Child(80, 0), rules.Child(20, 1)]) == 20
    assert rules.roll_up([rules.Child(80, 0)]) is None
    assert rules.roll_up([]) is None


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 1000)), min_size=1, max_size=20))
@example(pairs=[(1.5, 5e-324)])  # a subnormal weight: the product rounded to 2.0
def test_roll_up_stays_within_its_children(pairs) -> None:
    value = rules.roll_up([rules.Child(p, w) for p, w in pairs])
    weighted = [p for p, w in pairs if w > 0]
    if value is None:
        assert sum(w for _p, w in pairs) <= 0 or not weighted
    else:
        assert min(weighted) - 0.01 <= value <= max(weighted) + 0.01


@given(st.lists(st.sampled_from([-1, 0, 1]), max_size=50))
def test_average_and_percentage_agree(scores) -> None:
    avg = rules.compliance_average(scores)
    if not scores:
        assert avg == rules.Average(None, None, 0)
    else:
        assert avg.count == len(scores)
        assert avg.percent == pytest.approx((avg.score + 1) / 2 * 100, abs=0.01)
        assert -1 <= avg.score <= 1


def test_due_states() -> None:
    today = date(2026, 12, 1)
    assert rules.due_state(date(2026, 11, 30), today, done=False) == "overdue"
    assert rules.due_state(date(2026, 12, 31), today, done=False) == "at_risk"
    assert rules.due_state(date(2027, 1, 1), today, done=False) == ""
    assert rules.due_state(date(2026, 11, 30), today, done=True) == ""
    assert rules.due_state(None, today, done=False) == ""


def test_pure_modules_import_no_django() -> None:
    for name in ("rules.py", "charts.py"):
        tree = ast.parse((Path(rules.__file__).parent / name).read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not [m for m in modules if m.split(".")[0] in {"django", "ninja"}], name
