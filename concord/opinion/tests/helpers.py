"""Helpers shared by the opinion tests: small planted-group vote matrices."""

from __future__ import annotations

import numpy as np

from concord.opinion import VoteMatrix


def planted(
    participants: int = 300,
    statements: int = 40,
    groups: int = 3,
    density: float = 0.5,
    seed: int = 0,
) -> tuple[VoteMatrix, np.ndarray]:
    """A vote matrix with clearly separated planted groups, and the (P,) truth."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, size=participants)
    stance = rng.choice([-1, 1], size=(groups, statements))
    seen = rng.random((participants, statements)) < density
    p, s = np.nonzero(seen)
    noise = rng.random(len(p))
    votes = np.where(
        noise < 0.85, stance[truth[p], s], np.where(noise < 0.93, 0, -stance[truth[p], s])
    )
    return VoteMatrix.from_triples(p, s, votes), truth
