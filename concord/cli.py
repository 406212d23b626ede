"""The ``concord`` command.

    concord up [--host H] [--port P] [--workers N] [--debug]
                                                      migrate, load SCO data and demo, serve
    concord serve [--host H] [--port P] [--workers N] [--debug]
                                                      the multi-worker application server
    concord worker [--once]                           background jobs (maps, silence deadlines)
    concord migrate                                   apply database migrations
    concord load-reference NAME                       load a reference dataset (sco)
    concord load-demo                                 load the demo accounts and data
    concord user create NAME --role R [--state ISO3] --org ORG [--token] [--password P]
    concord user reset-2fa NAME                       remove a user's second factor (audited)
    concord user demo-code NAME                       a demo account's current code (demo only)
    concord backup FILE [--kind K]                    database snapshot and media, one archive
    concord restore FILE                              into an empty database, then audit verify
    concord audit verify [--checkpoint FILE]          recompute the chain, check the rows
    concord audit checkpoint [--out FILE]             sign the log's head (key outside the DB)
    concord audit relog-existing [--dry-run]          log rows older than their kind's audit
    concord polis map DIR --json                      opinion map of a Pol.is export
    concord polis import DIR --consultation SLUG [--json]  import a Pol.is export
    concord polis export SLUG DIR                     export a consultation as Pol.is CSVs

All honour DATABASE_URL (PostgreSQL) and default to SQLite in var/. Debug is off unless
``--debug`` or ``CONCORD_DEBUG=1``: Django's debug pages list settings and URL patterns, so
they are for a developer's own machine, never a server others can reach.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _fail(message: str, code: int = 2) -> int:
    print(f"concord: {message}", file=sys.stderr)
    return code


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    return 0


def cmd_load_reference(args: argparse.Namespace) -> int:
    _django()
    from concord.common.errors import DomainError
    from concord.reference.loader import load_reference

    try:
        done = load_reference(args.name)
    except DomainError as exc:
        return _fail(exc.detail)
    changes = ", ".join(f"{v} {k}" for k, v in sorted(done.items())) or "nothing changed"
    print(f"loaded reference dataset {args.name}: {changes}")
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    _django()
    from concord.reference.demo import load_demo

    for line in load_demo():
        print(line)
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    _django()
    from concord.accounts.services import token_issue, user_upsert
    from concord.common.errors import DomainError
    from concord.organization.models import Organization, State

    org = Organization.objects.filter(slug=args.org).first() if args.org else None
    if args.org and org is None:
        return _fail(f"no organization {args.org!r} (run: concord load-reference sco)")
    state = None
    if args.state:
        state = State.objects.filter(iso3=args.state.upper()).first()
        if state is None:
            return _fail(f"no state {args.state!r}")
    try:
        user = user_upsert(
            username=args.name,
            role=args.role,
            organization=org,
            state=state,
            password=args.password,
        )
    except DomainError as exc:
        return _fail(exc.detail)
    print(
        f"user {user.username}: role {user.role}"
        + (f", acts for {user.state.iso3}" if user.state else "")
        + (f", organization {org.slug}" if org else "")
    )
    if args.token:
        print(token_issue(user=user))
    return 0


def cmd_user_reset_2fa(args: argparse.Namespace) -> int:
    _django()
    import getpass

    from concord.accounts.models import User
    from concord.accounts.two_factor import second_factor_reset

    user = User.objects.filter(username=args.name).first()
    if user is None:
        return _fail(f"no user {args.name!r}")
    removed = second_factor_reset(user=user, by=f"concord user reset-2fa ({getpass.getuser()})")
    print(f"user {user.username}: {removed} second-factor devices removed; enrols at next sign-in")
    return 0


def cmd_user_demo_code(args: argparse.Namespace) -> int:
    """The current code of a demo account's published authenticator (never in production,
    never for an account enrolled by its owner)."""
    _django()
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from concord.accounts.two_factor import DEMO_DEVICE, totp_code

    if settings.PRODUCTION:
        return _fail("demo codes exist only outside production")
    device = TOTPDevice.objects.filter(
        user__username=args.name, name=DEMO_DEVICE, confirmed=True
    ).first()
    if device is None:
        return _fail(f"{args.name!r} has no demo authenticator (see concord load-demo)")
    print(totp_code(device.key))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _django()
    from concord.audit.backup import BackupError, backup

    try:
        manifest = backup(Path(args.file), kind=args.kind)
    except BackupError as exc:
        return _fail(f"backup failed: {exc}", 1)
    print(
        f"backup written to {args.file}: {manifest['vendor']} as {manifest['kind']}, "
        f"{len(manifest['media'])} media files, {len(manifest['migrations'])} migrations"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _django()
    from concord.audit.backup import BackupError, restore

    try:
        result = restore(Path(args.file))
    except BackupError as exc:
        return _fail(f"restore failed: {exc}", 1)
    if not result.ok:
        print(
            f"RESTORED, BUT THE AUDIT RECORD DOES NOT VERIFY ({len(result.problems)} problems):",
            file=sys.stderr,
        )
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(
        f"restored {args.file} ({result.kind}); audit chain ok: {result.events} events, "
        f"head {result.head}"
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _django()
    from concord.audit.checkpoint import CheckpointError, checkpoint_check, checkpoint_read
    from concord.audit.services import chain_verify

    result = chain_verify()
    failed = not result.ok
    for problem in result.problems:
        print(f"audit record BROKEN: {problem}", file=sys.stderr)
    if args.checkpoint:
        try:
            checkpoint_check(checkpoint_read(Path(args.checkpoint)))
        except CheckpointError as exc:
            print(f"audit checkpoint FAILS: {exc}", file=sys.stderr)
            failed = True
        else:
            print(f"audit checkpoint {args.checkpoint} holds: the log extends it")
    if failed:
        return 1
    print(f"audit chain ok: {result.events} events, head {result.head}")
    return 0


def cmd_audit_relog(args: argparse.Namespace) -> int:
    """Once, after upgrading a database made before memberships, users and tokens were
    audited: one event per such row, marked as recorded after the fact."""
    _django()
    from concord.audit.services import relog_existing

    result = relog_existing(dry_run=args.dry_run)
    if result.refused:
        for problem in result.problems:
            print(f"audit record BROKEN: {problem}", file=sys.stderr)
        return _fail(
            "refusing to re-log: the log disagrees with the data in a way that is not "
            "absence (nothing was written)",
            1,
        )
    for line in result.written:
        print(("would write " if args.dry_run else "wrote ") + line)
    verb = "would re-log" if args.dry_run else "re-logged"
    print(f"audit {verb} {len(result.written)} rows; chain ok: {result.events} events")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    _django()
    from concord.audit.checkpoint import checkpoint_make
    from concord.audit.services import chain_verify

    result = chain_verify()
    if not result.ok:
        for problem in result.problems:
            print(f"audit record BROKEN: {problem}", file=sys.stderr)
        return _fail("refusing to sign a checkpoint of a broken log", 1)
    cp = checkpoint_make(events=result.events, head=result.head)
    text = cp.as_json()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"audit checkpoint written to {args.out}: {cp.events} events, head {cp.head}")
    else:
        print(text, end="")
    return 0


def _debug_from(args: argparse.Namespace) -> None:
    """``--debug`` turns debug on for this process and the ones it starts (settings read
    CONCORD_DEBUG when Django is set up, so this runs first)."""
    if getattr(args, "debug", False):
        os.environ["CONCORD_DEBUG"] = "1"
    if os.environ.get("CONCORD_DEBUG") == "1" and not os.environ.get("CONCORD_DEBUG_WARNED"):
        os.environ["CONCORD_DEBUG_WARNED"] = "1"  # once, not again from `serve` under `up`
        print(
            "concord: DEBUG is on: error pages show settings and URL patterns; "
            "never let anyone else reach this server.",
            file=sys.stderr,
        )


def cmd_serve(args: argparse.Namespace) -> int:
    _debug_from(args)
    _django()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        # Several `concord serve` on one host share STATIC_ROOT: one collects at a time (two
        # at once wrote and renamed the same files, and one of them failed to start).
        import fcntl

        with (Path(settings.STATIC_ROOT).parent / ".collectstatic.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command("collectstatic", interactive=False, verbosity=0)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-" if args.access_log else "/dev/null",
        "--graceful-timeout",
        "10",
        # Load the application once in the master (imports included) and fork: workers
        # start warm and share the imported code's memory.
        "--preload",
        "--chdir",
        str(BASE_DIR),
    ]
    os.execv(sys.executable, command)  # noqa: S606 - replace this process by the server
    return 0  # pragma: no cover


def cmd_worker(args: argparse.Namespace) -> int:
    """The worker yields the CPU to the web processes: it runs niced
    (``CONCORD_WORKER_NICE``, default 10) with BLAS and OpenMP bounded to
    ``CONCORD_WORKER_THREADS`` threads (default 1), so a map of millions of votes does not
    take every core from vote intake on the same host."""
    niceness = int(os.environ.get("CONCORD_WORKER_NICE", "10"))
    if niceness > 0:
        os.nice(niceness)
    _django()
    from threadpoolctl import threadpool_limits

    from concord.common.worker import run

    with threadpool_limits(limits=int(os.environ.get("CONCORD_WORKER_THREADS", "1"))):
        return run(once=args.once, interval=args.interval)


def cmd_up(args: argparse.Namespace) -> int:
    _debug_from(args)
    for step in (cmd_migrate, cmd_load_reference, cmd_load_demo):
        code = step(args)
        if code:
            return code
    url = f"http://{args.host}:{args.port}/"
    print(f"\nConcord is starting on {url}")
    print("Demo sign-ins (synthetic accounts): see the lines above; password 'concord-demo'.")
    print(
        "Heads and the secretariat then give a second factor: "
        f"'{Path(sys.argv[0]).name} user demo-code secretariat' prints the code (demo only)."
    )
    worker = subprocess.Popen([sys.executable, "-m", "concord.cli", "worker"])
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "concord.cli",
            "serve",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
        ]
    )

    def stop(signum: int, frame: object) -> None:
        for proc in (server, worker):
            proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = server.wait()
    worker.terminate()
    worker.wait()
    return code


def _polis(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if name == "map":
            from concord.opinion.cli import polis_map

            return polis_map(args.rest)
        _django()
        module = import_module("concord.consultation.polis_cli")
        result: int = getattr(module, f"polis_{name}")(args)
        return result

    return run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="concord", description="Concord: decide by consensus.")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def server_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--host", default=os.environ.get("CONCORD_HOST", "127.0.0.1"))
        sp.add_argument("--port", type=int, default=int(os.environ.get("CONCORD_PORT", "8000")))
        sp.add_argument("--workers", type=int, default=int(os.environ.get("CONCORD_WORKERS", "2")))
        sp.add_argument("--threads", type=int, default=int(os.environ.get("CONCORD_THREADS", "4")))
        sp.add_argument("--access-log", action="store_true")
        sp.add_argument(
            "--debug",
            action="store_true",
            help="Django's debug mode (also CONCORD_DEBUG=1); for your own machine only",
        )

    up = sub.add_parser("up", help="migrate, load the SCO data and demo, and serve")
    server_args(up)
    up.set_defaults(func=cmd_up, name="sco")
    serve = sub.add_parser("serve", help="serve with a multi-worker application server")
    server_args(serve)
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run background jobs (opinion maps, silence deadlines)")
    worker.add_argument("--once", action="store_true", help="run every job once and exit")
    worker.add_argument("--interval", type=float, default=2.0)
    worker.set_defaults(func=cmd_worker)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    lr = sub.add_parser("load-reference", help="load a reference dataset (idempotent)")
    lr.add_argument("name", help="dataset name, e.g. sco")
    lr.set_defaults(func=cmd_load_reference)
    sub.add_parser("load-demo", help="load the demo accounts and data (idempotent)").set_defaults(
        func=cmd_load_demo
    )

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="action", required=True)
    create = user.add_parser("create", help="create or update a user; --token prints a token")
    create.add_argument("name")
    create.add_argument(
        "--role", required=True, choices=["secretariat", "head", "delegate", "participant"]
    )
    create.add_argument(
        "--state", help="ISO 3166 alpha-3 code of the state a head/delegate acts for"
    )
    create.add_argument("--org", help="organization slug, e.g. sco")
    create.add_argument("--password")
    create.add_argument(
        "--token", action="store_true", help="issue a fresh API token (printed on the last line)"
    )
    create.set_defaults(func=cmd_user_create)
    reset = user.add_parser(
        "reset-2fa", help="remove a user's second-factor devices (audited); enrols anew"
    )
    reset.add_argument("name")
    reset.set_defaults(func=cmd_user_reset_2fa)
    demo_code = user.add_parser(
        "demo-code", help="the current second-factor code of a demo account (demo only)"
    )
    demo_code.add_argument("name")
    demo_code.set_defaults(func=cmd_user_demo_code)

    bk = sub.add_parser("backup", help="write a consistent snapshot of the database and files")
    bk.add_argument("file")
    bk.add_argument(
        "--kind",
        choices=["auto", "sqlite", "pg_dump", "json"],
        default="auto",
        help="auto: SQLite's backup API, pg_dump when on PATH, else a JSON dump",
    )
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser(
        "restore", help="restore a backup into an empty database, then verify the audit chain"
    )
    rs.add_argument("file")
    rs.set_defaults(func=cmd_restore)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="action", required=True
    )
    av = audit.add_parser(
        "verify", help="recompute the chain and check the decisions' rows against it"
    )
    av.add_argument("--checkpoint", help="a signed checkpoint file the log must still extend")
    av.set_defaults(func=cmd_audit_verify)
    ac = audit.add_parser("checkpoint", help="sign the log's head and length (Ed25519)")
    ac.add_argument("--out", help="write the checkpoint to this file (default: print it)")
    ac.set_defaults(func=cmd_audit_checkpoint)
    ar = audit.add_parser(
        "relog-existing",
        help="log memberships, users and tokens written before they were audited",
    )
    ar.add_argument("--dry-run", action="store_true", help="show what would be written")
    ar.set_defaults(func=cmd_audit_relog)

    polis = sub.add_parser("polis", help="Pol.is import, export and opinion map").add_subparsers(
        dest="action", required=True
    )
    pm = polis.add_parser("map", help="opinion map of a Pol.is export directory", add_help=False)
    pm.add_argument("rest", nargs=argparse.REMAINDER)
    pm.set_defaults(func=_polis("map"))
    pi = polis.add_parser("import", help="import a Pol.is export into a consultation")
    pi.add_argument("directory")
    pi.add_argument("--consultation", required=True)
    pi.add_argument("--org", default="sco")
    pi.add_argument("--json", action="store_true", help="print a JSON summary at the end")
    indexes = pi.add_mutually_exclusive_group()
    indexes.add_argument(
        "--rebuild-indexes",
        dest="rebuild_indexes",
        action="store_const",
        const=True,
        help="drop the vote indexes for the load and rebuild them before the commit (faster; "
        "on PostgreSQL the vote tables are locked until the commit). Default: when the file "
        "brings more votes than the database holds",
    )
    indexes.add_argument(
        "--keep-indexes",
        dest="rebuild_indexes",
        action="store_const",
        const=False,
        help="keep the vote indexes (slower; votes elsewhere stay writable during the import)",
    )
    pi.set_defaults(func=_polis("import"))
    pe = polis.add_parser("export", help="export a consultation as Pol.is CSV files")
    pe.add_argument("slug")
    pe.add_argument("directory")
    pe.set_defaults(func=_polis("export"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
