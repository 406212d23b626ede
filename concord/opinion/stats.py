"""Pol.is's per-group statement statistics: representativeness and consensus.

All arrays are small (groups x statements); the vote counts come from sparse products, so
nothing here is proportional to participants x statements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from concord.opinion.matrix import VoteMatrix

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# One-sided 90% critical value of the normal distribution, as in Pol.is.
Z_90 = 1.2816


@dataclass(frozen=True, eq=False)
class GroupCounts:
    """Vote counts per group and statement; G groups, S statements, all (G, S) int64.

    ``n_agree``/``n_disagree``/``n_seen`` (any vote, pass included) over the members of each
    group.
    """

    n_agree: IntArray
    n_disagree: IntArray
    n_seen: IntArray


def group_counts(votes: VoteMatrix, group_labels: npt.ArrayLike) -> GroupCounts:
    """Count agrees, disagrees and votes seen per group.

    ``group_labels`` is (P,) int with 0..G-1 for members and -1 for participants in no
    group. Votes on moderated-out statements are counted like any other (Pol.is computes
    its statistics, and the exported group-informed consensus, from the raw votes; callers
    exclude those statements from selection instead).
    """
    labels = np.asarray(group_labels, dtype=np.int64)
    n_p, n_s = votes.shape
    if labels.shape != (n_p,):
        raise ValueError(f"group_labels must have shape ({n_p},), not {labels.shape}")
    n_groups = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    # One pass over the votes: each vote's (group, statement, value) cell, one bincount.
    size = n_groups * n_s * 3
    small = np.int32 if size < 2**31 else np.int64
    cell = np.repeat(labels.astype(small) * (n_s * 3), np.diff(votes.indptr))
    cell += votes.indices.astype(small) * 3
    cell += votes.values
    cell += 1  # disagree 0, pass 1, agree 2
    if len(labels) and labels.min() < 0:
        cell = cell[cell >= 0]  # non-members have label -1, so their cells are negative
    by_value = np.bincount(cell, minlength=size).astype(np.int64).reshape(n_groups, n_s, 3)
    return GroupCounts(
        n_agree=np.ascontiguousarray(by_value[:, :, 2]),
        n_disagree=np.ascontiguousarray(by_value[:, :, 0]),
        n_seen=by_value.sum(axis=2),
    )


def prop_test(successes: npt.ArrayLike, n: npt.ArrayLike) -> FloatArray:
    """Pol.is's one-proportion z statistic against 1/2, with a pseudo-count of one."""
    succ = np.asarray(successes, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    return np.asarray(2.0 * np.sqrt(total + 1.0) * ((succ + 1.0) / (total + 1.0) - 0.5))


def two_prop_test(
    succ_in: npt.ArrayLike, succ_out: npt.ArrayLike, n_in: npt.ArrayLike, n_out: npt.ArrayLike
) -> FloatArray:
    """Pol.is's pooled two-proportion z statistic, one added to each of the four counts.

    0 where the pooled proportion is 1 (the limit). Does not modify its inputs.
    """
    s1 = np.asarray(succ_in, dtype=np.float64) + 1.0
    s2 = np.asarray(succ_out, dtype=np.float64) + 1.0
    n1 = np.asarray(n_in, dtype=np.float64) + 1.0
    n2 = np.asarray(n_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(var)
    return np.asarray(np.where(pooled >= 1.0, 0.0, np.nan_to_num(z)))


@dataclass(frozen=True, eq=False)
class Repness:
    """Pol.is's representativeness statistics, each (G, S) float64.

    pa/pd: smoothed agree/disagree probability in the group; pat/pdt: their z statistics
    against 1/2; ra/rd: ratio to the rest of the groups pooled; rat/rdt: two-proportion z
    statistics group vs rest.
    """

    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def repness(counts: GroupCounts) -> Repness:
    """Representativeness of every statement for every group (vs the others pooled)."""
    na, nd, ns = counts.n_agree, counts.n_disagree, counts.n_seen
    na_rest = na.sum(axis=0) - na
    nd_rest = nd.sum(axis=0) - nd
    ns_rest = ns.sum(axis=0) - ns
    pa = (na + 1.0) / (ns + 2.0)
    pd = (nd + 1.0) / (ns + 2.0)
    return Repness(
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((na_rest + 1.0) / (ns_rest + 2.0)),
        rd=pd / ((nd_rest + 1.0) / (ns_rest + 2.0)),
        rat=two_prop_test(na, na_rest, ns, ns_rest),
        rdt=two_prop_test(nd, nd_rest, ns, ns_rest),
    )


def group_informed_consensus(counts: GroupCounts) -> tuple[FloatArray, FloatArray]:
    """(S,) agree and disagree group-informed consensus: prod_g (A_g+1)/(S_g+2)."""
    ns = counts.n_seen + 2.0
    agree = np.prod((counts.n_agree + 1.0) / ns, axis=0)
    disagree = np.prod((counts.n_disagree + 1.0) / ns, axis=0)
    return np.asarray(agree), np.asarray(disagree)


def select_representative(
    rep: Repness, group: int, eligible: npt.NDArray[np.bool_], counts: GroupCounts, top: int
) -> list[tuple[int, bool]]:
    """Pol.is's choice of up to ``top`` representative statements of one group.

    Returns (statement index, is_agree) pairs, agree statements before disagree ones.
    A statement qualifies when (rat and pat) or (rdt and pdt) exceed Z_90; qualifying
    statements rank by repness x test x probability x test. The best "agree" statement
    (Pol.is's ``best-agree``) is put first; when nothing qualifies and there is no best agree
    statement, the one with the largest max(rat, rdt) stands alone.
    """
    g = group
    pa, pd, pat, pdt = rep.pa[g], rep.pd[g], rep.pat[g], rep.pdt[g]
    ra, rd, rat, rdt = rep.ra[g], rep.rd[g], rep.rat[g], rep.rdt[g]
    voted = (counts.n_agree[g] + counts.n_disagree[g]) > 0
    cand = np.flatnonzero(eligible)

    # Pol.is scans statements in order and keeps a running "best agree"; the comparison it
    # uses depends on whether the current best is itself representative (ra > 1).
    best_agree = -1
    for c in cand:
        if not voted[c]:
            continue
        if best_agree < 0:
            if pat[c] > Z_90 or (ra[c] > 1.0 and pa[c] > 0.5):
                best_agree = int(c)
        elif ra[best_agree] > 1.0:
            b = best_agree
            if ra[c] * rat[c] * pa[c] * pat[c] > ra[b] * rat[b] * pa[b] * pat[b]:
                best_agree = int(c)
        elif pa[c] * pat[c] > pa[best_agree] * pat[best_agree]:
            best_agree = int(c)

    agree_sig = (rat > Z_90) & (pat > Z_90)
    disagree_sig = (rdt > Z_90) & (pdt > Z_90)
    qualifies = eligible & (agree_sig | disagree_sig)
    is_agree = rat > rdt
    metric = np.where(is_agree, ra * rat * pa * pat, rd * rdt * pd * pdt)
    q = np.flatnonzero(qualifies)
    # Stable sort on -metric keeps statement order among ties, so results are deterministic.
    ranked = [int(c) for c in q[np.argsort(-metric[q], kind="stable")]]

    head: list[tuple[int, bool]] = []
    if best_agree >= 0:
        head = [(best_agree, True)]
    elif not ranked and len(cand):
        best = cand[np.argmax(np.maximum(rat[cand], rdt[cand]))]
        head = [(int(best), bool(is_agree[best]))]
    chosen = head + [(c, bool(is_agree[c])) for c in ranked if not head or c != head[0][0]]
    chosen = chosen[:top]
    # Agree statements before disagree ones, order otherwise kept (Pol.is's final sort).
    return sorted(chosen, key=lambda item: not item[1])


def select_consensus(
    n_agree: IntArray,
    n_disagree: IntArray,
    n_seen: IntArray,
    eligible: npt.NDArray[np.bool_],
    top: int,
) -> tuple[list[int], list[int]]:
    """Overall consensus over all participants as one group, (S,) counts.

    Agree: pa > 0.5 and pat > Z_90, ranked by pa * pat, top ``top``; disagree likewise.
    """
    out: list[list[int]] = []
    for succ in (n_agree, n_disagree):
        p = (succ + 1.0) / (n_seen + 2.0)
        t = prop_test(succ, n_seen)
        ok = np.flatnonzero(eligible & (p > 0.5) & (t > Z_90))
        order = ok[np.argsort(-(p[ok] * t[ok]), kind="stable")]
        out.append([int(c) for c in order[:top]])
    return out[0], out[1]


def select_divisive(
    counts: GroupCounts, eligible: npt.NDArray[np.bool_], top: int
) -> tuple[list[int], FloatArray]:
    """Statements on which the groups disagree most with each other.

    Divisiveness of a statement = (max over groups of pa) - (min over groups of pa), the
    spread of the smoothed agree probabilities. A statement is divisive when the spread is
    significant: the two-proportion z statistic between the most- and the least-agreeing
    group exceeds Z_90. Ranked by spread, top ``top``. Returns the statement indices and the
    (S,) spread (0 with fewer than two groups).
    """
    n_groups, n_s = counts.n_seen.shape
    if n_groups < 2:
        return [], np.zeros(n_s)
    pa = (counts.n_agree + 1.0) / (counts.n_seen + 2.0)
    hi = np.argmax(pa, axis=0)
    lo = np.argmin(pa, axis=0)
    cols = np.arange(n_s)
    spread = pa[hi, cols] - pa[lo, cols]
    z = two_prop_test(
        counts.n_agree[hi, cols],
        counts.n_agree[lo, cols],
        counts.n_seen[hi, cols],
        counts.n_seen[lo, cols],
    )
    ok = np.flatnonzero(eligible & (z > Z_90))
    order = ok[np.argsort(-spread[ok], kind="stable")]
    return [int(c) for c in order[:top]], np.asarray(spread)
