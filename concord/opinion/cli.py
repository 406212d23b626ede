"""``concord polis map DIR --json [--seed N]``: the opinion map of a Pol.is export.

Also runnable as ``python -m concord.opinion.cli DIR --json``. Prints one JSON object:
counts, the computation time in seconds (reading the export excluded), the groups with their
members and representative statements, the consensus and the divisive statements, all named
by the export's own participant and comment ids.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from concord.opinion.polis import PolisFormatError, read_export

if TYPE_CHECKING:
    from concord.opinion.compute import OpinionMap


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars, so ids serialise as JSON numbers/strings."""
    return value.item() if isinstance(value, np.generic) else value


def _plain_list(values: npt.NDArray[Any]) -> list[Any]:
    """An array as a list of Python scalars: ``tolist`` at C speed (a million ids in a few
    milliseconds), element by element only for object arrays."""
    if values.dtype == object:
        return [_plain(v) for v in values]
    return values.tolist()  # type: ignore[no-any-return]


def map_to_json(
    opinion_map: OpinionMap,
    participant_ids: npt.ArrayLike,
    statement_ids: npt.ArrayLike,
) -> dict[str, Any]:
    """The map as plain JSON-ready data, indices translated to the caller's ids.

    ``participant_ids`` (P,) and ``statement_ids`` (S,) are in the vote matrix's row and
    column order (``VoteMatrix.participant_ids`` / ``statement_ids``). Groups' participants
    are listed in row order. "seconds" is not included (the caller times its own work).
    """
    pids = np.asarray(participant_ids)
    sids = np.asarray(statement_ids)
    if pids.shape != (opinion_map.n_participants,) or sids.shape != (opinion_map.n_statements,):
        raise ValueError("participant_ids/statement_ids do not match the map's shape")
    labels = opinion_map.group_labels
    groups = []
    for group in opinion_map.groups:
        members = pids[labels == group.id]
        groups.append(
            {
                "id": group.id,
                "participants": _plain_list(members),
                "representative": [
                    {"statement": _plain(sids[r.statement]), "direction": r.direction}
                    for r in group.representative
                ],
            }
        )
    return {
        "participants": opinion_map.n_participants,
        "clustered": opinion_map.n_clustered,
        "statements": opinion_map.n_statements,
        "votes": opinion_map.n_votes,
        "groups": groups,
        "consensus": [
            {"statement": _plain(sids[r.statement]), "direction": r.direction}
            for r in opinion_map.consensus
        ],
        "divisive": [_plain(sids[c]) for c in opinion_map.divisive],
    }


def polis_map(argv: list[str] | None = None) -> int:
    """Entry point of ``concord polis map``; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="concord polis map", description="Opinion map of a Pol.is export directory."
    )
    parser.add_argument("directory", help="Pol.is export directory (votes.csv, comments.csv)")
    parser.add_argument("--json", action="store_true", help="print the map as JSON")
    parser.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    args = parser.parse_args(argv)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The math's libraries (scikit-learn: most of a second) load while the export is
        # read; reading needs neither them nor the math.
        compute = pool.submit(import_module, "concord.opinion.compute")
        try:
            export = read_export(args.directory)
            compute_map = compute.result().compute_map
            start = time.perf_counter()
            opinion_map = compute_map(export.votes, random_state=args.seed)
            seconds = time.perf_counter() - start
        except (PolisFormatError, FileNotFoundError, ValueError) as exc:
            print(f"concord polis map: {exc}", file=sys.stderr)
            return 2
    data = map_to_json(opinion_map, export.votes.participant_ids, export.votes.statement_ids)
    out = {
        "participants": data["participants"],
        "clustered": data["clustered"],
        "statements": data["statements"],
        "votes": data["votes"],
        "seconds": round(seconds, 3),
        "groups": data["groups"],
        "consensus": data["consensus"],
        "divisive": data["divisive"],
    }
    if args.json:
        # dumps, not dump: dump encodes in Python, a million ids took 0.4 s instead of 0.1.
        sys.stdout.write(json.dumps(out, separators=(",", ":")) + "\n")
    else:
        print(
            f"{out['participants']} participants ({out['clustered']} clustered), "
            f"{out['statements']} statements, {out['votes']} votes, "
            f"{len(out['groups'])} groups in {out['seconds']} s"
        )
        for g in data["groups"]:
            reps = ", ".join(f"{r['statement']}:{r['direction']}" for r in g["representative"])
            print(f"  group {g['id']}: {len(g['participants'])} participants; {reps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(polis_map())
