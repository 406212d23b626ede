"""From the database to an opinion map and back: the Django side of ``concord.opinion``.

The math lives in ``concord.opinion`` (pure); this module only streams the current votes
out of the database into a sparse :class:`VoteMatrix`, calls ``compute_map`` and stores a
:class:`OpinionMapSnapshot`. The JSON shape is
``concord.opinion.cli.map_to_json``'s. One small adapter is kept here, noted as such:
``project`` places a voter who joined after the map was computed on it, with the stored
principal axes, as ``compute_map`` places everyone (centred votes times the axes, scaled
by sqrt(S / votes)); ``concord.opinion`` does not expose a projection of new rows.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from concord.consultation.models import (
    Consultation,
    Moderation,
    OpinionMapSnapshot,
    Statement,
    Vote,
    VoteEvent,
)
from concord.opinion.cli import map_to_json
from concord.opinion.compute import OpinionMap, compute_map
from concord.opinion.matrix import VoteMatrix

#: The seed of every stored map (maps are deterministic for a seed).
SEED = 0
#: At most this many participants are drawn on a map (an even, deterministic sample beyond).
MAX_DOTS = 4000
_CHUNK = 20_000


def vote_matrix(consultation: Consultation) -> tuple[VoteMatrix, int]:
    """The current votes of ``consultation`` as a VoteMatrix (participant and statement
    pks as ids; accepted statements are columns, rejected ones moderated-out columns,
    pending ones left out) and the highest VoteEvent id they include.

    The watermark is read first: a vote arriving meanwhile is either included or newer
    than the watermark, so the worker computes again; it is never lost.
    """
    watermark = VoteEvent.objects.filter(consultation=consultation).aggregate(m=Max("id"))["m"] or 0
    statements = list(
        Statement.objects.filter(consultation=consultation)
        .exclude(moderation=Moderation.PENDING)
        .values_list("id", "moderation")
    )
    columns = np.array([s for s, _ in statements], dtype=np.int64)
    rejected = np.array([s for s, m in statements if m == Moderation.REJECTED], dtype=np.int64)
    pids: list[int] = []
    sids: list[int] = []
    vals: list[int] = []
    rows = (
        Vote.objects.filter(consultation=consultation, statement_id__in=columns.tolist())
        .values_list("participant_id", "statement_id", "value")
        .iterator(chunk_size=_CHUNK)
    )
    for p, s, v in rows:
        pids.append(p)
        sids.append(s)
        vals.append(v)
    matrix = VoteMatrix.from_triples(
        np.asarray(pids, dtype=np.int64),
        np.asarray(sids, dtype=np.int64),
        np.asarray(vals, dtype=np.int64),
        all_statement_ids=columns,
        moderated_out_ids=rejected,
    )
    return matrix, int(watermark)


def map_json(result: OpinionMap, matrix: VoteMatrix, seconds: float) -> dict[str, Any]:
    """The ``concord polis map`` JSON shape, ids being ``matrix``'s own ids."""
    data = map_to_json(result, matrix.participant_ids, matrix.statement_ids)
    return {**data, "seconds": round(seconds, 6)}


def display_of(map_data: dict[str, Any], points: dict[str, list[float]]) -> dict[str, Any]:
    """What the map page needs of a map, without any per-participant list: the dots to
    draw (every ``len(points) / MAX_DOTS``-th participant beyond ``MAX_DOTS``), each group's
    size and representative statements, and the consensus and divisive statements."""
    dots = list(points.values())
    if len(dots) > MAX_DOTS:
        step = len(dots) / MAX_DOTS
        dots = [dots[int(i * step)] for i in range(MAX_DOTS)]
    return {
        "dots": dots,
        "groups": [
            {"id": g["id"], "size": len(g["participants"]), "representative": g["representative"]}
            for g in map_data.get("groups", [])
        ],
        "consensus": map_data.get("consensus", []),
        "divisive": map_data.get("divisive", []),
    }


def _finite(x: float) -> float:
    return round(float(x), 6) if math.isfinite(x) else 0.0


def snapshot_compute(consultation: Consultation) -> OpinionMapSnapshot | None:
    """Compute and store the map of ``consultation`` now; None when nobody has voted."""
    matrix, watermark = vote_matrix(consultation)
    if matrix.n_votes == 0:
        return None
    started = time.perf_counter()
    result = compute_map(matrix, random_state=SEED)
    seconds = time.perf_counter() - started
    points = {
        str(int(p)): [
            _finite(result.coordinates[i, 0]),
            _finite(result.coordinates[i, 1]),
            int(result.group_labels[i]),
        ]
        for i, p in enumerate(matrix.participant_ids)
    }
    projection = {
        "statements": [int(s) for s in matrix.statement_ids],
        "center": [_finite(c) for c in result.center],
        "components": [[_finite(c) for c in row] for row in result.components],
        "moderated_out": [int(s) for s in matrix.statement_ids[matrix.moderated_out]],
        # How each group voted on its own representative statements: the map page shows a
        # group's view with the group's figures, not the whole consultation's.
        "group_counts": {
            str(g.id): {
                str(int(matrix.statement_ids[ref.statement])): [
                    int(result.n_agree[g.id, ref.statement]),
                    int(result.n_disagree[g.id, ref.statement]),
                    int(result.n_seen[g.id, ref.statement]),
                ]
                for ref in g.representative
            }
            for g in result.groups
        },
    }
    data = map_json(result, matrix, seconds)
    with transaction.atomic():
        return OpinionMapSnapshot.objects.create(
            consultation=consultation,
            computed_at=timezone.now(),
            seconds=seconds,
            participants=result.n_participants,
            clustered=result.n_clustered,
            statements=result.n_statements,
            votes=result.n_votes,
            seed=result.random_state,
            parameters=result.parameters,
            versions=result.versions,
            map=data,
            points=points,
            projection=projection,
            display=display_of(data, points),
            votes_seen=watermark,
        )


def project(snapshot: OpinionMapSnapshot, votes: dict[int, int]) -> tuple[float, float] | None:
    """Where a participant with ``votes`` (statement pk -> value) sits on ``snapshot``'s map;
    None when none of the votes is on a statement of the map."""
    proj = snapshot.projection or {}
    columns = proj.get("statements") or []
    if not columns:
        return None
    index = {s: i for i, s in enumerate(columns)}
    moderated = set(proj.get("moderated_out") or [])
    center = proj["center"]
    comps = proj["components"]
    x = y = 0.0
    seen = 0
    for statement, value in votes.items():
        i = index.get(statement)
        if i is None:
            continue
        seen += 1
        v = 0.0 if statement in moderated else float(value)
        x += (v - center[i]) * comps[0][i]
        y += (v - center[i]) * comps[1][i]
    if not seen:
        return None
    n_votes = seen - sum(1 for s in votes if s in moderated and s in index) + len(moderated)
    scale = math.sqrt(len(columns) / max(n_votes, 1))
    return (x * scale, y * scale)
