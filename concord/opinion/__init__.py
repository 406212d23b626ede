"""The opinion map of a consultation, computed the way Pol.is does, from sparse votes.

Pure: numpy, scipy and scikit-learn only, no Django (``tests/test_architecture.py`` and
``concord/opinion/tests`` check it). ``compute_map(VoteMatrix) -> OpinionMap`` is the one
entry point of the math; ``polis`` reads and writes Pol.is exports; ``cli`` is
``concord polis map``.
"""

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
