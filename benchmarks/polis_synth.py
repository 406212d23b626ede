"""Planted-group synthetic Pol.is exports, for benchmarking the opinion map.

Usage:
    python benchmarks/polis_synth.py OUT_DIR --participants 100000 --statements 2000 \
        --density 0.02 [--groups 3] [--seed 0]

Writes OUT_DIR/comments.csv, votes.csv and summary.csv in Pol.is's layout, plus
planted-groups.csv (participant,group) with the truth. (participants-votes.csv is not
written: at 1M x 5,000 it would be gigabytes of empty cells.)

Model: G groups of unequal size (shares 0.45, 0.30, 0.15, 0.10, ... renormalised); each
statement has a baseline agreement and each group its own shift, so most statements are
mildly informative and a few are strongly divisive; 15% of votes are passes. Each
participant votes on a Poisson(density x S) number of random statements (at least 1), so
some vote too little to be clustered, as in real conversations. Votes are written in time
order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

_SHARES = np.array([0.45, 0.30, 0.15, 0.10, 0.08, 0.06])
_DATETIME = "Sat Jan 01 00:00:00 UTC 2022"  # constant: the readers use the timestamp
_T0 = 1_640_995_200_000


def generate(
    participants: int, statements: int, density: float, groups: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(N,) voter ids, comment ids, votes in time order, and the (P,) planted group."""
    rng = np.random.default_rng(seed)
    shares = _SHARES[:groups] / _SHARES[:groups].sum()
    group = rng.choice(groups, size=participants, p=shares)
    base = rng.normal(0.0, 1.0, size=statements)
    shift = rng.normal(0.0, 1.2, size=(groups, statements))
    logit = base[None, :] + shift
    p_agree = 0.85 / (1.0 + np.exp(-logit))
    p_disagree = 0.85 - p_agree

    counts = np.clip(rng.poisson(density * statements, size=participants), 1, statements)
    pid = np.repeat(np.arange(participants, dtype=np.int64), counts)
    sid = rng.integers(0, statements, size=len(pid), dtype=np.int64)
    key = np.unique(pid * statements + sid)  # one vote per pair
    pid, sid = key // statements, key % statements
    u = rng.random(len(pid))
    g = group[pid]
    pa = p_agree[g, sid]
    vote = np.where(u < pa, 1, np.where(u < pa + p_disagree[g, sid], -1, 0)).astype(np.int64)
    order = rng.permutation(len(pid))
    return pid[order], sid[order], vote[order], group


def write(
    out: Path,
    pid: np.ndarray,
    sid: np.ndarray,
    vote: np.ndarray,
    group: np.ndarray,
    statements: int,
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
        step = 1_000_000
        for start in range(0, len(pid), step):
            ts = (_T0 + np.arange(start, min(start + step, len(pid)))).tolist()
            rows = zip(
                ts,
                sid[start : start + step].tolist(),
                pid[start : start + step].tolist(),
                vote[start : start + step].tolist(),
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
    args = parser.parse_args()
    pid, sid, vote, group = generate(
        args.participants, args.statements, args.density, args.groups, args.seed
    )
    write(args.out, pid, sid, vote, group, args.statements)
    print(
        f"{args.out}: {args.participants} participants, {args.statements} statements, "
        f"{len(pid)} votes, {args.groups} planted groups"
    )


if __name__ == "__main__":
    main()
