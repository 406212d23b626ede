"""Document symbols: one pattern per deployment, with revisions, addenda and corrigenda.

A symbol is the same in every language. The base pattern is configurable with the setting
``CONCORD_SYMBOL_PATTERN`` (a regular expression for the base symbol, without suffixes);
the suffixes follow the United Nations convention: ``/Rev.N`` for a revised text (a
consolidated version after the first), ``/Add.N`` for an addendum and ``/Corr.N`` for a
corrigendum, e.g. ``SCO/CHS/2024/DEC.1/Rev.2``, ``SCO/CHS/2024/DEC.1/Add.1``.
"""

from __future__ import annotations

import re

from django.conf import settings

#: Letters, digits and ``. - _`` in slash-separated parts, starting with an upper-case part.
DEFAULT_PATTERN = r"[A-Z][A-Z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)+"
SUFFIX = re.compile(r"/(Rev|Add|Corr)\.([1-9][0-9]*)")
SUFFIXES = ("Rev", "Add", "Corr")


def base_pattern() -> str:
    return str(getattr(settings, "CONCORD_SYMBOL_PATTERN", DEFAULT_PATTERN))


def split(symbol: str) -> tuple[str, list[tuple[str, int]]]:
    """``("SCO/X/1", [("Add", 1)])`` for ``SCO/X/1/Add.1``: the base and its suffixes."""
    suffixes: list[tuple[str, int]] = []
    rest = symbol
    while True:
        match = None
        for m in SUFFIX.finditer(rest):
            match = m
        if match is None or match.end() != len(rest):
            break
        suffixes.insert(0, (match.group(1), int(match.group(2))))
        rest = rest[: match.start()]
    return rest, suffixes


#: An addendum or corrigendum suffix (``/Add.1``, ``/Corr.2``).
_ADD_OR_CORR = r"/(?:Add|Corr)\.[1-9][0-9]*"


def pattern() -> str:
    """The regular expression a submitted symbol matches as a whole: the base pattern, then
    at most two addendum or corrigendum suffixes, and never a revision suffix (a revision is
    issued as a version of its document, never submitted as a document). The API schema
    states this same expression (``DocumentIn.symbol``), so a symbol it allows is valid here.
    The lookaheads are in both Python's and ECMAScript's syntax."""
    return (
        rf"(?!.*/Rev\.[1-9][0-9]*(?:{_ADD_OR_CORR})*$)"
        rf"(?!.*(?:{_ADD_OR_CORR}){{3}}$)"
        rf"(?:{base_pattern()})(?:{_ADD_OR_CORR}){{0,2}}"
    )


def is_valid(symbol: str) -> bool:
    return re.fullmatch(pattern(), symbol) is not None


def addendum_parent(symbol: str) -> str | None:
    """The symbol an addendum or corrigendum belongs to (``None`` for a base symbol)."""
    base, suffixes = split(symbol)
    if not suffixes:
        return None
    return base + "".join(f"/{k}.{n}" for k, n in suffixes[:-1])


def of_version(symbol: str, number: int) -> str:
    """The symbol of version ``number``: the first carries the document's symbol, each later
    consolidated version is a revision (``/Rev.1`` for version 2...)."""
    return symbol if number <= 1 else f"{symbol}/Rev.{number - 1}"
