"""``concord backup FILE`` and ``concord restore FILE``: one archive holding a consistent
snapshot of the database and the uploaded files, restored only into an empty database
and then checked by the audit chain verification.

The archive (tar, gzip) holds ``manifest.json`` (format, database vendor, dump kind,
when, the applied migrations), the database, and ``media/`` (``MEDIA_ROOT``'s files):

- SQLite: ``database.sqlite3``, a copy taken with SQLite's online backup API (a
  consistent snapshot while others keep writing);
- PostgreSQL: ``database.pgdump`` from ``pg_dump --format=custom`` (one snapshot by
  construction) when ``pg_dump`` is on PATH, else ``database.json``, Django's
  serialization of every model read in one REPEATABLE READ transaction.

Never in the archive: the secret key and the audit signing key (kept outside the
database on purpose: a stolen backup must not carry them). Restoring under another
secret key keeps everything but the link from a signed-in user to their consultation
participants (keyed pseudonyms) and open sessions.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
#: Tables of passing state, not data: sessions, sign-in attempts, Django's own caches of
#: models and permissions (re-created by migrate).
SKIPPED_APPS = ("contenttypes", "sessions", "axes", "admin")
SKIPPED_MODELS = ("auth.permission",)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Restored:
    kind: str
    events: int
    head: str
    ok: bool
    problems: tuple[str, ...]


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH (install the PostgreSQL client tools)")
    return found


def _models() -> list[Any]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in SKIPPED_APPS
        and m._meta.label_lower not in SKIPPED_MODELS
        and not m._meta.proxy
        and m._meta.managed
    ]


def _exact(value: Any) -> Any:
    """JSON for what Django's JSON encoder would round: datetimes keep their microseconds
    (the audit chain hashes them), decimals their digits."""
    import datetime as dt
    import decimal
    import uuid

    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"cannot serialize {type(value).__name__}")


def _json_dump(out: Path) -> None:
    """Every model's rows in one transaction (one snapshot on PostgreSQL)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with out.open("w", encoding="utf-8") as stream:
            stream.write("[")
            first = True
            for model in _models():
                rows = serializers.serialize("python", model._default_manager.order_by("pk"))
                for row in rows:
                    stream.write(("" if first else ",\n") + json.dumps(row, default=_exact))
                    first = False
            stream.write("]\n")


def _json_load(dump: Path) -> None:
    """Load a JSON dump into the migrated, empty database in one transaction, with
    constraint checks deferred to the end (rows come model by model), then set the
    sequences past the loaded ids."""
    from django.core.management.color import no_style

    data = json.loads(dump.read_text(encoding="utf-8"))
    models = set()
    with transaction.atomic():
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("python", data):
                obj.save()
                models.add(type(obj.object))
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        sql = connection.ops.sequence_reset_sql(no_style(), list(models))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def backup(path: Path, *, kind: str = "auto") -> dict[str, Any]:
    """Write the archive to ``path``; returns the manifest. ``kind``: auto, sqlite,
    pg_dump or json."""
    vendor = connection.vendor
    if kind == "auto":
        kind = (
            "sqlite"
            if vendor == "sqlite"
            else "pg_dump"
            if vendor == "postgresql" and shutil.which("pg_dump")
            else "json"
        )
    if kind == "sqlite" and vendor != "sqlite":
        raise BackupError("the sqlite kind backs up SQLite databases only")
    if kind == "pg_dump" and vendor != "postgresql":
        raise BackupError("pg_dump backs up PostgreSQL databases only")
    migrations = sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )
    with tempfile.TemporaryDirectory(prefix="concord-backup-") as tmp:
        work = Path(tmp)
        if kind == "sqlite":
            name = "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(work / name)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif kind == "pg_dump":
            name = "database.pgdump"
            args, env = _pg_env()
            done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _program("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(work / name),
                    *args,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            name = "database.json"
            _json_dump(work / name)
        media = _media_root()
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "kind": kind,
            "database": name,
            "created_at": timezone.now().isoformat(),
            "migrations": migrations,
            "media": [str(p.relative_to(media)) for p in files],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(work / name, arcname=name)
            for p in files:
                tar.add(p, arcname=f"media/{p.relative_to(media)}")
        partial.replace(path)  # a half-written archive never carries the final name
    return manifest


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if not tables:
        return True
    from django.contrib.auth import get_user_model

    from concord.audit.models import Event

    User = get_user_model()  # the user table, named without importing accounts (a layer up)

    needed = {Event._meta.db_table, User._meta.db_table}
    if not needed <= tables:
        return False  # some other schema: not ours to overwrite
    return not Event.objects.exists() and not User.objects.exists()


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"refusing archive member {member.name!r}")
        members.append(member)
    return members


def restore(path: Path) -> Restored:
    """Restore the archive into this (empty) database and ``MEDIA_ROOT``, bring the
    schema up to date, and verify the audit chain. Raises ``BackupError`` when the
    database is not empty or the archive is not a Concord backup."""
    from concord.audit.services import chain_verify

    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    if not _database_is_empty():
        raise BackupError("restore needs an empty database; this one holds data")
    with tempfile.TemporaryDirectory(prefix="concord-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(path, "r:gz") as tar:
                tar.extractall(work, members=_safe_members(tar), filter="data")
            manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"not a Concord backup: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        kind, dump = manifest["kind"], work / manifest["database"]
        if kind == "sqlite":
            if connection.vendor != "sqlite":
                raise BackupError("an SQLite backup restores into SQLite (or use a json one)")
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        elif kind == "pg_dump":
            if connection.vendor != "postgresql":
                raise BackupError("a pg_dump backup restores into PostgreSQL only")
            connection.close()
            args, env = _pg_env()
            done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _program("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *args,
                    str(dump),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        else:
            call_command("migrate", interactive=False, verbosity=0)
            _json_load(dump)
        call_command("migrate", interactive=False, verbosity=0)
        media = _media_root()
        for name in manifest.get("media", []):
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "media" / name, target)
    result = chain_verify()
    return Restored(kind, result.events, result.head, result.ok, result.problems)
