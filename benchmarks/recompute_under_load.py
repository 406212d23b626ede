"""Vote intake while a large opinion map recomputes: p99 latency, and no vote lost or counted
twice across the recompute.

Issue 15, acceptance "vote intake p99 while the 25M map recomputes". Runs against a database
that already holds a big consultation, e.g. the one ``benchmarks/million.py`` leaves behind
(synthetic, 1M x 5,000, 25M votes, consultation ``bench``):

1. creates ``--participants`` new participants of the consultation (Concord's services) and
   signs their tokens; counts the consultation's votes;
2. starts one ``concord serve`` and loads it with ``--clients`` closed-loop clients voting on
   accepted statements (the harness of ``benchmarks/vote_intake.py``): ``--warmup`` seconds
   with no recompute, then ``concord worker --once`` starts (niced, one BLAS thread, as in
   production) and the load goes on, in one-second segments, until the worker has stored
   the map;
3. prints intake throughput and p99 before and during the recompute, the worker's wall time;
4. checks the database against every acknowledged vote (current votes = 201 responses,
   events = 2xx responses, last values) and the watermark: the new map counts at most the
   consultation's current votes and at least those that existed when the load started plus
   the new pairs first voted at or before its watermark; a vote after the watermark leaves
   the map due again (so the next round includes it).

    .venv/bin/python benchmarks/recompute_under_load.py \
        --database-url postgres://postgres@127.0.0.1:5432/concord_bench_million --consultation bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vote_intake import (
    CONCORD,
    LEDGERS,
    ROOT,
    Ledger,
    Tally,
    Target,
    database_check,
    free_port,
    load,
    server_env,
    stop,
    wait_ready,
)


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _setup(args: argparse.Namespace, env: dict[str, str], target: Target) -> int:
    """New participants and their tokens; returns the consultation's map-visible votes."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, connections

    from concord.consultation import services
    from concord.consultation.models import Consultation, Moderation, Statement
    from concord.consultation.tokens import token_for

    consultation = Consultation.objects.get(slug=target.slug)
    target.consultation_id = consultation.pk
    target.statements = list(
        Statement.objects.filter(consultation=consultation, moderation=Moderation.ACCEPTED)
        .order_by("id")
        .values_list("id", flat=True)[: args.statements]
    )
    for _ in range(args.participants):
        participant = services.participant_create(actor=None, slug=consultation.slug)
        target.tokens[participant.pk] = token_for(participant.pk, consultation.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM consultation_vote v JOIN consultation_statement s "
            "ON s.id = v.statement_id WHERE v.consultation_id = %s AND s.moderation <> 'pending'",
            [consultation.pk],
        )
        (votes,) = cursor.fetchone()
    connections.close_all()
    return int(votes)


def _after(url: str, target: Target) -> tuple[int, int, int, int, bool]:
    """(the newest snapshot's votes and watermark, new pairs first voted at or before it,
    map-visible current votes now, whether a vote event lies beyond the watermark)."""
    import psycopg

    with psycopg.connect(url) as conn:
        votes, mark = conn.execute(
            "SELECT votes, votes_seen FROM consultation_opinionmapsnapshot "
            "WHERE consultation_id = %s ORDER BY id DESC LIMIT 1",
            [target.consultation_id],
        ).fetchone() or (0, 0)
        (early,) = conn.execute(
            "SELECT count(*) FROM (SELECT min(id) AS first FROM consultation_voteevent "
            "WHERE consultation_id = %s AND participant_id = ANY(%s) "
            "GROUP BY participant_id, statement_id) f WHERE first <= %s",
            [target.consultation_id, list(target.tokens), mark],
        ).fetchone() or (0,)
        (now,) = conn.execute(
            "SELECT count(*) FROM consultation_vote v JOIN consultation_statement s "
            "ON s.id = v.statement_id WHERE v.consultation_id = %s AND s.moderation <> 'pending'",
            [target.consultation_id],
        ).fetchone() or (0,)
        (top,) = conn.execute(
            "SELECT coalesce(max(id), 0) FROM consultation_voteevent WHERE consultation_id = %s",
            [target.consultation_id],
        ).fetchone() or (0,)
    return int(votes), int(mark), int(early), int(now), int(top) > int(mark)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--consultation", default="bench")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--statements", type=int, default=50)
    p.add_argument("--var-dir", type=Path, default=ROOT / "var" / "recompute")
    args = p.parse_args()
    env = server_env(args, secrets.token_urlsafe(48))
    # The map is due as soon as votes arrived: under a steady load the last vote is always
    # younger than any debounce, so only a staleness of 0 makes the worker recompute now
    # rather than when the previous map turns 60 s old (it did nothing when started sooner).
    env["CONCORD_MAP_DEBOUNCE_SECONDS"] = "0"
    env["CONCORD_MAP_MAX_STALENESS_SECONDS"] = "0"
    args.var_dir.mkdir(parents=True, exist_ok=True)
    target = Target(name="concord", slug=args.consultation)
    before = _setup(args, env, target)
    marked_before = _after(args.database_url, target)[1]
    ledger = LEDGERS.setdefault("concord", Ledger())
    target.port = free_port()
    target.proc = subprocess.Popen(
        [
            *CONCORD,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(target.port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    worker_seconds = 0.0
    worker_status: int | None = None

    async def phases() -> tuple[Tally, Tally]:
        nonlocal worker_seconds
        await wait_ready(target)
        quiet = await load(target, ledger, args.warmup, args.clients, seed=1)
        print(f"  worker starts; {_load()}", flush=True)
        started = time.perf_counter()
        # INFO: the worker says what it stored ("...recompute_opinion_maps: 1").
        worker = subprocess.Popen(
            [*CONCORD, "worker", "--once"], env={**env, "CONCORD_LOG_LEVEL": "INFO"}, cwd=ROOT
        )
        busy = Tally()
        n = 0
        while worker.poll() is None:
            n += 1
            busy.add(await load(target, ledger, 1.0, args.clients, seed=10 + n))
        worker_seconds = time.perf_counter() - started
        nonlocal worker_status
        worker_status = worker.returncode
        return quiet, busy

    try:
        print(f"{args.consultation}: {before:,} votes on the map; {_load()}", flush=True)
        quiet, busy = asyncio.run(phases())
    finally:
        stop(target)
    for label, tally in (("before the recompute", quiet), ("during the recompute", busy)):
        print(
            f"  intake {label}: {tally.acknowledged / max(tally.seconds, 1e-9):,.0f} votes/s, "
            f"p50 {tally.percentile(50):.1f} ms, p99 {tally.percentile(99):.1f} ms, "
            f"non-2xx {tally.errors}, {tally.acknowledged:,} votes over {tally.seconds:.1f} s"
        )
    print(f"  worker --once: {worker_seconds:.1f} s wall; {_load()}")
    votes, events, wrong = database_check(args.database_url, target)
    new_votes = sum(1 for _ in ledger.last)
    exact = new_votes == ledger.created and wrong == 0
    print(
        f"  database: {ledger.created:,} acknowledged new votes, {ledger.acts:,} acknowledged "
        f"acts, {wrong} pairs whose value differs from the last acknowledgement: "
        f"{'exact' if exact else 'MISMATCH'} ({votes:,} current votes, {events:,} events in all)"
    )
    mapped, mark, early, now, due = _after(args.database_url, target)
    # The watermark must have moved: a worker that stored no map would pass the bounds
    # below with the old map, and measured no recompute at all.
    stored = mark > marked_before
    print(
        f"  the worker exited with {worker_status} and "
        f"{'stored a new map' if stored else 'stored NO new map: this run measured no recompute'}"
    )
    ok = stored and before + early <= mapped <= now
    print(
        f"  watermark {mark}: the map counts {mapped:,} votes; votes before the load "
        f"{before:,} + new pairs voted at or before the watermark {early:,} = "
        f"{before + early:,} <= {mapped:,} <= {now:,} current votes: "
        f"{'holds' if ok else 'BROKEN'}; votes beyond the watermark leave the map due: {due}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
