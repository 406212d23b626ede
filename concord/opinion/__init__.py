"""The opinion map of a consultation, computed the way Pol.is does, from sparse votes.

Pure: numpy, scipy and scikit-learn only, no Django (``tests/test_architecture.py`` and
``concord/opinion/tests`` check it). ``compute_map(VoteMatrix) -> OpinionMap`` is the one
entry point of the math; ``polis`` reads and writes Pol.is exports; ``cli`` is
``concord polis map``.

The names below load on first use: reading an export needs neither scikit-learn nor the
statistics, so ``concord polis map`` imports them while it reads (most of a second).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concord.opinion.compute import (
        Group,
        MapParameters,
        OpinionMap,
        StatementRef,
        compute_map,
        library_versions,
    )
    from concord.opinion.matrix import VoteMatrix
    from concord.opinion.stats import GroupCounts, group_counts, group_informed_consensus

_HOME = {
    "Group": "compute",
    "MapParameters": "compute",
    "OpinionMap": "compute",
    "StatementRef": "compute",
    "compute_map": "compute",
    "library_versions": "compute",
    "VoteMatrix": "matrix",
    "GroupCounts": "stats",
    "group_counts": "stats",
    "group_informed_consensus": "stats",
}

__all__ = [
    "Group",
    "GroupCounts",
    "MapParameters",
    "OpinionMap",
    "StatementRef",
    "VoteMatrix",
    "compute_map",
    "group_counts",
    "group_informed_consensus",
    "library_versions",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
