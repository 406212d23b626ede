"""Scale-out on one host: two ``concord serve`` processes and two ``concord worker``
processes on one PostgreSQL database, with a load generator split across both web processes.

Issue 15, acceptance "scale-out proof". What one run does:

1. drops and recreates its own database (``--database-url``, default ``concord_scaleout``),
   migrates, loads the SCO reference, creates one consultation with ``--statements`` seed
   statements and ``--participants`` participants through Concord's services (synthetic);
2. starts two ``concord serve`` processes (ports A and B, ``--workers`` each) and two
   ``concord worker`` processes;
3. loads web process A alone for ``--duration`` seconds (the one-process figure), then both
   for ``--duration`` seconds: every request goes to A or B at random, so one participant's
   votes land on both (no sticky sessions; a participant's token is valid on either);
4. waits until the workers have mapped every vote, stops everything and checks the
   database against what was acknowledged: current votes = 201 responses, vote events =
   2xx responses, every pair holds its last acknowledged value; and the claim: no two
   snapshots of the consultation cover the same votes (each map computed once per change).

Prints throughput per web process and in total for both phases, the p99 latency, the
exact-count check, the snapshots and the load averages. Not a test: exits non-zero only
when the harness fails.

    .venv/bin/python benchmarks/scale_out.py --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vote_intake import (
    CONCORD,
    LEDGERS,
    ROOT,
    HarnessError,
    Ledger,
    Tally,
    Target,
    database_check,
    free_port,
    make_data,
    read_response,
    recreate_database,
    run,
    server_env,
    stop,
    wait_ready,
)


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


async def client(
    n: int,
    targets: list[Target],
    tokens: dict[int, str],
    statements: list[int],
    participants: list[int],
    ledger: Ledger,
    tallies: list[Tally],
    deadline: float,
    rng: random.Random,
) -> None:
    """One keep-alive connection per web process; each request goes to one at random."""
    conns: list[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = [None] * len(targets)
    # gunicorn closes a keep-alive connection idle for 2 s: a connection left idle for 1 s
    # (the other process had the last requests) is replaced before a request is sent on it,
    # so no request is ever lost on a connection the server has closed.
    used = [0.0] * len(targets)
    slug = targets[0].slug
    path = f"/api/v1/consultations/{slug}/votes".encode()
    while time.perf_counter() < deadline:
        i = rng.randrange(len(targets))
        old = conns[i]
        if old is not None and time.perf_counter() - used[i] > 1.0:
            old[1].close()
            conns[i] = None
        if conns[i] is None:
            conns[i] = await asyncio.open_connection("127.0.0.1", targets[i].port)
        reader, writer = conns[i]  # type: ignore[misc]
        pid = participants[rng.randrange(len(participants))]
        sid = statements[rng.randrange(len(statements))]
        value = rng.choice((1, -1, 0))
        body = b'{"statement": %d, "vote": %d}' % (sid, value)
        request = (
            b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (path, targets[i].port, tokens[pid].encode(), len(body), body)
        )
        started = time.perf_counter()
        try:
            writer.write(request)
            status, _body = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            raise HarnessError(f"connection {n} to {targets[i].name} broke") from None
        used[i] = time.perf_counter()
        tally = tallies[i]
        tally.status[status] = tally.status.get(status, 0) + 1
        if status in (200, 201):
            tally.latencies.append(time.perf_counter() - started)
            ledger.last[(pid, sid)] = value
            ledger.acts += 1
            ledger.created += status == 201
        else:
            tally.errors += 1
    for conn in conns:
        if conn is not None:
            conn[1].close()
            with contextlib.suppress(OSError):
                await conn[1].wait_closed()


async def load(
    targets: list[Target],
    tokens: dict[int, str],
    statements: list[int],
    ledger: Ledger,
    seconds: float,
    clients: int,
    seed: int,
) -> list[Tally]:
    pids = sorted(tokens)
    owned = [pids[i::clients] for i in range(clients)]
    tallies = [Tally() for _ in targets]
    t0 = time.perf_counter()
    await asyncio.gather(
        *(
            client(
                i,
                targets,
                tokens,
                statements,
                owned[i],
                ledger,
                tallies,
                t0 + seconds,
                random.Random(seed * 1000 + i),
            )
            for i in range(clients)
        )
    )
    for t in tallies:
        t.seconds = time.perf_counter() - t0
    return tallies


def _p99(tallies: list[Tally]) -> float:
    merged = Tally()
    for t in tallies:
        merged.add(t)
    return merged.percentile(99)


def _snapshots(url: str, consultation_id: int) -> tuple[list[int], int]:
    """(watermarks of the consultation's snapshots, in order; its highest vote event id)."""
    import psycopg

    with psycopg.connect(url) as conn:
        marks = [
            r[0]
            for r in conn.execute(
                "SELECT votes_seen FROM consultation_opinionmapsnapshot "
                "WHERE consultation_id = %s ORDER BY id",
                [consultation_id],
            )
        ]
        (top,) = conn.execute(
            "SELECT coalesce(max(id), 0) FROM consultation_voteevent WHERE consultation_id = %s",
            [consultation_id],
        ).fetchone() or (0,)
    return marks, int(top)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/concord_scaleout")
    p.add_argument("--workers", type=int, default=1, help="gunicorn workers per web process")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--duration", type=float, default=20, help="seconds per phase")
    p.add_argument("--warmup", type=float, default=3)
    p.add_argument("--participants", type=int, default=2000)
    p.add_argument("--statements", type=int, default=50)
    p.add_argument("--var-dir", type=Path, default=ROOT / "var" / "scaleout")
    args = p.parse_args()
    env = server_env(args, secrets.token_urlsafe(48))
    env["CONCORD_MAP_DEBOUNCE_SECONDS"] = "1"
    args.var_dir.mkdir(parents=True, exist_ok=True)
    print(f"database {args.database_url}: recreate, migrate, load SCO reference", flush=True)
    recreate_database(args.database_url)
    run([*CONCORD, "migrate"], env)
    run([*CONCORD, "load-reference", "sco"], env)
    data = Target(name="data", slug="scale")
    make_data(args, env, [data])
    webs = [Target(name=n, slug="scale") for n in ("web-A", "web-B")]
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for web in webs:
            web.port = free_port()
            web.proc = subprocess.Popen(
                [
                    *CONCORD,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(web.port),
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                ],
                env=env,
                cwd=ROOT,
                start_new_session=True,
            )
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    [*CONCORD, "worker", "--interval", "0.5"],
                    env=env,
                    cwd=ROOT,
                    start_new_session=True,
                )
            )
        ledger = LEDGERS.setdefault("data", Ledger())

        async def phases() -> tuple[list[Tally], list[Tally]]:
            await asyncio.gather(*(wait_ready(w) for w in webs))
            common = (data.tokens, data.statements, ledger)
            await load(webs, *common, args.warmup, args.clients, seed=1)
            one = await load(webs[:1], *common, args.duration, args.clients, seed=2)
            two = await load(webs, *common, args.duration, args.clients, seed=3)
            return one, two

        print(f"two web processes, two workers; {_load()}", flush=True)
        one, two = asyncio.run(phases())
        for label, tallies, targets in (
            ("one process", one, webs[:1]),
            ("two processes", two, webs),
        ):
            total = sum(t.acknowledged for t in tallies) / tallies[0].seconds
            per = ", ".join(
                f"{w.name} {t.acknowledged / t.seconds:,.0f} votes/s"
                for w, t in zip(targets, tallies, strict=True)
            )
            errors = sum(t.errors for t in tallies)
            print(
                f"  {label}: {per}; total {total:,.0f} votes/s; p99 {_p99(tallies):.1f} ms; "
                f"non-2xx {errors}; {_load()}",
                flush=True,
            )
        for web in webs:
            stop(web)
        deadline = time.monotonic() + 300
        while True:
            marks, top = _snapshots(args.database_url, data.consultation_id)
            if (marks and marks[-1] >= top) or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        for web in webs:
            stop(web)
        for proc in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
    votes, events, wrong = database_check(args.database_url, data)
    exact = votes == len(ledger.last) == ledger.created and events == ledger.acts and not wrong
    print(
        f"  database: {votes:,} current votes for {ledger.created:,} acknowledged new votes, "
        f"{events:,} vote events for {ledger.acts:,} acknowledged acts, {wrong} pairs off: "
        f"{'exact' if exact else 'MISMATCH'}"
    )
    twice = len(marks) - len(set(marks))
    print(
        f"  maps: {len(marks)} snapshots by two workers, watermarks {marks[:8]}"
        f"{'...' if len(marks) > 8 else ''}; last covers event {marks[-1] if marks else 0} of "
        f"{top}; computed twice for the same votes: {twice}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
