"""Planted-group synthetic Pol.is exports, for benchmarking the opinion map.

Usage:
    python benchmarks/polis_synth.py OUT_DIR --participants 100000 --statements 2000 \
        --density 0.02 [--groups 3] [--seed 0] [--model realistic|homogeneous] \
        [--order time|statement]

Writes OUT_DIR/comments.csv, votes.csv and summary.csv in Pol.is's layout, plus
planted-groups.csv (participant,group) with the truth. (participants-votes.csv is not
written: at 1M x 5,000 it would be gigabytes of empty cells.)

Model (``--model realistic``, the default): G groups of unequal size (shares 0.45, 0.30,
0.15, 0.10, ... renormalised); each statement has a baseline agreement and each group its
own shift, so most statements are mildly informative and a few are strongly divisive;
about 15% of votes are passes. Three sources of heterogeneity are drawn to match what the
nine real Pol.is exports in tests/data/polis show (fixed before any comparison, not
tuned to favour either implementation):

- participation: votes per participant are lognormal (sigma 0.8, coefficient of variation
  ~0.95; real exports: 0.4-1.4, median 1.0) with mean density x S, clipped to [1, S]: many
  light voters, a few heavy ones;
- exposure: statements are drawn with lognormal weights (sigma 0.65, CV ~0.7; real: 0.4-2.4,
  median 0.74), as Pol.is shows some statements far more than others;
- individuals: each participant has a personal agreeableness offset N(0, 0.5) on the logit,
  so members of a group are not copies of one another.

``--model homogeneous`` is the earlier model (Poisson(density x S) votes each, uniform
statements, no individual offset), kept to reproduce older figures: with every participant
voting about as often, the sqrt(S / n) scaling of Pol.is's projection has nothing to do.

Votes are written in time order, or with ``--order statement`` by statement and then
voter, each with its own time, as Pol.is's own exports list them (the nine in tests/data
are in that order): a reader must then put re-votes in time order itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

_SHARES = np.array([0.45, 0.30, 0.15, 0.10, 0.08, 0.06])
_DATETIME = "Sat Jan 01 00:00:00 UTC 2022"  # constant: the readers use the timestamp
_T0 = 1_640_995_200_000


def generate(
    participants: int,
    statements: int,
    density: float,
    groups: int,
    seed: int,
    model: str = "realistic",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(N,) voter ids, comment ids, votes in time order, and the (P,) planted group."""
    rng = np.random.default_rng(seed)
    shares = _SHARES[:groups] / _SHARES[:groups].sum()
    group = rng.choice(groups, size=participants, p=shares)
    base = rng.normal(0.0, 1.0, size=statements)
    shift = rng.normal(0.0, 1.2, size=(groups, statements))
    mean_votes = density * statements
    if model == "homogeneous":
        counts = rng.poisson(mean_votes, size=participants)
        exposure = None
        offset = np.zeros(participants)
    elif model == "realistic":
        sigma = 0.8
        counts = np.rint(
            rng.lognormal(np.log(mean_votes) - sigma**2 / 2, sigma, size=participants)
        ).astype(np.int64)
        exposure = rng.lognormal(0.0, 0.65, size=statements)
        exposure /= exposure.sum()
        offset = rng.normal(0.0, 0.5, size=participants)
    else:
        raise ValueError(f"unknown model {model!r}")
    counts = np.clip(counts, 1, statements)
    pid = np.repeat(np.arange(participants, dtype=np.int64), counts)
    if exposure is None:
        sid = rng.integers(0, statements, size=len(pid), dtype=np.int64)
    else:
        sid = rng.choice(statements, size=len(pid), p=exposure).astype(np.int64)
    key = np.unique(pid * statements + sid)  # one vote per pair
    pid, sid = key // statements, key % statements
    u = rng.random(len(pid))
    g = group[pid]
    logit = base[sid] + shift[g, sid] + offset[pid]
    pa = 0.85 / (1.0 + np.exp(-logit))
    vote = np.where(u < pa, 1, np.where(u < 0.85, -1, 0)).astype(np.int64)
    order = rng.permutation(len(pid))
    return pid[order], sid[order], vote[order], group


def write(
    out: Path,
    pid: np.ndarray,
    sid: np.ndarray,
    vote: np.ndarray,
    group: np.ndarray,
    statements: int,
    order: str = "time",
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "comments.csv").open("w", encoding="utf-8") as fh:
        fh.write(
            "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        )
        agrees = np.bincount(sid[vote == 1], minlength=statements)
        disagrees = np.bincount(sid[vote == -1], minlength=statements)
        for s in range(statements):
            fh.write(f"{_T0},{_DATETIME},{s},0,{agrees[s]},{disagrees[s]},1,Statement {s}\n")
    with (out / "votes.csv").open("w", encoding="utf-8") as fh:
        fh.write("timestamp,datetime,comment-id,voter-id,vote\n")
        times = _T0 + np.arange(len(pid), dtype=np.int64)
        rows_in = np.arange(len(pid)) if order == "time" else np.lexsort((pid, sid))
        step = 1_000_000
        for start in range(0, len(pid), step):
            part = rows_in[start : start + step]
            rows = zip(
                times[part].tolist(),
                sid[part].tolist(),
                pid[part].tolist(),
                vote[part].tolist(),
                strict=True,
            )
            fh.write("".join(f"{t},{_DATETIME},{c},{p},{v}\n" for t, c, p, v in rows))
    with (out / "planted-groups.csv").open("w", encoding="utf-8") as fh:
        fh.write("participant,group\n")
        fh.write("".join(f"{p},{g}\n" for p, g in enumerate(group.tolist())))
    with (out / "summary.csv").open("w", encoding="utf-8") as fh:
        fh.write(
            f"topic,synthetic planted groups\nvoters,{len(group)}\ncomments,{statements}\n"
            f"groups,{int(group.max()) + 1}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--density", type=float, required=True)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", choices=["realistic", "homogeneous"], default="realistic")
    parser.add_argument("--order", choices=["time", "statement"], default="time")
    args = parser.parse_args()
    pid, sid, vote, group = generate(
        args.participants, args.statements, args.density, args.groups, args.seed, args.model
    )
    write(args.out, pid, sid, vote, group, args.statements, args.order)
    print(
        f"{args.out}: {args.participants} participants, {args.statements} statements, "
        f"{len(pid)} votes, {args.groups} planted groups ({args.model})"
    )


if __name__ == "__main__":
    main()
