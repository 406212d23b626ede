"""A million participants through the product: ``concord polis import`` then
``concord worker --once``, each as its own process, timed, with its peak RSS.

Usage (from the repository root):

    .venv/bin/python benchmarks/million.py --participants 1000000 --statements 5000 \
        --density 0.005 --database postgres [--runs 2]
    .venv/bin/python benchmarks/million.py --participants 100000 --statements 2000 \
        --density 0.02 --database sqlite

The data is synthetic: a Pol.is-export-shaped CSV (comments.csv, votes.csv, summary.csv) of N
participants x M statements at density d with planted groups, from
``benchmarks/polis_synth.py`` (generated once into var/bench/). Each run
uses a throw-away database: PostgreSQL ``concord_bench_million`` on 127.0.0.1 (dropped and
created; override with ``--pg-name``), or a SQLite file in a temporary ``CONCORD_VAR_DIR``.
Prints wall time, CPU time (user + sys) and peak RSS of the import and of the worker (each
measured by `/usr/bin/time -v` on its own process; the PostgreSQL server's CPU is not in
them), the map's own computation time as the snapshot records it, and the load averages
before and after each step. ``--sqlite`` is ``--database sqlite``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONCORD = [sys.executable, "-m", "concord.cli"]


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


@dataclass
class Timing:
    """One child process under ``/usr/bin/time -v``: its own figures, not the tree's."""

    wall: float
    user: float
    system: float
    peak_mb: float
    stdout: str

    @property
    def cpu(self) -> float:
        return self.user + self.system

    def __str__(self) -> str:
        return (
            f"wall {self.wall:.1f} s, CPU {self.cpu:.1f} s (user {self.user:.1f} + sys "
            f"{self.system:.1f}), peak RSS {self.peak_mb:,.0f} MB"
        )


def _timed(command: list[str], env: dict[str, str]) -> Timing:
    """Run ``command`` under ``/usr/bin/time -v`` and read its wall, CPU and peak RSS.

    The database server's own CPU (PostgreSQL backends) is not in these figures."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        if done.returncode:
            sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
        fields = dict(
            line.strip().rsplit(": ", 1) for line in report.read().splitlines() if ": " in line
        )
    return Timing(
        wall=wall,
        user=float(fields["User time (seconds)"]),
        system=float(fields["System time (seconds)"]),
        peak_mb=int(fields["Maximum resident set size (kbytes)"]) / 1024,
        stdout=done.stdout,
    )


def _data(args: argparse.Namespace) -> Path:
    name = f"synth-realistic-{args.participants}x{args.statements}-{args.density}"
    out = ROOT / "var" / "bench" / name
    if not (out / "votes.csv").exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "polis_synth.py"),
                str(out),
                "--participants",
                str(args.participants),
                "--statements",
                str(args.statements),
                "--density",
                str(args.density),
            ],
            check=True,
        )
    return out


def _fresh_env(args: argparse.Namespace, tmp: Path) -> dict[str, str]:
    env = {**os.environ, "CONCORD_MAP_DEBOUNCE_SECONDS": "0"}
    if args.database == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{args.pg_name}"
        for sql in (f"DROP DATABASE IF EXISTS {args.pg_name}", f"CREATE DATABASE {args.pg_name}"):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],
                check=True,
            )
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
        env["CONCORD_VAR_DIR"] = str(tmp)
    for step in (["migrate"], ["load-reference", "sco"]):
        subprocess.run([*CONCORD, *step], env=env, cwd=ROOT, check=True, capture_output=True)
    return env


def _map_seconds(env: dict[str, str]) -> str:
    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
        "django.setup();from concord.consultation.models import OpinionMapSnapshot as S;"
        "s=S.objects.order_by('-id').first();print(s.seconds, s.votes, s.participants)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--density", type=float, required=True)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--sqlite", dest="database", action="store_const", const="sqlite", help="--database sqlite"
    )
    parser.add_argument("--pg-name", default="concord_bench_million")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--intake-during-recompute",
        action="store_true",
        help="after the last run (PostgreSQL), vote intake p99 while its map recomputes "
        "(benchmarks/recompute_under_load.py on the same database)",
    )
    args = parser.parse_args()
    data = _data(args)
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            env = _fresh_env(args, Path(tmp))
            print(f"run {run}: {args.database}, {data.name}; before import {_load()}")
            done = _timed(
                [*CONCORD, "polis", "import", str(data), "--consultation", "bench", "--json"],
                env,
            )
            summary = json.loads(done.stdout)
            print(
                f"  import: {done}; {summary['votes']:,} votes, {summary['events']:,} events, "
                f"{summary['participants']:,} participants; {_load()}",
                flush=True,
            )
            done = _timed([*CONCORD, "worker", "--once"], env)
            print(
                f"  worker --once: {done}; "
                f"snapshot (seconds votes participants): {_map_seconds(env)}; {_load()}",
                flush=True,
            )
    if args.intake_during_recompute and args.database == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{args.pg_name}"
        script = ROOT / "benchmarks" / "recompute_under_load.py"
        subprocess.run(
            [sys.executable, str(script), "--database-url", url, "--consultation", "bench"],
            check=True,
        )


if __name__ == "__main__":
    main()
