"""Provision-by-provision, word-by-word comparison of two versions in one language.

Provisions keep stable keys across versions, so they are matched by key, not by text: a
reworded paragraph shows as changed, not as one removal and one addition. Within a
provision the diff runs over word tokens, computed by diff-match-patch on a token-to-
character encoding (its documented "line mode" trick, applied to words). Chinese and
Japanese are written without spaces, so each CJK character is its own token.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

# The package ships no type information; it is only called through diff_words below.
from diff_match_patch import diff_match_patch  # type: ignore[import-untyped, unused-ignore]


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    # Present in both versions but out of its former order (its text may also differ).
    MOVED = "moved"


class Op(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class WordOp:
    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class ProvisionDiff:
    """One provision's change. ``old_text`` is ``None`` when added, ``new_text`` when removed.

    Joining the texts of ``equal`` and ``delete`` ops gives ``old_text`` (or ``""``); of
    ``equal`` and ``insert`` ops gives ``new_text`` (or ``""``).
    """

    key: str
    change: Change
    old_text: str | None
    new_text: str | None
    words: tuple[WordOp, ...]


_CJK = (
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3005-\u3007\u3021-\u3029"  # ideographic iteration mark, numerals
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # unified and compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B and later
)
# Alternatives in priority order; together they match every character, so the tokens of a
# text always join back to it. ``\w`` would swallow CJK runs whole, hence the exclusion.
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|.", re.DOTALL)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into words, whitespace runs, single punctuation marks and single CJK
    characters; ``"".join(tokenize(t)) == t``."""
    return _TOKEN.findall(text)


#: The largest (old tokens x new tokens) diffed word by word. The diff's cost grows with
#: both lengths; past this an anonymous request could hold a worker for many seconds (16 s
#: for two long provisions, issue 13), so such a pair is diffed sentence by sentence, and
#: past it again as one replacement. A bound on size, not on time: the same two versions
#: always diff the same way, on any machine.
WORD_BUDGET = 4_000_000

# A sentence with the spaces after it: the coarser unit of a long diff.
_SENTENCE = re.compile(r"[^.!?;。！？；\n]*(?:[.!?;。！？；\n]+|$)\s*")


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence mark; ``"".join(sentences(t)) == t``."""
    return [s for s in _SENTENCE.findall(text) if s]


@lru_cache(maxsize=256)
def diff_words(old: str, new: str) -> tuple[WordOp, ...]:
    """Edit script turning ``old`` into ``new``; adjacent ops never share a kind.

    Word by word when ``len(old) x len(new)`` in tokens is within ``WORD_BUDGET``, else
    sentence by sentence, else one delete and one insert. Cached: a pair of versions is
    diffed once per process (the result is immutable)."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if len(old_tokens) * len(new_tokens) > WORD_BUDGET:
        old_tokens, new_tokens = sentences(old), sentences(new)
        if len(old_tokens) * len(new_tokens) > WORD_BUDGET:
            if old == new:
                return (WordOp(Op.EQUAL, old),)
            return tuple(op for op in (WordOp(Op.DELETE, old), WordOp(Op.INSERT, new)) if op.text)
    return _diff_tokens(old_tokens, new_tokens)


def _diff_tokens(old_tokens: Sequence[str], new_tokens: Sequence[str]) -> tuple[WordOp, ...]:
    vocabulary: dict[str, str] = {}

    def encode(tokens: Sequence[str]) -> str:
        # Each distinct token becomes one private code point; skipping the surrogate block
        # keeps every code valid in a Python str.
        chars = []
        for token in tokens:
            if token not in vocabulary:
                n = len(vocabulary)
                vocabulary[token] = chr(0x10000 + n if n < 0xD800 - 0x10000 else n + 0x800)
            chars.append(vocabulary[token])
        return "".join(chars)

    encoded_old, encoded_new = encode(old_tokens), encode(new_tokens)
    decode = {char: token for token, char in vocabulary.items()}
    dmp = diff_match_patch()
    # No timeout: a timed-out diff depends on machine speed, and the same two versions
    # must always diff the same way. Provisions are short enough for an exact diff.
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(encoded_old, encoded_new, False)
    dmp.diff_cleanupSemantic(diffs)
    kinds = {dmp.DIFF_EQUAL: Op.EQUAL, dmp.DIFF_INSERT: Op.INSERT, dmp.DIFF_DELETE: Op.DELETE}
    return _merge(
        WordOp(kinds[kind], "".join(decode[c] for c in chars)) for kind, chars in diffs if chars
    )


def _merge(ops: Iterable[WordOp]) -> tuple[WordOp, ...]:
    merged: list[WordOp] = []
    for op in ops:
        if merged and merged[-1].op is op.op:
            merged[-1] = WordOp(op.op, merged[-1].text + op.text)
        else:
            merged.append(op)
    return tuple(merged)


def _stable_keys(old_keys: Sequence[str], new_keys: Sequence[str]) -> set[str]:
    """Keys of a longest common subsequence of the two orders: those that did not move."""
    rows, cols = len(old_keys), len(new_keys)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1
                if old_keys[i] == new_keys[j]
                else max(table[i + 1][j], table[i][j + 1])
            )
    stable: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if old_keys[i] == new_keys[j]:
            stable.add(old_keys[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return stable


def _unique(name: str, provisions: Sequence[tuple[str, str]]) -> dict[str, str]:
    texts = dict(provisions)
    if len(texts) != len(provisions):
        raise ValueError(f"{name} version repeats a provision key")
    return texts


def diff_versions(
    old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]
) -> list[ProvisionDiff]:
    """Compare two versions given as ordered ``(key, text)`` pairs in one language.

    Precondition: keys are unique within each version (``ValueError`` otherwise). The
    result follows the new version's order; a removed provision follows the provision that
    preceded it in the old version (or comes first). A provision present in both whose
    relative order changed is ``moved``, found as the complement of a longest common
    subsequence of the two key orders, so one paragraph moving does not mark all others.
    """
    old_texts, new_texts = _unique("old", old), _unique("new", new)
    common_old = [key for key, _ in old if key in new_texts]
    common_new = [key for key, _ in new if key in old_texts]
    stable = _stable_keys(common_old, common_new)

    # Removed provisions, grouped under the nearest earlier key that survives.
    after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for key, _ in old:
        if key in new_texts:
            anchor = key
        else:
            after.setdefault(anchor, []).append(key)

    def removed(anchor_key: str | None) -> list[ProvisionDiff]:
        return [
            ProvisionDiff(
                key,
                Change.REMOVED,
                old_texts[key],
                None,
                _merge([WordOp(Op.DELETE, old_texts[key])]) if old_texts[key] else (),
            )
            for key in after.get(anchor_key, [])
        ]

    result = removed(None)
    for key, text in new:
        if key not in old_texts:
            words = (WordOp(Op.INSERT, text),) if text else ()
            result.append(ProvisionDiff(key, Change.ADDED, None, text, words))
        else:
            before = old_texts[key]
            if key not in stable:
                change = Change.MOVED
            elif before == text:
                change = Change.UNCHANGED
            else:
                change = Change.CHANGED
            result.append(ProvisionDiff(key, change, before, text, diff_words(before, text)))
        # A removed provision anchored on a moved one still follows it, wherever it went.
        result.extend(removed(key))
    return result


def words_html(words: Sequence[WordOp]) -> str:
    """HTML for one provision's word ops: text escaped, insertions in ``<ins>``, deletions
    in ``<del>``. Safe to mark safe in a template, as every piece of text is escaped here."""
    parts = []
    for word in words:
        text = html.escape(word.text, quote=True)
        if word.op is Op.INSERT:
            parts.append(f"<ins>{text}</ins>")
        elif word.op is Op.DELETE:
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return "".join(parts)
