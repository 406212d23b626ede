"""The math never builds a dense participants x statements array."""

from __future__ import annotations

import tracemalloc

import numpy as np

from concord.opinion import VoteMatrix, compute_map


def test_200k_by_5k_runs_in_a_fraction_of_the_dense_size() -> None:
    n_p, n_s, per_person = 200_000, 5_000, 8
    rng = np.random.default_rng(0)
    group = rng.integers(0, 2, size=n_p)
    p = np.repeat(np.arange(n_p), per_person)
    s = rng.integers(0, n_s, size=len(p))
    stance = np.where(s % 2 == group[p], 1, -1)
    votes = VoteMatrix.from_triples(p, s, stance)
    dense_bytes = n_p * n_s * 8  # 8 GB as float64
    tracemalloc.start()
    try:
        opinion_map = compute_map(votes, random_state=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert opinion_map.n_participants == n_p
    assert opinion_map.n_votes == votes.n_votes
    # The votes themselves are ~1.6M entries; everything stays a small multiple of that.
    assert peak < 400 * 1024 * 1024, peak
    assert peak < dense_bytes / 20
