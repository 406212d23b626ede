"""Provision-level and word-level diffs, including Chinese text without spaces."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from concord.consensus.diff import (
    Change,
    Op,
    ProvisionDiff,
    WordOp,
    diff_versions,
    diff_words,
    tokenize,
    words_html,
)

# Words, spaces, punctuation, Cyrillic and CJK, so every tokenizer branch is exercised.
pieces = st.sampled_from(
    [
        "the",
        "Parties",
        "shall",
        "cooperate",
        " ",
        "  ",
        ",",
        ".",
        "\n",
        "сотрудничество",
        "各方",
        "同",
        "意",
        "加强",
        "合作",
        "。",
        "、",
        "<b>",
        "&",
        '"',
        "𠀀",
    ]
)
texts = st.lists(pieces, max_size=25).map("".join) | st.text(max_size=40)
keys = st.sampled_from(["pp1", "pp2", "op1", "op2", "op3", "op4", "op5"])
versions = st.lists(st.tuples(keys, texts), max_size=6, unique_by=lambda kv: kv[0])


def old_of(words: tuple[WordOp, ...]) -> str:
    return "".join(w.text for w in words if w.op is not Op.INSERT)


def new_of(words: tuple[WordOp, ...]) -> str:
    return "".join(w.text for w in words if w.op is not Op.DELETE)


@given(texts)
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


def test_chinese_is_tokenized_per_character_and_latin_per_word() -> None:
    assert tokenize("各方同意 SCO charter, 2025。") == [
        "各",
        "方",
        "同",
        "意",
        " ",
        "SCO",
        " ",
        "charter",
        ",",
        " ",
        "2025",
        "。",
    ]


@given(texts, texts)
def test_word_ops_reproduce_old_and_new_text(old: str, new: str) -> None:
    words = diff_words(old, new)
    assert old_of(words) == old
    assert new_of(words) == new
    assert all(w.text for w in words)
    assert all(a.op is not b.op for a, b in pairwise(words))


@given(versions)
def test_a_version_diffed_with_itself_is_all_unchanged(version: list[tuple[str, str]]) -> None:
    result = diff_versions(version, version)
    assert [d.key for d in result] == [k for k, _ in version]
    assert all(d.change is Change.UNCHANGED for d in result)
    assert all(w.op is Op.EQUAL for d in result for w in d.words)


@given(versions, versions)
def test_every_provision_appears_once_and_reproduces_both_texts(
    old: list[tuple[str, str]], new: list[tuple[str, str]]
) -> None:
    result = diff_versions(old, new)
    assert sorted(d.key for d in result) == sorted({k for k, _ in old} | {k for k, _ in new})
    # The new version's order is kept.
    assert [d.key for d in result if d.change is not Change.REMOVED] == [k for k, _ in new]
    old_texts, new_texts = dict(old), dict(new)
    for d in result:
        assert d.old_text == old_texts.get(d.key)
        assert d.new_text == new_texts.get(d.key)
        assert old_of(d.words) == (d.old_text or "")
        assert new_of(d.words) == (d.new_text or "")


def test_changes_are_classified() -> None:
    old = [("pp1", "Recalling the Charter,"), ("op1", "A."), ("op2", "B."), ("op3", "C.")]
    new = [("pp1", "Recalling the SCO Charter,"), ("op2", "B."), ("op1", "A."), ("op4", "D.")]
    result = diff_versions(old, new)
    assert [(d.key, d.change) for d in result] == [
        ("pp1", Change.CHANGED),
        ("op2", Change.UNCHANGED),
        # A removed provision follows its predecessor in the old version.
        ("op3", Change.REMOVED),
        ("op1", Change.MOVED),
        ("op4", Change.ADDED),
    ]
    assert result[0].words == (
        WordOp(Op.EQUAL, "Recalling the "),
        WordOp(Op.INSERT, "SCO "),
        WordOp(Op.EQUAL, "Charter,"),
    )


def test_chinese_word_diff() -> None:
    words = diff_words("各方同意加强合作。", "各方同意加强全面合作。")
    assert words == (
        WordOp(Op.EQUAL, "各方同意加强"),
        WordOp(Op.INSERT, "全面"),
        WordOp(Op.EQUAL, "合作。"),
    )


def test_html_escapes_and_marks_changes() -> None:
    words = diff_words("a <b> & c", "a <i> & c")
    rendered = words_html(words)
    assert rendered == "a &lt;<del>b</del><ins>i</ins>&gt; &amp; c"
    assert "<b>" not in rendered


def test_removed_and_added_provisions_render_whole() -> None:
    (removed,) = diff_versions([("op1", "Old <text>")], [])
    assert removed == ProvisionDiff(
        "op1", Change.REMOVED, "Old <text>", None, (WordOp(Op.DELETE, "Old <text>"),)
    )
    assert words_html(removed.words) == "<del>Old &lt;text&gt;</del>"
    (added,) = diff_versions([], [("op1", "")])
    assert added == ProvisionDiff("op1", Change.ADDED, None, "", ())
