"""Run red-dwarf 0.4.0 on one Pol.is export directory (executed in .venv-bench only).

Usage: .venv-bench/bin/python benchmarks/opinion_reddwarf_run.py DIR [--seed N]
Prints one JSON object: {"seconds": float, "labels": {participant_id: group}}. The timing
covers reading the export with pandas and red-dwarf's whole pipeline.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
from reddwarf.implementations.base import run_pipeline


def _votes(root: Path) -> tuple[list[dict], list[int]]:
    comments = pd.read_csv(root / "comments.csv")
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].astype(int).tolist()
    if (root / "votes.csv").exists():
        df = pd.read_csv(
            root / "votes.csv", usecols=["timestamp", "comment-id", "voter-id", "vote"]
        )
        # A later vote replaces an earlier one; red-dwarf's pivot needs one vote per pair.
        df = df.sort_values("timestamp", kind="stable").drop_duplicates(
            ["voter-id", "comment-id"], keep="last"
        )
    else:
        pv = pd.read_csv(root / "participants-votes.csv")
        cols = [c for c in pv.columns if c.lstrip("-").isdigit()]
        df = pv.melt(
            id_vars=["participant"], value_vars=cols, var_name="comment-id", value_name="vote"
        ).dropna()
        df = df.rename(columns={"participant": "voter-id"})
        df["comment-id"] = df["comment-id"].astype(int)
        df["timestamp"] = 0
    votes = pd.DataFrame(
        {
            "participant_id": df["voter-id"].astype(int).to_numpy(),
            "statement_id": df["comment-id"].astype(int).to_numpy(),
            "vote": df["vote"].astype(int).to_numpy(),
            "modified": df["timestamp"].astype(int).to_numpy(),
        }
    ).to_dict("records")
    return votes, mod_out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    votes, mod_out = _votes(args.directory)
    result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=args.seed)
    seconds = time.perf_counter() - start
    df = result.participants_df
    labels = {str(int(pid)): int(cid) for pid, cid in df["cluster_id"].items() if not pd.isna(cid)}
    print(json.dumps({"seconds": seconds, "labels": labels}))


if __name__ == "__main__":
    main()
