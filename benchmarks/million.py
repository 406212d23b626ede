"""A million participants through the product: ``concord polis import`` then
``concord worker --once``, each as its own process, timed, with its peak RSS.

Usage (from the repository root):

    .venv/bin/python benchmarks/million.py --participants 1000000 --statements 5000 \
        --density 0.005 --database postgres [--runs 2]
    .venv/bin/python benchmarks/million.py --participants 100000 --statements 2000 \
        --density 0.02 --database sqlite

The data comes from ``benchmarks/polis_synth.py`` (generated once into var/bench/). Each run
uses a throw-away database: PostgreSQL ``concord_bench_million`` on 127.0.0.1 (dropped and
created; override with ``--pg-name``), or a SQLite file in a temporary ``CONCORD_VAR_DIR``.
Prints wall time and peak RSS of the import and of the worker, the map's own computation
time as the snapshot records it, and the load averages before and after each step.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONCORD = [sys.executable, "-m", "concord.cli"]


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: run the biggest step last, or read
    # it as an upper bound when an earlier child was bigger.
    return seconds, max(peak, before) / 1024, done.stdout


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
    parser.add_argument("--pg-name", default="concord_bench_million")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    data = _data(args)
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            env = _fresh_env(args, Path(tmp))
            print(f"run {run}: {args.database}, {data.name}; before import {_load()}")
            seconds, peak, out = _timed(
                [*CONCORD, "polis", "import", str(data), "--consultation", "bench", "--json"],
                env,
            )
            summary = json.loads(out)
            print(
                f"  import: {seconds:.1f} s, peak RSS {peak:,.0f} MB, {summary['votes']:,} votes, "
                f"{summary['participants']:,} participants; {_load()}"
            )
            seconds, peak, _out = _timed([*CONCORD, "worker", "--once"], env)
            print(
                f"  worker --once: {seconds:.1f} s, peak RSS <= {peak:,.0f} MB; "
                f"snapshot (seconds votes participants): {_map_seconds(env)}; {_load()}"
            )


if __name__ == "__main__":
    main()
