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

import dataclasses
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from concord.consultation.models import (
    Consultation,
    Moderation,
    OpinionMapSnapshot,
    Statement,
    VoteEvent,
)
from concord.opinion.cli import map_to_json
from concord.opinion.compute import OpinionMap, compute_map
from concord.opinion.matrix import VoteMatrix

#: The seed of every stored map (maps are deterministic for a seed).
SEED = 0
#: At most this many participants are drawn on a map (an even, deterministic sample beyond).
MAX_DOTS = 4000


def vote_matrix(consultation: Consultation) -> tuple[VoteMatrix, int]:
    """The current votes of ``consultation`` as a VoteMatrix (participant and statement
    pks as ids; accepted statements are columns, rejected ones moderated-out columns,
    pending ones left out) and the highest VoteEvent id they include.

    The watermark is read first: a vote arriving meanwhile is either included or newer
    than the watermark, so the worker computes again; it is never lost.
    """
    watermark = VoteEvent.objects.filter(consultation=consultation).aggregate(m=Max("id"))["m"] or 0
    statements = list(
        Statement.objects.filter(consultation=consultation).values_list("id", "moderation")
    )
    columns = np.array([s for s, m in statements if m != Moderation.PENDING], dtype=np.int64)
    rejected = np.array([s for s, m in statements if m == Moderation.REJECTED], dtype=np.int64)
    pending = np.array([s for s, m in statements if m == Moderation.PENDING], dtype=np.int64)
    votes = current_votes(consultation.pk, pending=pending)
    # Built on the offsets, which are narrower than the pks; the pks are put back after.
    matrix = VoteMatrix.from_triples(
        votes.participants,
        votes.statements,
        votes.values,
        all_statement_ids=columns - votes.statement_base,
        moderated_out_ids=rejected - votes.statement_base,
    )
    matrix = dataclasses.replace(
        matrix,
        participant_ids=matrix.participant_ids.astype(np.int64) + votes.participant_base,
        statement_ids=matrix.statement_ids.astype(np.int64) + votes.statement_base,
    )
    return matrix, int(watermark)


@dataclass(frozen=True)
class CurrentVotes:
    """(N,) current votes, one per (participant, statement) pair, in no particular order:
    participant and statement pks as offsets from ``participant_base`` and
    ``statement_base`` (int32 when they fit, so 25M votes take 225 MB, not 425), values."""

    participants: npt.NDArray[np.int32] | npt.NDArray[np.int64]
    statements: npt.NDArray[np.int32] | npt.NDArray[np.int64]
    values: npt.NDArray[np.int8]
    participant_base: int
    statement_base: int


# The current votes as the map reads them on SQLite (PostgreSQL packs them, below).
_CURRENT_VOTES = (
    "SELECT participant_id, statement_id, value FROM consultation_vote WHERE consultation_id = %s"
)
# PostgreSQL: the votes packed by the server into a few hundred byte strings of fixed-width
# big-endian records (participant and statement as offsets from the consultation's lowest
# ids, int4 when they fit; the value int2), so that the client handles a message per
# thousand participants instead of a Python call per vote.
_PACKED_VOTES = (
    "SELECT string_agg({width}send((participant_id - %(p0)s)::{type}) "
    "|| {width}send((statement_id - %(s0)s)::{type}) || int2send(value), ''::bytea) "
    "FROM consultation_vote WHERE consultation_id = %(cid)s "
    "GROUP BY participant_id / 1000"
)
_BOUNDS = (
    "SELECT (SELECT min(id) FROM consultation_participant WHERE consultation_id = %(cid)s), "
    "(SELECT max(id) FROM consultation_participant WHERE consultation_id = %(cid)s), "
    "(SELECT min(id) FROM consultation_statement WHERE consultation_id = %(cid)s), "
    "(SELECT max(id) FROM consultation_statement WHERE consultation_id = %(cid)s)"
)
_FETCH_ROWS = 64


def current_votes(consultation_id: int, *, pending: npt.NDArray[np.int64]) -> CurrentVotes:
    """The consultation's current votes on statements not in ``pending`` (pks). Votes on
    pending statements are dropped here by one vectorised test, which spares the database a
    join per vote.

    No Python object per vote: on PostgreSQL the server packs the votes into byte strings
    read through a server-side binary cursor and parsed by numpy; on SQLite ``fetchmany``
    into arrays, 100,000 rows at a time.
    """
    parts: list[tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[np.int8]]] = []
    p0 = s0 = 0
    if connection.vendor == "postgresql":
        p0, s0 = _pg_packed(int(consultation_id), parts)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_CURRENT_VOTES, [int(consultation_id)])
            while rows := cursor.fetchmany(100_000):
                block = np.array(rows, dtype=np.int64).reshape(-1, 3)
                parts.append((block[:, 0].copy(), block[:, 1].copy(), block[:, 2].astype(np.int8)))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return CurrentVotes(empty, empty.copy(), np.zeros(0, dtype=np.int8), 0, 0)
    pids = np.concatenate([p for p, _s, _v in parts])
    sids = np.concatenate([s for _p, s, _v in parts])
    vals = np.concatenate([v for _p, _s, v in parts])
    del parts
    if len(pending):
        keep = ~np.isin(sids, pending - s0)
        pids, sids, vals = pids[keep], sids[keep], vals[keep]
    return CurrentVotes(pids, sids, vals, p0, s0)


def _pg_packed(
    consultation_id: int,
    parts: list[tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[np.int8]]],
) -> tuple[int, int]:
    """Appends the votes to ``parts`` as offsets; returns the two bases."""
    with connection.cursor() as cursor:
        cursor.execute(_BOUNDS, {"cid": consultation_id})
        p0, p1, s0, s1 = cursor.fetchone()
        if p0 is None or s0 is None:
            return 0, 0
    narrow = max(p1 - p0, s1 - s0) < 2**30  # room for participants joining meanwhile
    width, kind, native = ("int4", ">i4", np.int32) if narrow else ("int8", ">i8", np.int64)
    record = np.dtype([("p", kind), ("s", kind), ("v", ">i2")])
    sql = _PACKED_VOTES.format(width=width, type="integer" if narrow else "bigint")
    connection.ensure_connection()
    # A server-side cursor needs a transaction; the hash aggregate holds the packed votes
    # (about 10 bytes a vote) in the server's memory rather than spilling them to disk.
    with transaction.atomic(), connection.cursor() as plain:
        plain.execute("SET LOCAL work_mem = '1GB'")
        pg = connection.connection
        with pg.cursor(name="concord_current_votes", binary=True) as cursor:  # type: ignore[union-attr, unused-ignore]
            cursor.execute(sql, {"p0": p0, "s0": s0, "cid": consultation_id})
            while rows := cursor.fetchmany(_FETCH_ROWS):
                packed = np.frombuffer(b"".join(row[0] for row in rows), dtype=record)
                del rows
                parts.append(
                    (
                        packed["p"].astype(native),
                        packed["s"].astype(native),
                        packed["v"].astype(np.int8),
                    )
                )
    return int(p0), int(s0)


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
    # Rounded and zeroed (non-finite) by numpy, then turned into Python lists at once: at a
    # million participants a Python call per value (round(), a numpy scalar) cost seconds.
    xy = np.round(np.where(np.isfinite(result.coordinates), result.coordinates, 0.0), 6)
    points = {
        str(p): [x, y, g]
        for p, x, y, g in zip(
            matrix.participant_ids.tolist(),
            xy[:, 0].tolist(),
            xy[:, 1].tolist(),
            result.group_labels.tolist(),
            strict=True,
        )
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
