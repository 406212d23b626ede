"""The sparse vote matrix the opinion map is computed from.

Votes are +1 agree, -1 disagree and 0 pass. A pass is a vote (the participant saw the
statement), a missing entry is not, so the matrix is stored as CSR arrays whose pattern is
the "seen" pattern and whose values may be explicit zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]

# Work through arrays of tens of millions of votes in pieces of this many entries.
_CHUNK = 1 << 22


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants x statements votes, sparse.

    Shapes (P participants, S statements, N votes):
    - ``participant_ids`` (P,) and ``statement_ids`` (S,): the caller's own ids, row and
      column order.
    - ``indptr`` (P+1,) int64, ``indices`` (N,) int32, ``values`` (N,) int8 in {-1, 0, 1}:
      CSR arrays, column indices sorted and unique within a row. An entry present with value
      0 is a pass; an absent entry is "not seen".
    - ``moderated_out`` (S,) bool: statements whose votes count as 0 (Pol.is keeps their
      column but zeroes it) and which are never reported as representative or consensus.

    Build it with :meth:`from_triples`; the constructor trusts its arrays.
    """

    participant_ids: npt.NDArray[Any]
    statement_ids: npt.NDArray[Any]
    indptr: IntArray
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.int8]
    moderated_out: npt.NDArray[np.bool_]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    @property
    def n_votes(self) -> int:
        return len(self.values)

    def votes_csr(self) -> sp.csr_matrix:
        """(P, S) float64 CSR of the votes, passes kept as explicit zeros."""
        return sp.csr_matrix(
            (self.values.astype(np.float64), self.indices, self.indptr), shape=self.shape
        )

    def row_of_entries(self) -> npt.NDArray[np.int32]:
        """(N,) the row (participant index) of every stored vote."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int32), np.diff(self.indptr))

    @classmethod
    def from_triples(
        cls,
        participant_ids: Sequence[Any] | npt.ArrayLike,
        statement_ids: Sequence[Any] | npt.ArrayLike,
        votes: Sequence[int] | npt.ArrayLike,
        *,
        all_participant_ids: Sequence[Any] | npt.ArrayLike | None = None,
        all_statement_ids: Sequence[Any] | npt.ArrayLike | None = None,
        moderated_out_ids: Sequence[Any] | npt.ArrayLike | None = None,
    ) -> VoteMatrix:
        """Build from parallel (N,) arrays of participant id, statement id and vote.

        When a (participant, statement) pair occurs more than once, the later triple in the
        given order wins (pass the triples in time order). ``all_*_ids`` add rows/columns
        without votes (e.g. statements nobody voted on still count towards the number of
        statements, as in Pol.is); ids are sorted. ``moderated_out_ids`` lists statements
        moderated out. Raises ``ValueError`` on mismatched lengths or votes outside
        {-1, 0, 1}.
        """
        pids = np.asarray(participant_ids)
        sids = np.asarray(statement_ids)
        vals = np.asarray(votes)
        if not (pids.ndim == sids.ndim == vals.ndim == 1):
            raise ValueError("participant_ids, statement_ids and votes must be 1-D")
        if not (len(pids) == len(sids) == len(vals)):
            raise ValueError(
                f"triples of unequal length: {len(pids)} participants, {len(sids)} "
                f"statements, {len(vals)} votes"
            )
        if len(vals) and not np.issubdtype(vals.dtype, np.number):
            raise ValueError("votes must be numbers in {-1, 0, 1}")
        if len(vals) and (vals.min() < -1 or vals.max() > 1 or not _integral(vals)):
            raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
        p_uniq, p_idx = _index(pids, all_participant_ids)
        s_uniq, s_idx = _index(sids, all_statement_ids)
        indptr, indices, values = _csr_keep_last(
            p_idx, s_idx, vals.astype(np.int8), len(p_uniq), len(s_uniq)
        )
        mod = np.zeros(len(s_uniq), dtype=bool)
        if moderated_out_ids is not None:
            mod_ids = np.asarray(moderated_out_ids)
            if len(mod_ids):
                mod = np.isin(s_uniq, mod_ids)
        return cls(p_uniq, s_uniq, indptr, indices, values, mod)


def _integral(vals: npt.NDArray[Any]) -> bool:
    if np.issubdtype(vals.dtype, np.integer):
        return True
    return bool(np.all(vals == np.round(vals)))


def _index(
    ids: npt.NDArray[Any], extra: Sequence[Any] | npt.ArrayLike | None
) -> tuple[npt.NDArray[Any], npt.NDArray[np.integer[Any]]]:
    """Sorted unique ids and the (N,) index of each of ``ids`` among them.

    Non-negative integer ids that are not too spread out use an O(N) lookup table instead
    of a sort: exports number participants 0..P-1, and at 25M votes the sort is seconds.
    """
    extra_arr = np.asarray(extra) if extra is not None else ids[:0]
    if (
        np.issubdtype(ids.dtype, np.integer)
        and (len(extra_arr) == 0 or np.issubdtype(extra_arr.dtype, np.integer))
        and len(ids) + len(extra_arr) > 0
    ):
        both_min = min(
            int(ids.min()) if len(ids) else 0, int(extra_arr.min()) if len(extra_arr) else 0
        )
        both_max = max(
            int(ids.max()) if len(ids) else 0, int(extra_arr.max()) if len(extra_arr) else 0
        )
        if both_min >= 0 and both_max <= 4 * (len(ids) + len(extra_arr)) + 1_000_000:
            present = np.zeros(both_max + 1, dtype=bool)
            present[ids] = True
            present[extra_arr.astype(np.int64)] = True
            uniq = np.flatnonzero(present).astype(np.int64)
            lookup = np.cumsum(present, dtype=np.int64) - 1
            # int32 halves the largest temporaries; the packing below widens again.
            small = np.int32 if len(uniq) < 2**31 else np.int64
            return uniq, lookup.astype(small)[ids]
    if len(extra_arr):
        uniq = np.unique(np.concatenate([ids, extra_arr]))
        return uniq, np.searchsorted(uniq, ids)
    uniq, inv = np.unique(ids, return_inverse=True)
    return uniq, inv.reshape(-1)


def _csr_keep_last(
    p_idx: npt.NDArray[np.integer[Any]],
    s_idx: npt.NDArray[np.integer[Any]],
    vals: npt.NDArray[np.int8],
    n_p: int,
    n_s: int,
) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.int8]]:
    """CSR arrays from COO triples; among duplicates the last one in input order wins.

    One int64 work array of N entries, sorted in place; everything else is worked through
    in chunks, so at 25M votes the peak is that array (200 MB) plus the int32 / int8
    outputs, not a handful of 200 MB temporaries.
    """
    n = len(vals)
    width = max(n_s, 1)
    packed = p_idx.astype(np.int64)
    packed *= width
    packed += s_idx
    if n and n_p * width * n < 2**62:
        # Pack (row, column, input position) into one int64 and sort in place: np.sort is
        # an order of magnitude faster than a stable argsort at tens of millions of votes.
        packed *= n
        for lo in range(0, n, _CHUNK):
            packed[lo : lo + _CHUNK] += np.arange(lo, min(lo + _CHUNK, n), dtype=np.int64)
        packed.sort()
        values = np.empty(n, dtype=np.int8)
        for lo in range(0, n, _CHUNK):
            chunk = packed[lo : lo + _CHUNK]
            values[lo : lo + _CHUNK] = vals[chunk % n]
            chunk //= n
    else:
        pos = np.argsort(packed, kind="stable")
        packed = packed[pos]
        values = vals[pos]
        del pos
    last = np.ones(n, dtype=bool)
    if n > 1:
        np.not_equal(packed[1:], packed[:-1], out=last[:-1])
    if not last.all():
        packed = packed[last]
        values = values[last]
    del last
    # Keys are sorted by row, so each row's first entry is found by binary search.
    indptr = np.searchsorted(packed, np.arange(n_p + 1, dtype=np.int64) * width).astype(np.int64)
    indices = np.empty(len(packed), dtype=np.int32)
    for lo in range(0, len(packed), _CHUNK):
        indices[lo : lo + _CHUNK] = packed[lo : lo + _CHUNK] % width
    return indptr, indices, values
