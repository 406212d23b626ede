"""Text as the full-text index sees it (pure: no Django).

Chinese and Japanese are written without spaces, so a word tokenizer sees a whole sentence
as one token and a search for one word of it finds nothing. Each CJK character becomes a
token of its own, and a query becomes a phrase of those tokens: "合作" matches the two
characters side by side, wherever they stand. Other scripts keep their words.
"""

from __future__ import annotations

import re

_CJK = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f])"
)
_SPACE = re.compile(r"\s+")
#: What a word is for the query: letters, digits and CJK characters; punctuation splits.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def for_index(text: str) -> str:
    """``text`` with every CJK character standing alone, white space folded."""
    return _SPACE.sub(" ", _CJK.sub(r" \1 ", text)).strip()


def query_terms(query: str) -> list[list[str]]:
    """The phrases a query asks for, each a list of tokens: every phrase must occur.

    >>> query_terms("Astana 合作")
    [['astana'], ['合', '作']]
    """
    phrases = []
    for word in _WORD.findall(query.lower()):
        tokens = for_index(word).split(" ")
        phrases.append([t for t in tokens if t])
    return [p for p in phrases if p]
