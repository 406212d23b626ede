"""``concord backup`` then ``concord restore`` into an empty database gives the same data
and a verified audit chain (issue 13), on the database the suite runs on: SQLite (the
backup API), or PostgreSQL (pg_dump, and the JSON dump used where pg_dump is missing).
A tampered backup restores but fails loudly. Each step runs the real command in its own
process against databases of its own, never the test database."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CONCORD = [sys.executable, "-m", "concord.cli"]
VENDOR = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
DUMP = (
    "import os, sys; from pathlib import Path; import django; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); "
    "from concord.audit.backup import _json_dump; _json_dump(Path(sys.argv[-1]))"
)


def _pg_url(name: str) -> str:
    db = settings.DATABASES["default"]
    # The test database's own server; names of our own beside it.
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


#: PostgreSQL databases made by this module, dropped when it ends.
MADE: list[str] = []


def _pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as c:
        c.execute(sql)  # type: ignore[arg-type]


class Site:
    """One Concord install: its own var/ directory and database."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.var = tmp / name
        self.var.mkdir()
        self.env = {
            **os.environ,
            "CONCORD_VAR_DIR": str(self.var),
            "DJANGO_SECRET_KEY": "backup-test-key-not-secret",
            "CONCORD_RATE_LIMITS": "off",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        if VENDOR == "postgresql":
            dbname = f"{settings.DATABASES['default']['NAME']}_{name}"
            self.env["DATABASE_URL"] = _pg_url(dbname)
            _pg_execute(f"DROP DATABASE IF EXISTS {dbname}")
            _pg_execute(f"CREATE DATABASE {dbname}")
            MADE.append(dbname)
        else:
            self.env.pop("DATABASE_URL", None)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*CONCORD, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if ok:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def rows(self) -> list[dict]:
        out = self.var / "rows.json"
        subprocess.run(
            [sys.executable, "-c", DUMP, str(out)],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=300,
        )
        return json.loads(out.read_text())


@pytest.fixture(scope="module")
def source(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("backup")
    site = Site(tmp, "bksrc")
    site.run("migrate")
    site.run("load-reference", "sco")
    site.run("load-demo")  # users, second factors, documents, a consultation, scores
    media = site.var / "media" / "uploads"
    media.mkdir(parents=True)
    (media / "annex.txt").write_text("an uploaded annex\n")
    yield tmp, site
    while MADE:
        _pg_execute(f"DROP DATABASE IF EXISTS {MADE.pop()} WITH (FORCE)")


def _restore_into(tmp: Path, name: str, archive: Path) -> tuple[Site, str]:
    target = Site(tmp, name)
    done = target.run("restore", str(archive))
    return target, done.stdout


def _kinds() -> list[str]:
    if VENDOR == "postgresql":
        return ["pg_dump", "json"] if shutil.which("pg_dump") else ["json"]
    return ["sqlite"]


@pytest.mark.parametrize("kind", _kinds())
def test_backup_then_restore_gives_the_same_data_and_a_verified_chain(source, kind):
    tmp, site = source
    archive = tmp / f"concord-{kind}.tar.gz"
    out = site.run("backup", str(archive), "--kind", kind).stdout
    assert f"as {kind}, 1 media files" in out
    target, said = _restore_into(tmp, f"bkdst_{kind}", archive)
    assert "audit chain ok" in said
    before, after = site.rows(), target.rows()
    assert len(before) > 1000 and after == before
    assert (target.var / "media" / "uploads" / "annex.txt").read_text() == "an uploaded annex\n"
    assert "audit chain ok" in target.run("audit", "verify").stdout
    # A second restore finds the database full and refuses, changing nothing.
    again = target.run("restore", str(archive), ok=False)
    assert again.returncode == 1 and "empty database" in again.stderr
    assert target.rows() == before


@pytest.mark.skipif(VENDOR != "sqlite3", reason="edits an SQLite backup's file")
def test_a_tampered_backup_restores_but_fails_loudly(source):
    tmp, site = source
    archive = tmp / "tamper.tar.gz"
    site.run("backup", str(archive))
    work = tmp / "tamper"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    db = sqlite3.connect(work / "database.sqlite3")
    db.execute("UPDATE audit_event SET payload = '{\"x\": 1}' WHERE seq = 3")
    db.commit()
    db.close()
    forged = tmp / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for name in ("manifest.json", "database.sqlite3"):
            tar.add(work / name, arcname=name)
        tar.add(work / "media", arcname="media")
    target = Site(tmp, "bkforged")
    done = target.run("restore", str(forged), ok=False)
    assert done.returncode == 1
    assert "DOES NOT VERIFY" in done.stderr and "event #3" in done.stderr


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    site = Site(tmp_path, "bknot")
    junk = tmp_path / "junk.tar.gz"
    with tarfile.open(junk, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    done = site.run("restore", str(junk), ok=False)
    assert done.returncode == 1 and "restore failed" in done.stderr
    assert not (tmp_path / "escape.txt").exists()
