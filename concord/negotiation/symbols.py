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


def is_valid(symbol: str) -> bool:
    base, suffixes = split(symbol)
    if not re.fullmatch(base_pattern(), base):
        return False
    # A revision is issued as a version of its document, never submitted as a document.
    return all(kind != "Rev" for kind, _ in suffixes) and len(suffixes) <= 2


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
