"""The word diff is bounded in size (issue 13): long provisions fall back to a sentence
diff, then to one replacement; the result always rebuilds both texts."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from concord.consensus import diff
from concord.consensus.diff import Op, diff_words, sentences, tokenize


def _rebuild(ops, kind):  # type: ignore[no-untyped-def]
    return "".join(o.text for o in ops if o.op in (Op.EQUAL, kind))


def _long_text(seed: int, words: int) -> str:
    rnd = random.Random(seed)
    vocab = [f"word{i}" for i in range(800)]
    out = []
    for i in range(words):
        out.append(rnd.choice(vocab))
        if i % 20 == 19:
            out[-1] += "."
    return " ".join(out)


def test_ten_thousand_words_fall_back_to_sentences_and_rebuild_both_texts() -> None:
    old, new = _long_text(1, 10_000), _long_text(2, 10_000)
    assert len(tokenize(old)) * len(tokenize(new)) > diff.WORD_BUDGET
    ops = diff_words(old, new)
    assert _rebuild(ops, Op.DELETE) == old
    assert _rebuild(ops, Op.INSERT) == new
    # Sentence units: every op is made of whole sentences.
    for op in ops:
        assert op.text == "".join(sentences(op.text))


def test_a_shared_sentence_survives_the_coarse_diff() -> None:
    common = "The parties agree to cooperate. "
    old = common + _long_text(3, 10_000)
    new = common + _long_text(4, 10_000)
    ops = diff_words(old, new)
    assert ops[0].op is Op.EQUAL and ops[0].text.startswith(common)


def test_past_the_sentence_budget_it_is_one_replacement() -> None:
    old = "".join(f"a{i}. " for i in range(2_100))
    new = "".join(f"b{i}. " for i in range(2_100))
    assert len(sentences(old)) * len(sentences(new)) > diff.WORD_BUDGET
    ops = diff_words(old, new)
    assert ops == (diff.WordOp(Op.DELETE, old), diff.WordOp(Op.INSERT, new))
    assert diff_words(old, old) == (diff.WordOp(Op.EQUAL, old),)


def test_short_texts_still_diff_word_by_word() -> None:
    ops = diff_words("the quick brown fox", "the slow brown fox")
    assert [o.op for o in ops] == [Op.EQUAL, Op.DELETE, Op.INSERT, Op.EQUAL]


@given(st.text(max_size=200))
def test_sentences_join_back(text: str) -> None:
    assert "".join(sentences(text)) == text
