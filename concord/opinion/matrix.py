"""The sparse vote matrix the opinion map is computed from.

Votes are +1 agree, -1 disagree and 0 pass. A pass is a vote (the participant saw the
statement), a missing entry is not, so the matrix is stored as CSR arrays whose pattern is
the "seen" pattern and whose values may be explicit zeros.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]

# Work through arrays of tens of millions of votes in pieces of this many entries (8 MB of
# int64: small enough for the allocator to reuse rather than map afresh).
_CHUNK = 1 << 20
# The vote keys sort in at most this many pieces, one thread each.
_SORT_THREADS = 4


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
        p_uniq, row_of = _index(pids, all_participant_ids)
        s_uniq, column_of = _index(sids, all_statement_ids)
        indptr, indices, values = _csr_keep_last(
            row_of, column_of, vals.astype(np.int8, copy=False), len(p_uniq), len(s_uniq)
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


# Indices of a slice of the input's votes among the sorted unique ids (rows or columns).
IndexOf = Callable[[slice], npt.NDArray[np.integer[Any]]]


def _index(
    ids: npt.NDArray[Any], extra: Sequence[Any] | npt.ArrayLike | None
) -> tuple[npt.NDArray[Any], IndexOf]:
    """Sorted unique ids, and a function giving the index among them of each of a slice
    of ``ids``: the caller works through tens of millions of votes a piece at a time.

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
            return uniq, lambda part: lookup[ids[part]]
    if len(extra_arr):
        uniq = np.unique(np.concatenate([ids, extra_arr]))
        return uniq, lambda part: np.searchsorted(uniq, ids[part])
    uniq, inv = np.unique(ids, return_inverse=True)
    inv = inv.reshape(-1)
    return uniq, lambda part: inv[part]


def _csr_keep_last(
    row_of: IndexOf,
    column_of: IndexOf,
    vals: npt.NDArray[np.int8],
    n_p: int,
    n_s: int,
) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.int8]]:
    """CSR arrays from COO triples; among duplicates the last one in input order wins.

    (row, column, input position) are packed into the bits of one int64 key per vote, a
    piece of the input at a time, and the keys sorted in place, in as many pieces as there
    are cores (a partition first, so the sorted pieces follow each other). Everything else
    is worked through in pieces with one reused buffer: at 25M votes the peak is the key
    array (200 MB) plus the int32 / int8 outputs, and no large temporary is paged in and
    out again.
    """
    n = len(vals)
    s_bits = max(n_s - 1, 1).bit_length()
    n_bits = max(n - 1, 1).bit_length()
    if max(n_p - 1, 1).bit_length() + s_bits + n_bits > 63:
        return _csr_keep_last_argsort(row_of, column_of, vals, n_p, n_s)
    keys = np.empty(n, dtype=np.int64)
    positions = np.empty(min(n, _CHUNK), dtype=np.int64)
    for lo in range(0, n, _CHUNK):
        part = slice(lo, min(lo + _CHUNK, n))
        key = keys[part]
        key[:] = row_of(part)
        key <<= s_bits
        key |= column_of(part)
        key <<= n_bits
        piece = positions[: len(key)]
        piece[:] = np.arange(lo, lo + len(key), dtype=np.int64)
        key |= piece
    del positions
    _sort_in_pieces(keys)
    keys, values = _last_votes(keys, vals, n_bits)
    # Keys are sorted by row, so each row's first entry is found by binary search.
    indptr = np.searchsorted(keys, np.arange(n_p + 1, dtype=np.int64) << s_bits)
    indices = _low_bits(keys, s_bits)
    return indptr.astype(np.int64, copy=False), indices, values


def _last_votes(
    keys: IntArray,
    vals: npt.NDArray[np.int8],
    n_bits: int,
    times: npt.NDArray[np.integer[Any]] | None = None,
) -> tuple[IntArray, npt.NDArray[np.int8]]:
    """Sorted ``keys`` whose low ``n_bits`` are each vote's position in ``vals`` -> the keys
    without the position, one per run of equal ones, and their votes. The last of each run
    wins, or with ``times`` (by position) the latest, ties going to the later position.
    Shifts ``keys`` in place."""
    n = len(keys)
    winner = None
    if times is not None and n > 1:
        # Keys of one pair differ only in the position bits. Re-votes are rare, so only
        # their runs are ranked by time.
        same = np.empty(n - 1, dtype=bool)
        for lo in range(0, n - 1, _CHUNK):
            hi = min(lo + _CHUNK, n - 1)
            np.less(keys[lo + 1 : hi + 1] ^ keys[lo:hi], 1 << n_bits, out=same[lo:hi])
        repeated = np.flatnonzero(same)
        if len(repeated):
            members = np.union1d(repeated, repeated + 1)
            run = np.cumsum(np.concatenate([[True], ~same[members[:-1]]]))
            when = times[keys[members] & ((1 << n_bits) - 1)]
            ranked = members[np.lexsort((members, when, run))]
            last_of_run = np.append(run[1:] != run[:-1], True)
            winner = np.ones(n, dtype=bool)
            winner[:-1] = ~same
            winner[members] = False
            winner[ranked[last_of_run]] = True
    values = np.empty(n, dtype=np.int8)
    positions = np.empty(min(n, _CHUNK), dtype=np.int64)
    for lo in range(0, n, _CHUNK):
        piece = positions[: min(_CHUNK, n - lo)]
        np.bitwise_and(keys[lo : lo + len(piece)], (1 << n_bits) - 1, out=piece)
        values[lo : lo + len(piece)] = vals[piece]
    keys >>= n_bits
    if winner is not None:
        return keys[winner], values[winner]
    return _last_of_each_key(keys, values)


def _low_bits(
    keys: IntArray, bits: int, lookup: npt.NDArray[np.integer[Any]] | None = None
) -> npt.NDArray[np.int32]:
    """(N,) int32: the low ``bits`` of each key (a column), through ``lookup`` if given."""
    out = np.empty(len(keys), dtype=np.int32)
    piece = np.empty(min(len(keys), _CHUNK), dtype=np.int64)
    for lo in range(0, len(keys), _CHUNK):
        part = piece[: min(_CHUNK, len(keys) - lo)]
        np.bitwise_and(keys[lo : lo + len(part)], (1 << bits) - 1, out=part)
        out[lo : lo + len(part)] = part if lookup is None else lookup[part]
    return out


def _sort_in_pieces(keys: IntArray) -> None:
    """Sort distinct ``keys`` in place on up to ``_SORT_THREADS`` cores: a partition puts
    each piece's keys between its neighbours', then the pieces sort in threads (numpy's
    sort releases the GIL). The result is the same whatever the number of pieces."""
    pieces = min(_SORT_THREADS, os.cpu_count() or 1, max(len(keys) // _CHUNK, 1))
    if pieces == 1:
        keys.sort()
        return
    cuts = [len(keys) * i // pieces for i in range(pieces + 1)]
    keys.partition(cuts[1:-1])
    with ThreadPoolExecutor(max_workers=pieces) as pool:
        list(pool.map(np.ndarray.sort, [keys[a:b] for a, b in itertools.pairwise(cuts)]))


def _csr_keep_last_argsort(
    row_of: IndexOf,
    column_of: IndexOf,
    vals: npt.NDArray[np.int8],
    n_p: int,
    n_s: int,
) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.int8]]:
    """:func:`_csr_keep_last` for matrices too large to pack a vote into 63 bits: a stable
    argsort of (row, column) keys, slower and with larger temporaries."""
    width = max(n_s, 1)
    everything = slice(None)
    keys = row_of(everything).astype(np.int64) * width + column_of(everything)
    pos = np.argsort(keys, kind="stable")
    keys = keys[pos]
    values = vals[pos]
    del pos
    keys, values = _last_of_each_key(keys, values)
    indptr = np.searchsorted(keys, np.arange(n_p + 1, dtype=np.int64) * width).astype(np.int64)
    return indptr, (keys % width).astype(np.int32), values


def _last_of_each_key(
    keys: IntArray, values: npt.NDArray[np.int8]
) -> tuple[IntArray, npt.NDArray[np.int8]]:
    """Sorted ``keys`` (equal ones in input order) reduced to the last of each run, with
    its value; the arrays themselves when no key repeats."""
    last = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        np.not_equal(keys[1:], keys[:-1], out=last[:-1])
    if last.all():
        return keys, values
    return keys[last], values[last]


# Statement ids above this many bits take the general path (the packed reader keeps a
# table of the statement ids it has seen).
_MAX_STATEMENT_BITS = 24


class PackedVotes:
    """A vote file's votes packed into sort keys as they are read, block by block in file
    order: the fast way from a large export to a :class:`VoteMatrix`, with no id arrays to
    concatenate or map to rows before the sort.

    Each vote is one int64 key, ``(participant id << s_bits | statement id) << n_bits |
    position``, its vote and its time in parallel arrays. Sorted, the keys list each
    participant's votes by statement; of a pair's re-votes the latest counts, ties going
    to the later in the file (what :meth:`VoteMatrix.from_triples` keeps from the votes
    sorted stably by time). Exports list votes by statement, not by time, and only the
    re-votes are ranked by time, never the whole file. ``n_bits`` is fixed by
    ``max_votes``; ``s_bits`` widens, repacking the keys so far, when a larger statement id
    arrives; participant ids take the bits left. The arrays are sized for ``max_votes`` at
    the start, but only the pages votes are written to are ever touched.

    :meth:`add` returns False for a block it cannot pack (a negative id, ids too wide for
    63 bits, a vote outside -1..1, more than ``max_votes`` votes): the caller then takes
    the general path.
    """

    def __init__(self, max_votes: int, statement_ids: npt.ArrayLike = ()) -> None:
        self._n_bits = max(max_votes - 1, 1).bit_length()
        self._keys = np.empty(max_votes, dtype=np.int64)
        self._votes = np.empty(max_votes, dtype=np.int8)
        self._times = np.empty(max_votes, dtype=np.int64)
        self._n = 0
        self._max_participant = 0
        known = np.asarray(statement_ids, dtype=np.int64)
        widest = int(known.max()) if len(known) else 0
        self._s_bits = max(widest, 1).bit_length()
        self._seen = np.zeros(1 << self._s_bits, dtype=bool)  # statement ids voted on

    def add(
        self,
        participant_ids: npt.NDArray[np.integer[Any]],
        statement_ids: npt.NDArray[np.integer[Any]],
        votes: npt.NDArray[np.integer[Any]],
        times: npt.NDArray[np.integer[Any]],
    ) -> bool:
        """Pack the next block of votes (parallel arrays, in file order)."""
        m = len(votes)
        if m == 0:
            return True
        lo, hi = self._n, self._n + m
        if hi > len(self._keys):
            return False
        if int(votes.min()) < -1 or int(votes.max()) > 1:
            return False
        if int(participant_ids.min()) < 0 or int(statement_ids.min()) < 0:
            return False
        widest = int(statement_ids.max())
        s_bits = max(self._s_bits, widest.bit_length())
        max_participant = max(self._max_participant, int(participant_ids.max()))
        if s_bits > _MAX_STATEMENT_BITS or (
            max_participant.bit_length() + s_bits + self._n_bits > 63
        ):
            return False
        if s_bits > self._s_bits:
            self._widen(s_bits)
        self._max_participant = max_participant
        key = self._keys[lo:hi]
        key[:] = participant_ids
        key <<= self._s_bits
        key |= statement_ids
        key <<= self._n_bits
        key |= np.arange(lo, hi, dtype=np.int64)
        self._votes[lo:hi] = votes
        self._times[lo:hi] = times
        self._seen[statement_ids] = True
        self._n = hi
        return True

    def _widen(self, s_bits: int) -> None:
        """Repack the keys so far with ``s_bits`` bits for the statement id."""
        old, mask = self._s_bits, (1 << self._n_bits) - 1
        for lo in range(0, self._n, _CHUNK):
            key = self._keys[lo : min(lo + _CHUNK, self._n)]
            position = key & mask
            key >>= self._n_bits
            statement = key & ((1 << old) - 1)
            key >>= old
            key <<= s_bits
            key |= statement
            key <<= self._n_bits
            key |= position
        seen = np.zeros(1 << s_bits, dtype=bool)
        seen[: len(self._seen)] = self._seen
        self._seen, self._s_bits = seen, s_bits

    def matrix(
        self,
        all_statement_ids: npt.ArrayLike = (),
        moderated_out_ids: npt.ArrayLike = (),
    ) -> VoteMatrix:
        """The matrix of the votes added, as :meth:`VoteMatrix.from_triples` builds it from
        the same votes in time order (``all_statement_ids`` and ``moderated_out_ids`` as
        there). The packed arrays are consumed: call once."""
        n, n_bits, s_bits = self._n, self._n_bits, self._s_bits
        keys = self._keys[:n]
        _sort_in_pieces(keys)
        keys, values = _last_votes(keys, self._votes[:n], n_bits, self._times[:n])
        # Let the buffers go (the keys returned may be a view of one).
        self._keys = self._times = np.zeros(0, dtype=np.int64)
        self._votes = np.zeros(0, dtype=np.int8)
        indptr, participant_ids = _row_starts(keys, s_bits)
        given = np.asarray(all_statement_ids, dtype=np.int64)
        if len(given) and int(given.min()) < 0:
            raise ValueError("statement ids must not be negative")
        present = self._seen
        if len(given):
            present = np.zeros(max(len(present), int(given.max()) + 1), dtype=bool)
            present[: len(self._seen)] = self._seen
            present[given] = True
        statement_ids = np.flatnonzero(present).astype(np.int64)
        column_of = np.cumsum(present, dtype=np.int64) - 1
        indices = _low_bits(keys, s_bits, column_of)
        mod_ids = np.asarray(moderated_out_ids)
        mod = (
            np.isin(statement_ids, mod_ids) if len(mod_ids) else np.zeros(len(statement_ids), bool)
        )
        return VoteMatrix(participant_ids, statement_ids, indptr, indices, values, mod)


def _row_starts(keys: IntArray, s_bits: int) -> tuple[IntArray, IntArray]:
    """Sorted ``row << s_bits | column`` keys -> (R+1,) indptr and (R,) the rows that occur."""
    parts: list[IntArray] = []
    previous: int | None = None
    for lo in range(0, len(keys), _CHUNK):
        row = keys[lo : lo + _CHUNK] >> s_bits
        if previous is None or int(row[0]) != previous:
            parts.append(np.array([lo], dtype=np.int64))
        parts.append(np.flatnonzero(row[1:] != row[:-1]).astype(np.int64) + (lo + 1))
        previous = int(row[-1])
    starts = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    rows = keys[starts] >> s_bits
    return np.append(starts, len(keys)).astype(np.int64), rows.astype(np.int64)
