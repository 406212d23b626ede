"""Vote intake under load: Concord's vote endpoint against a bare Django view, side by side.

Issue 4, acceptance "Vote intake under load": 32 concurrent clients on loopback against the
production setup (PostgreSQL, ``CONCORD_ENV=production``, ``concord serve``) reach at least
70% of the throughput of a bare Django view doing the same writes (``benchmarks/bare_vote``:
look up the participant, upsert the current vote, append the history row, one transaction,
no middleware) on the same gunicorn with the same flags and the same database, with p99
latency under 100 ms; afterwards the database holds exactly the acknowledged votes.

What it does, in one run:

1. drops and recreates its own PostgreSQL database (``--database-url``, default
   ``concord_voteload``), runs ``concord migrate`` and ``concord load-reference sco``;
2. creates two identical consultations (one per target) with ``--statements`` seed
   statements and ``--participants`` participants each, through Concord's services,
   and signs each participant's token;
3. starts both servers at once (only one is loaded at a time): ``concord serve`` and
   ``python -m gunicorn benchmarks.bare_vote.wsgi:application`` with the flags
   ``concord serve`` passes to gunicorn;
4. warms both up, then loads them in alternating segments (bare, concord, concord, bare,
   ...; ``--rounds``) so that drift on a shared machine falls on both alike;
5. stops the servers and compares the database with what was acknowledged: per target the
   current-vote rows must equal the 201 responses, the history rows the 2xx responses, and
   every (participant, statement) must hold the last acknowledged value. Each client owns
   its own participants, so the last acknowledgement of a pair is well defined.

The load generator is an asyncio client over raw keep-alive sockets (32 connections, one
request in flight on each: a closed loop). It stops each connection after its response at
the end of a segment, so no request is left in flight and the accounting is exact. Its own
CPU use is printed: it must stay a small share of one core so that it is not the
bottleneck.

Not a test: it prints a table and the ratio and exits non-zero only when the harness itself
fails (a server that does not start, a setup error), not when a target misses.

    DATABASE_URL is ignored; give --database-url.
    .venv/bin/python benchmarks/vote_intake.py --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# ``concord`` itself, run from this checkout (cwd=ROOT), not from wherever it is installed.
CONCORD = [PYTHON, "-m", "concord.cli"]


# ------------------------------------------------------------------------------ setup


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing database name {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_env(args: argparse.Namespace, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONCORD_"))}
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CONCORD_ENV="production",
        CONCORD_SSL_REDIRECT="0",  # plain HTTP on loopback
        CONCORD_RATE_LIMITS="off",  # for load benchmarks only
        CONCORD_VAR_DIR=str(args.var_dir),
    )
    return env


def run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")


@dataclass
class Target:
    name: str
    slug: str
    port: int = 0
    consultation_id: int = 0
    statements: list[int] = field(default_factory=list)
    # participant id -> bearer token
    tokens: dict[int, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None


def make_data(args: argparse.Namespace, env: dict[str, str], targets: list[Target]) -> None:
    """Consultations, seed statements and participants through Concord's own services."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from concord.accounts.models import Role
    from concord.accounts.services import user_upsert
    from concord.consultation import services
    from concord.consultation.tokens import token_for
    from concord.organization.models import Organization

    sco = Organization.objects.get(slug="sco")
    secretariat = user_upsert(username="bench-secretariat", role=Role.SECRETARIAT, organization=sco)
    for target in targets:
        consultation = services.consultation_create(
            actor=secretariat, org_slug=sco.slug, slug=target.slug, title=f"Load: {target.name}"
        )
        target.consultation_id = consultation.pk
        for i in range(args.statements):
            statement = services.statement_submit(
                actor=secretariat,
                slug=consultation.slug,
                participant=None,
                text=f"Seed statement {i} of the {target.name} load benchmark.",
                seed=True,
            )
            target.statements.append(statement.pk)
        for _ in range(args.participants):
            participant = services.participant_create(actor=None, slug=consultation.slug)
            target.tokens[participant.pk] = token_for(participant.pk, consultation.pk)
    connections.close_all()


GUNICORN_FLAGS = [
    # What ``concord serve`` (concord/cli.py: cmd_serve) passes to gunicorn.
    "--worker-class",
    "gthread",
    "--access-logfile",
    "/dev/null",
    "--graceful-timeout",
    "10",
]


def start(target: Target, args: argparse.Namespace, env: dict[str, str]) -> None:
    target.port = free_port()
    common = ["--workers", str(args.workers), "--threads", str(args.threads)]
    if target.name == "concord":
        cmd = [*CONCORD, "serve", "--host", "127.0.0.1", "--port", str(target.port), *common]
        target_env = env
    else:
        cmd = [
            PYTHON,
            "-m",
            "gunicorn",
            "benchmarks.bare_vote.wsgi:application",
            "--bind",
            f"127.0.0.1:{target.port}",
            *common,
            *GUNICORN_FLAGS,
            "--chdir",
            str(ROOT),
        ]
        target_env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.bare_vote.settings"}
    target.proc = subprocess.Popen(cmd, env=target_env, cwd=ROOT, start_new_session=True)


def stop(target: Target) -> None:
    if target.proc is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(target.proc.pid, signal.SIGTERM)
    try:
        target.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(target.proc.pid, signal.SIGKILL)
        target.proc.wait()


# ------------------------------------------------------------------------- load generator


class HarnessError(Exception):
    pass


@dataclass
class Tally:
    """What one segment of load saw."""

    latencies: list[float] = field(default_factory=list)  # seconds, 2xx only
    status: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # non-2xx responses (a broken connection is a harness failure)
    seconds: float = 0.0
    cpu: float = 0.0  # the generator's own CPU seconds

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        for k, v in other.status.items():
            self.status[k] = self.status.get(k, 0) + v
        self.errors += other.errors
        self.seconds += other.seconds
        self.cpu += other.cpu

    @property
    def requests(self) -> int:
        return sum(self.status.values())

    @property
    def acknowledged(self) -> int:
        return self.status.get(200, 0) + self.status.get(201, 0)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


@dataclass
class Ledger:
    """Every acknowledged vote of a target: the truth the database is compared with."""

    last: dict[tuple[int, int], int] = field(default_factory=dict)
    created: int = 0
    acts: int = 0


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                return status, body
    return status, await reader.readexactly(length or 0)


async def client(
    n: int,
    target: Target,
    participants: list[int],
    ledger: Ledger,
    tally: Tally,
    deadline: float,
    rng: random.Random,
) -> None:
    """One keep-alive connection, one request at a time, until ``deadline``."""
    path = f"/api/v1/consultations/{target.slug}/votes"
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    statements = target.statements
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", target.port)
        assert reader is not None
        pid = participants[rng.randrange(len(participants))]
        sid = statements[rng.randrange(len(statements))]
        value = rng.choice((1, -1, 0))
        body = b'{"statement": %d, "vote": %d}' % (sid, value)
        request = (
            b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (path.encode(), target.port, target.tokens[pid].encode(), len(body), body)
        )
        started = time.perf_counter()
        try:
            writer.write(request)
            status, _body = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            # An unanswered request of unknown outcome would break the exact accounting.
            raise HarnessError(f"{target.name}: connection {n} broke mid-request") from None
        elapsed = time.perf_counter() - started
        tally.status[status] = tally.status.get(status, 0) + 1
        if status in (200, 201):
            tally.latencies.append(elapsed)
            ledger.last[(pid, sid)] = value
            ledger.acts += 1
            ledger.created += status == 201
        else:
            tally.errors += 1
    if writer is not None:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def load(target: Target, ledger: Ledger, seconds: float, clients: int, seed: int) -> Tally:
    pids = sorted(target.tokens)
    # Client i owns every participant with index = i (mod clients): no two connections ever
    # vote for the same participant at once, so "the last acknowledged vote" is exact.
    owned = [pids[i::clients] for i in range(clients)]
    tally = Tally()
    cpu0, t0 = time.process_time(), time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(
        *(
            client(i, target, owned[i], ledger, tally, deadline, random.Random(seed * 1000 + i))
            for i in range(clients)
        )
    )
    tally.seconds = time.perf_counter() - t0
    tally.cpu = time.process_time() - cpu0
    return tally


async def wait_ready(target: Target, timeout: float = 60) -> None:
    """Ready when the vote URL answers (any status) on a fresh connection."""
    deadline = time.monotonic() + timeout
    while True:
        if target.proc is not None and target.proc.poll() is not None:
            raise HarnessError(f"{target.name} server exited with {target.proc.returncode}")
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", target.port)
            writer.write(
                b"GET /api/v1/consultations/%s/votes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Connection: close\r\n\r\n" % target.slug.encode()
            )
            await read_response(reader)
            writer.close()
            return
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if time.monotonic() > deadline:
                raise HarnessError(f"{target.name} server did not start") from None
            await asyncio.sleep(0.2)


# ------------------------------------------------------------------------------ checking


def database_check(url: str, target: Target) -> tuple[int, int, int]:
    """(current votes, history rows, pairs whose value differs from the last ack)."""
    import psycopg

    with psycopg.connect(url) as conn:
        votes = conn.execute(
            "SELECT participant_id, statement_id, value FROM consultation_vote "
            "WHERE consultation_id = %s",
            [target.consultation_id],
        ).fetchall()
        (events,) = conn.execute(
            "SELECT count(*) FROM consultation_voteevent WHERE consultation_id = %s",
            [target.consultation_id],
        ).fetchone() or (0,)
    current = {(p, s): v for p, s, v in votes}
    return (
        len(current),
        int(events),
        sum(current.get(k) != v for k, v in LEDGERS[target.name].last.items()),
    )


LEDGERS: dict[str, Ledger] = {}


# ---------------------------------------------------------------------------------- main


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


async def bench(args: argparse.Namespace, targets: list[Target]) -> dict[str, Tally]:
    await asyncio.gather(*(wait_ready(t) for t in targets))
    for t in targets:
        LEDGERS[t.name] = Ledger()
    for t in targets:  # warm-up: every worker and thread opens its database connection
        await load(t, LEDGERS[t.name], args.warmup, args.clients, seed=1)
    measured = {t.name: Tally() for t in targets}
    by_name = {t.name: t for t in targets}
    segment = args.duration / args.rounds
    order: list[str] = []
    for r in range(args.rounds):  # bare, concord | concord, bare | ...
        order += ["bare", "concord"] if r % 2 == 0 else ["concord", "bare"]
    for i, name in enumerate(order):
        part = await load(by_name[name], LEDGERS[name], segment, args.clients, seed=100 + i)
        measured[name].add(part)
        print(
            f"  segment {i + 1}/{len(order)} {name:8s}"
            f" {part.acknowledged / part.seconds:7.0f} votes/s  p99 {part.percentile(99):6.1f} ms",
            flush=True,
        )
    return measured


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/concord_voteload")
    # `concord serve`'s own defaults (concord/cli.py), so that the default run measures the
    # production setup as it ships.
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--duration", type=float, default=20, help="measured seconds per target")
    p.add_argument("--rounds", type=int, default=4, help="alternating segments per target")
    p.add_argument("--warmup", type=float, default=5, help="seconds per target")
    p.add_argument("--participants", type=int, default=2000)
    p.add_argument("--statements", type=int, default=50)
    p.add_argument("--var-dir", type=Path, default=ROOT / "var" / "voteload")
    args = p.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the production setup is PostgreSQL: give a postgres:// URL")

    secret = secrets.token_urlsafe(48)
    env = server_env(args, secret)
    args.var_dir.mkdir(parents=True, exist_ok=True)
    print(f"database {args.database_url}: recreate, migrate, load SCO reference", flush=True)
    recreate_database(args.database_url)
    run([*CONCORD, "migrate"], env)
    run([*CONCORD, "load-reference", "sco"], env)
    targets = [Target("bare", "load-bare"), Target("concord", "load-concord")]
    make_data(args, env, targets)
    print(
        f"data: {args.participants} participants x {args.statements} statements per target; "
        f"gunicorn gthread --workers {args.workers} --threads {args.threads}; "
        f"{args.clients} clients; {args.duration:g} s per target in {args.rounds * 2} "
        f"alternating segments after {args.warmup:g} s warm-up each",
        flush=True,
    )
    try:
        for t in targets:
            start(t, args, env)
        measured = asyncio.run(bench(args, targets))
    except HarnessError as exc:
        print(f"harness failure: {exc}", file=sys.stderr)
        return 2
    finally:
        for t in targets:
            stop(t)

    rows = [["target", "requests", "votes/s", "p50 ms", "p95 ms", "p99 ms", "errors",
             "acknowledged", "in DB", "exact"]]  # fmt: skip
    result: dict[str, Any] = {}
    for t in targets:
        tally, ledger = measured[t.name], LEDGERS[t.name]
        current, events, wrong = database_check(args.database_url, t)
        exact = current == ledger.created and events == ledger.acts and wrong == 0
        rate = tally.acknowledged / tally.seconds
        result[t.name] = {"rate": rate, "p99": tally.percentile(99), "exact": exact}
        rows.append(
            [
                t.name,
                str(tally.requests),
                f"{rate:.0f}",
                f"{tally.percentile(50):.1f}",
                f"{tally.percentile(95):.1f}",
                f"{tally.percentile(99):.1f}",
                str(tally.errors),
                f"{ledger.acts} ({ledger.created} new)",
                f"{events} ({current} current)",
                "yes" if exact else f"NO ({wrong} pairs differ)",
            ]
        )
    print()
    print(table(rows))
    ratio = result["concord"]["rate"] / result["bare"]["rate"]
    cpu = sum(m.cpu for m in measured.values()) / sum(m.seconds for m in measured.values())
    print()
    print(f"concord / bare throughput: {ratio:.1%} (target >= 70%)")
    print(f"concord p99: {result['concord']['p99']:.1f} ms (target < 100 ms)")
    print(f"load generator CPU: {cpu:.0%} of one core during the measured segments")
    print(
        "acknowledged (warm-up and measured) = history rows, 201s = current votes, "
        "last value per pair: "
        + ("exact" if all(r["exact"] for r in result.values()) else "MISMATCH")
    )
    print(json.dumps({"ratio": round(ratio, 4), **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
