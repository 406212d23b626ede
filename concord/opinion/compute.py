"""The opinion map: Pol.is's projection, clustering and statement statistics, sparse.

P participants, S statements, N votes. Memory and time are O(N + P + S) apart from the
S x S Gram matrix used when S is small; no P x S dense array is ever built.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import sklearn
from scipy.spatial import cKDTree
from sklearn.cluster import KMeans

from concord.opinion import stats
from concord.opinion.matrix import VoteMatrix

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Above this many votes ARPACK's sparse products run on _ROW_BLOCKS row blocks in threads.
_BLOCKED_MIN_VOTES = 1_000_000
_ROW_BLOCKS = 4
# Up to this many statements the S x S Gram matrix is formed and diagonalised exactly
# (at most 8 MB); beyond it, ARPACK works from sparse products only.
_GRAM_MAX_STATEMENTS = 1000
# ARPACK stops when the singular values are this close (relative; 1e-10 on the
# eigenvalues of X'X it works on). The axes then agree with the exact eigenvectors to
# better than 1e-8 even when the leading singular values nearly tie (test_properties.py),
# far below any distance the clustering resolves; 1e-7 cost a third more sparse products
# (58 against 40 at 1M x 5,000) for axes that moved by 1e-11.
_ARPACK_TOL = 1e-5
# Above this many clustered participants the 100 base centres are fitted on an evenly
# spread, seeded sample and every participant then joins its nearest centre (one full
# assignment and centre update). Pol.is itself switches to mini-batches above 10,000.
_BASE_SAMPLE = 50_000
# Group refinement runs on at most this many participants (seeded sample), silhouettes on
# at most _SILHOUETTE_SAMPLE (quadratic); everyone then joins the nearest group centre.
_REFINE_SAMPLE = 10_000
_SILHOUETTE_SAMPLE = 2_000


@dataclass(frozen=True)
class MapParameters:
    """Parameters of the computation (Pol.is's values by default)."""

    min_votes: int = 7
    min_clustered: int = 15
    n_base_clusters: int = 100
    max_groups: int = 5
    group_inits: int = 20
    max_representative: int = 5
    max_consensus: int = 5
    max_divisive: int = 5


@dataclass(frozen=True)
class StatementRef:
    """A statement (column index into the vote matrix) and the direction it stands for."""

    statement: int
    direction: str  # "agree" or "disagree"


@dataclass(frozen=True)
class Group:
    """An opinion group: its id (0..G-1, by decreasing size), size, representatives."""

    id: int
    size: int
    representative: tuple[StatementRef, ...]


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The result of :func:`compute_map`. P participants, S statements, B base clusters,
    G groups; indices refer to rows/columns of the input :class:`VoteMatrix`.

    - ``coordinates`` (P, 2): every participant's projection (clustered or not).
    - ``components`` (2, S), ``center`` (S,): the principal axes and the column means.
    - ``clustered`` (P,) bool: participants admitted to clustering.
    - ``base_labels`` (P,) int: base cluster, -1 when not clustered;
      ``base_centers`` (B, 2), ``base_sizes`` (B,), ``base_groups`` (B,): group of each base.
    - ``group_labels`` (P,) int: group, -1 when not clustered.
    - ``silhouettes``: silhouette of the base centres for each k tried.
    - ``n_agree``, ``n_disagree``, ``n_seen`` (G, S): counts per group;
      ``consensus_agree``/``consensus_disagree`` (S,): group-informed consensus;
      ``divisiveness`` (S,): spread of agree probability across groups.
    """

    n_participants: int
    n_clustered: int
    n_statements: int
    n_votes: int
    random_state: int
    parameters: dict[str, Any]
    versions: dict[str, str]
    coordinates: FloatArray
    components: FloatArray
    center: FloatArray
    clustered: npt.NDArray[np.bool_]
    base_labels: IntArray
    base_centers: FloatArray
    base_sizes: IntArray
    base_groups: IntArray
    group_labels: IntArray
    groups: tuple[Group, ...]
    silhouettes: dict[int, float]
    n_agree: IntArray
    n_disagree: IntArray
    n_seen: IntArray
    consensus_agree: FloatArray
    consensus_disagree: FloatArray
    divisiveness: FloatArray
    consensus: tuple[StatementRef, ...]
    divisive: tuple[int, ...]


def library_versions() -> dict[str, str]:
    return {
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def compute_map(
    votes: VoteMatrix,
    *,
    random_state: int = 0,
    parameters: MapParameters | None = None,
) -> OpinionMap:
    """Compute the opinion map of ``votes`` (see :class:`OpinionMap` for shapes).

    Deterministic for a given ``random_state``. Raises ``ValueError`` when there is no
    vote at all. With one statement, or when everyone passes, the map is degenerate but
    valid (all coordinates 0, one group).
    """
    params = parameters or MapParameters()
    if not isinstance(votes, VoteMatrix):
        raise TypeError("votes must be a VoteMatrix")
    n_p, n_s = votes.shape
    if n_p == 0 or n_s == 0 or votes.n_votes == 0:
        raise ValueError("the vote matrix is empty: an opinion map needs at least one vote")
    if params.n_base_clusters < 2 or not params.max_groups >= 2:
        raise ValueError("n_base_clusters and max_groups must be at least 2")
    if isinstance(random_state, bool) or not isinstance(random_state, int | np.integer):
        raise TypeError("random_state must be an int")
    return _compute(votes, int(random_state), params)


def _compute(votes: VoteMatrix, seed: int, params: MapParameters) -> OpinionMap:
    n_p, n_s = votes.shape
    rng = np.random.default_rng(seed)
    counts_per_row = np.diff(votes.indptr)

    clustered = _admitted(counts_per_row, n_s, params)
    centred, center = _centred(votes)
    components = _principal_axes(centred, rng)
    # Moderated-out columns are zero for everyone in Pol.is, so they count as votes.
    n_votes_scaling = counts_per_row
    if votes.moderated_out.any():
        mod_per_row = np.bincount(
            votes.row_of_entries()[votes.moderated_out[votes.indices]], minlength=n_p
        )
        n_votes_scaling = counts_per_row - mod_per_row + int(votes.moderated_out.sum())
    scale = np.sqrt(n_s / np.maximum(n_votes_scaling, 1))
    coordinates = np.asarray(centred @ components.T) * scale[:, None]

    rows = np.flatnonzero(clustered)
    points = coordinates[rows]
    base_of_point, base_centers = _base_clusters(points, params.n_base_clusters, rng)
    base_sizes = np.bincount(base_of_point, minlength=len(base_centers)).astype(np.int64)
    group_of_point, silhouettes = _groups(
        points, base_of_point, base_centers, base_sizes, params, seed
    )
    group_of_point = _relabel_by_size(group_of_point)
    base_groups = _majority(base_of_point, group_of_point, len(base_centers))
    base_labels = np.full(n_p, -1, dtype=np.int64)
    base_labels[rows] = base_of_point
    group_labels = np.full(n_p, -1, dtype=np.int64)
    group_labels[rows] = group_of_point

    counts = stats.group_counts(votes, group_labels)
    rep = stats.repness(counts)
    eligible = ~votes.moderated_out
    n_groups = counts.n_seen.shape[0]
    groups = []
    for g in range(n_groups):
        chosen = stats.select_representative(rep, g, eligible, counts, params.max_representative)
        groups.append(
            Group(
                id=g,
                size=int((group_of_point == g).sum()),
                representative=tuple(StatementRef(c, _direction(a)) for c, a in chosen),
            )
        )
    gic_agree, gic_disagree = stats.group_informed_consensus(counts)

    # Per statement and value (disagree, pass, agree) in one pass over the votes.
    by_value = np.bincount(
        votes.indices.astype(np.int64) * 3 + (votes.values + 1), minlength=n_s * 3
    ).reshape(n_s, 3)
    agree_ids, disagree_ids = stats.select_consensus(
        by_value[:, 2], by_value[:, 0], by_value.sum(axis=1), eligible, params.max_consensus
    )
    divisive, spread = stats.select_divisive(counts, eligible, params.max_divisive)

    return OpinionMap(
        n_participants=n_p,
        n_clustered=len(rows),
        n_statements=n_s,
        n_votes=votes.n_votes,
        random_state=seed,
        parameters=dict(vars(params)),
        versions=library_versions(),
        coordinates=coordinates,
        components=components,
        center=center,
        clustered=clustered,
        base_labels=base_labels,
        base_centers=base_centers,
        base_sizes=base_sizes,
        base_groups=base_groups,
        group_labels=group_labels,
        groups=tuple(groups),
        silhouettes=silhouettes,
        n_agree=counts.n_agree,
        n_disagree=counts.n_disagree,
        n_seen=counts.n_seen,
        consensus_agree=gic_agree,
        consensus_disagree=gic_disagree,
        divisiveness=spread,
        consensus=tuple(
            [StatementRef(c, "agree") for c in agree_ids]
            + [StatementRef(c, "disagree") for c in disagree_ids]
        ),
        divisive=tuple(divisive),
    )


def _direction(is_agree: bool) -> str:
    return "agree" if is_agree else "disagree"


def _admitted(counts_per_row: IntArray, n_s: int, params: MapParameters) -> npt.NDArray[np.bool_]:
    """(P,) participants admitted: >= min(min_votes, S) votes, topped up to min_clustered
    with the most active voters (ties: lower row first)."""
    admitted = counts_per_row >= min(params.min_votes, n_s)
    missing = params.min_clustered - int(admitted.sum())
    if missing > 0:
        order = np.lexsort((np.arange(len(counts_per_row)), -counts_per_row))
        eligible = order[~admitted[order] & (counts_per_row[order] > 0)]
        admitted[eligible[:missing]] = True
    return admitted


def _centred(votes: VoteMatrix) -> tuple[sp.csr_matrix, FloatArray]:
    """(P, S) CSR of mean-imputed, centred votes, same pattern as the votes, and the (S,)
    column means.

    Imputing a missing vote with its column mean and then subtracting the mean makes it
    exactly 0, so only observed votes need storing: x = v - mean. Moderated-out columns are
    0 everywhere (mean 0, every value 0).
    """
    n_p, n_s = votes.shape
    data = votes.values.astype(np.float64)
    if votes.moderated_out.any():
        data[votes.moderated_out[votes.indices]] = 0.0
    sums = np.bincount(votes.indices, weights=data, minlength=n_s)
    seen = np.bincount(votes.indices, minlength=n_s)
    center = np.divide(sums, seen, out=np.zeros(n_s), where=seen > 0)
    data -= center[votes.indices]
    centred = sp.csr_matrix((data, votes.indices, votes.indptr), shape=(n_p, n_s), copy=False)
    return centred, center


def _principal_axes(centred: sp.csr_matrix, rng: np.random.Generator) -> FloatArray:
    """(2, S) the top two right singular vectors of the centred matrix (zero rows when the
    matrix has fewer than two non-zero directions), each signed so that its largest-magnitude
    entry is positive (determinism)."""
    n_s = centred.shape[1]
    axes = np.zeros((2, n_s))
    if centred.nnz == 0 or not np.any(centred.data):
        return axes
    if n_s <= _GRAM_MAX_STATEMENTS:
        gram = (centred.T @ centred).toarray()
        top = min(2, n_s)
        # Only the top eigenpairs: a full decomposition is many times slower.
        eigval, eigvec = scipy.linalg.eigh(gram, subset_by_index=[n_s - top, n_s - 1])
        order = np.argsort(eigval)[::-1]
        vecs = eigvec[:, order].T
        vals = eigval[order]
    else:
        v0 = rng.standard_normal(n_s)
        with ThreadPoolExecutor(max_workers=min(_ROW_BLOCKS, os.cpu_count() or 1)) as pool:
            operator = _row_blocked(centred, pool) if centred.nnz >= _BLOCKED_MIN_VOTES else centred
            _, sing, vt = spla.svds(operator, k=2, v0=v0, tol=_ARPACK_TOL, maxiter=20 * n_s)
        order = np.argsort(sing)[::-1]
        vecs = vt[order]
        vals = sing[order] ** 2
    scale = max(float(vals[0]), 1e-300)
    for i in range(min(2, len(vals))):
        # Directions with no variance are numerical noise: leave them at zero.
        if vals[i] <= 1e-12 * scale or vals[i] <= 1e-12:
            continue
        v = vecs[i]
        axes[i] = v if v[np.argmax(np.abs(v))] >= 0 else -v
    return axes


def _row_blocked(matrix: sp.csr_matrix, pool: Executor) -> spla.LinearOperator:
    """``matrix`` as a LinearOperator whose products run on ``_ROW_BLOCKS`` row blocks in
    threads (scipy's sparse products release the GIL): ARPACK's two products per iteration
    are most of the map's time at millions of votes. The blocks are views, not copies, and
    their number is fixed, so the sums, and the result, do not depend on the core count."""
    bounds = np.linspace(0, matrix.shape[0], _ROW_BLOCKS + 1).astype(np.int64)
    blocks = []
    for r0, r1 in itertools.pairwise(bounds):
        lo, hi = int(matrix.indptr[r0]), int(matrix.indptr[r1])
        blocks.append(
            sp.csr_matrix(
                (matrix.data[lo:hi], matrix.indices[lo:hi], matrix.indptr[r0 : r1 + 1] - lo),
                shape=(int(r1 - r0), matrix.shape[1]),
                copy=False,
            )
        )

    def matvec(v: FloatArray) -> FloatArray:
        v = np.ravel(v)
        return np.concatenate(list(pool.map(lambda b: b @ v, blocks)))

    def rmatvec(u: FloatArray) -> FloatArray:
        parts = np.split(np.ravel(u), bounds[1:-1])
        partial = list(pool.map(lambda bu: bu[0].T @ bu[1], zip(blocks, parts, strict=True)))
        return np.asarray(sum(partial[1:], partial[0]))

    return spla.LinearOperator(matrix.shape, matvec=matvec, rmatvec=rmatvec, dtype=np.float64)


def _base_clusters(
    points: FloatArray, n_bases: int, rng: np.random.Generator
) -> tuple[IntArray, FloatArray]:
    """(n,) base cluster of each point and (B, 2) base centres, B <= n_bases.

    k-means++ with a seeded generator, on the points in a canonical (sorted) order so that
    the result does not depend on how the caller ordered participants.
    """
    n = len(points)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    order = np.lexsort((points[:, 1], points[:, 0]))
    sorted_pts = points[order]
    fit_pts = sorted_pts
    if n > _BASE_SAMPLE:
        pick = np.sort(rng.choice(n, size=_BASE_SAMPLE, replace=False))
        fit_pts = sorted_pts[pick]
    # Sorted, so distinct points are where consecutive rows differ.
    n_distinct = 1 + int(np.any(np.diff(fit_pts, axis=0) != 0, axis=1).sum())
    k = min(n_bases, n_distinct)
    if k == 1:
        return np.zeros(n, dtype=np.int64), fit_pts[:1].copy()
    km = KMeans(
        n_clusters=k,
        init="k-means++",
        n_init=1,
        max_iter=100,
        random_state=int(rng.integers(2**31 - 1)),
    ).fit(fit_pts)
    labels_sorted, n_used = _dense(_nearest(sorted_pts, km.cluster_centers_), k)
    centers = _means(sorted_pts, labels_sorted, n_used)
    labels = np.empty(n, dtype=np.int64)
    labels[order] = labels_sorted
    return labels, centers


def _dense(labels: IntArray, k: int) -> tuple[IntArray, int]:
    """Labels in 0..k-1 renumbered 0..m-1 in the same order, empty labels dropped, and m:
    what ``np.unique(labels, return_inverse=True)`` gives, without sorting a million."""
    used = np.bincount(labels, minlength=k) > 0
    new_label = np.cumsum(used) - 1
    return new_label[labels].astype(np.int64), int(used.sum())


def _means(points: FloatArray, labels: IntArray, k: int) -> FloatArray:
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    cx = np.bincount(labels, weights=points[:, 0], minlength=k) / sizes
    cy = np.bincount(labels, weights=points[:, 1], minlength=k) / sizes
    return np.column_stack([cx, cy])


def _nearest(points: FloatArray, centers: FloatArray) -> IntArray:
    """(n,) index of the nearest centre, in chunks to bound memory to ~64 MB; a k-d tree
    when there are many centres (the 100 base clusters of a million participants)."""
    if len(centers) > 16 and len(points) > 10_000:
        _, idx = cKDTree(centers).query(points, k=1, workers=-1)
        return np.asarray(idx, dtype=np.int64)
    if len(centers) <= 8:
        # A few centres: running minimum over them beats an (n, k) argmin.
        best = ((points - centers[0]) ** 2).sum(axis=1)
        out = np.zeros(len(points), dtype=np.int64)
        for j in range(1, len(centers)):
            d = ((points - centers[j]) ** 2).sum(axis=1)
            closer = d < best
            best = np.where(closer, d, best)
            out[closer] = j
        return out
    out = np.empty(len(points), dtype=np.int64)
    step = max(1, 8_000_000 // max(len(centers), 1))
    c2 = (centers**2).sum(axis=1)
    for start in range(0, len(points), step):
        chunk = points[start : start + step]
        d = c2[None, :] - 2.0 * chunk @ centers.T
        out[start : start + step] = np.argmin(d, axis=1)
    return out


def _groups(
    points: FloatArray,
    base_of_point: IntArray,
    centers: FloatArray,
    sizes: IntArray,
    params: MapParameters,
    seed: int,
) -> tuple[IntArray, dict[int, float]]:
    """(n,) group of each clustered point and the silhouette of each k tried.

    For each k in 2..min(max_groups, 2 + B // 12) (Pol.is's range, B base clusters):
    weighted k-means on the base centres (weights = base sizes) from ``group_inits``
    seeded starts, each then refined by Lloyd iterations on the participants themselves.
    Pol.is warm-starts from its whole history, which a from-scratch computation does not
    have, and different starts end in different near-equal-cost partitions; among those
    within 1% of the lowest cost we keep the one with the best silhouette (the criterion
    Pol.is uses to choose k), then choose k by that silhouette. Silhouettes are computed on
    at most ``_SILHOUETTE_SAMPLE`` participants (a seeded sample) so the cost stays linear.
    """
    n = len(points)
    n_b = len(centers)
    if n_b < 2:
        return np.zeros(n, dtype=np.int64), {}
    k_max = min(params.max_groups, 2 + n_b // 12, n_b)
    rng = np.random.default_rng([seed, 1])
    fit_idx = (
        np.arange(n)
        if n <= _REFINE_SAMPLE
        else np.sort(rng.choice(n, size=_REFINE_SAMPLE, replace=False))
    )
    fit_pts = points[fit_idx]
    sil_idx = (
        np.arange(len(fit_pts))
        if len(fit_pts) <= _SILHOUETTE_SAMPLE
        else np.sort(rng.choice(len(fit_pts), size=_SILHOUETTE_SAMPLE, replace=False))
    )
    sil_pts = fit_pts[sil_idx]
    sil_dist = _pairwise(sil_pts)
    weights = sizes.astype(np.float64)
    best: tuple[float, FloatArray] | None = None
    silhouettes: dict[int, float] = {}
    for k in range(2, k_max + 1):
        if k >= n_b:
            break
        candidates: list[tuple[float, FloatArray, IntArray]] = []
        starts: dict[bytes, tuple[float, FloatArray]] = {}
        for _ in range(params.group_inits):
            base_cen, base_labels, base_cost = _lloyd(
                centers, weights, _kmeans_pp(centers, weights, k, rng)
            )
            # Different starts often converge to the same partition of the bases.
            starts.setdefault(_canonical(base_labels).tobytes(), (base_cost, base_cen))
        cheapest = min(cost for cost, _ in starts.values())
        for base_cost, base_cen in starts.values():
            # Only near-optimal partitions of the bases can end near-optimal on the
            # participants (the costs differ by the bases' own spread, the same for all).
            if base_cost <= cheapest * 1.02 + 1e-12:
                cen, labels, inertia = _lloyd(fit_pts, None, base_cen)
                candidates.append((inertia, cen, labels))
        lowest = min(c[0] for c in candidates)
        chosen: tuple[float, FloatArray] | None = None
        seen: set[float] = set()
        for inertia, cen, labels in candidates:
            key = round(inertia, 9)
            if inertia > lowest * 1.01 + 1e-12 or key in seen:
                continue
            seen.add(key)
            score = _silhouette(sil_dist, labels[sil_idx].astype(np.int64))
            if chosen is None or score > chosen[0] + 1e-12:
                chosen = (score, cen)
        if chosen is None:
            continue
        silhouettes[k] = chosen[0]
        if best is None or chosen[0] > best[0] + 1e-12:
            best = chosen
    if best is None:
        return np.zeros(n, dtype=np.int64), silhouettes
    return _dense(_nearest(points, best[1]), len(best[1]))[0], silhouettes


def _kmeans_pp(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """(k, 2) k-means++ starting centres for weighted points (D^2 x weight sampling)."""
    first = rng.choice(len(points), p=weights / weights.sum())
    chosen = [first]
    d2 = ((points - points[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        prob = d2 * weights
        total = prob.sum()
        nxt = rng.choice(len(points), p=prob / total) if total > 0 else int(np.argmax(d2))
        chosen.append(int(nxt))
        d2 = np.minimum(d2, ((points - points[nxt]) ** 2).sum(axis=1))
    return points[chosen].copy()


def _lloyd(
    points: FloatArray, weights: FloatArray | None, centers: FloatArray, max_iter: int = 300
) -> tuple[FloatArray, IntArray, float]:
    """Lloyd iterations for a few centres (k <= 5 here), numpy only: sklearn's per-call
    thread-pool overhead dominates at this size. Returns (k, 2) centres, (n,) labels and
    the (weighted) inertia; an emptied centre keeps its position."""
    w = np.ones(len(points)) if weights is None else weights
    cen = centers.copy()
    labels = _nearest(points, cen)
    for _ in range(max_iter):
        mass = np.bincount(labels, weights=w, minlength=len(cen))
        sx = np.bincount(labels, weights=w * points[:, 0], minlength=len(cen))
        sy = np.bincount(labels, weights=w * points[:, 1], minlength=len(cen))
        nonempty = mass > 0
        cen[nonempty, 0] = sx[nonempty] / mass[nonempty]
        cen[nonempty, 1] = sy[nonempty] / mass[nonempty]
        new = _nearest(points, cen)
        if np.array_equal(new, labels):
            break
        labels = new
    inertia = float((w * ((points - cen[labels]) ** 2).sum(axis=1)).sum())
    return cen, labels, inertia


def _canonical(labels: IntArray) -> IntArray:
    """Labels renumbered by first appearance, so equal partitions compare equal."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


def _pairwise(pts: FloatArray) -> FloatArray:
    sq = (pts**2).sum(axis=1)
    d2: FloatArray = np.maximum(sq[:, None] + sq[None, :] - 2.0 * pts @ pts.T, 0.0)
    distances: FloatArray = np.sqrt(d2)
    return distances


def _silhouette(dist: FloatArray, labels: IntArray) -> float:
    """Mean silhouette of points with (m, m) distances ``dist``; 0 for singletons."""
    k = int(labels.max()) + 1
    if k < 2:
        return -1.0
    onehot = np.zeros((len(labels), k))
    onehot[np.arange(len(labels)), labels] = 1.0
    sums = dist @ onehot  # (m, k)
    counts = onehot.sum(axis=0)
    rows = np.arange(len(labels))
    own_count = counts[labels] - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(own_count > 0, sums[rows, labels] / np.maximum(own_count, 1.0), 0.0)
        mean_other = sums / counts[None, :]
    mean_other[rows, labels] = np.inf
    mean_other[:, counts == 0] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    ok = (own_count > 0) & (denom > 0) & np.isfinite(b)
    s = np.where(ok, (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return float(s.mean())


def _majority(base_of_point: IntArray, group_of_point: IntArray, n_b: int) -> IntArray:
    """(B,) the group most members of each base cluster belong to."""
    if n_b == 0:
        return np.zeros(0, dtype=np.int64)
    k = int(group_of_point.max()) + 1 if len(group_of_point) else 1
    table = np.zeros((n_b, k), dtype=np.int64)
    np.add.at(table, (base_of_point, group_of_point), 1)
    majority: IntArray = np.argmax(table, axis=1).astype(np.int64)
    return majority


def _relabel_by_size(group_of_point: IntArray) -> IntArray:
    """Renumber groups 0..G-1 by decreasing size (ties: the group of the earliest point)."""
    if len(group_of_point) == 0:
        return group_of_point
    k = int(group_of_point.max()) + 1
    sizes = np.bincount(group_of_point, minlength=k)
    first = np.array([np.flatnonzero(group_of_point == g)[0] for g in range(k)])
    order = np.lexsort((first, -sizes))
    new_id = np.empty(k, dtype=np.int64)
    new_id[order] = np.arange(k)
    return new_id[group_of_point]
