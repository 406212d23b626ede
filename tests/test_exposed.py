"""`concord up` exposed by mistake gives nothing away: debug off, a key of its own, plain
error pages (problem+json under /api/), static files still served."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from concord.cli import parser
from config.settings import _install_secret_key

ROOT = Path(__file__).resolve().parents[1]
PROBLEM = "application/problem+json"


def _settings_in_subprocess(tmp_path: Path, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONCORD_"))}
    clean.update(CONCORD_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", **env)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DEBUG); print(settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_debug_is_off_unless_asked_and_the_key_is_made_once_per_install(tmp_path):
    debug, key = _settings_in_subprocess(tmp_path / "a")
    assert debug == "False"
    assert len(key) >= 50
    assert "development" not in key
    assert (tmp_path / "a" / "secret_key").read_text().strip() == key
    assert stat.S_IMODE((tmp_path / "a" / "secret_key").stat().st_mode) == 0o600
    # The same install keeps its key (sessions survive a restart); another gets its own.
    assert _settings_in_subprocess(tmp_path / "a", CONCORD_DEBUG="1") == ["True", key]
    assert _settings_in_subprocess(tmp_path / "b")[1] != key
    # A key from the environment wins and nothing is written.
    assert _settings_in_subprocess(tmp_path / "c", DJANGO_SECRET_KEY="k" * 60)[1] == "k" * 60
    assert not (tmp_path / "c" / "secret_key").exists()


def test_a_second_process_reads_the_key_the_first_wrote(tmp_path):
    first = _install_secret_key(tmp_path / "secret_key")
    assert _install_secret_key(tmp_path / "secret_key") == first
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_production_never_debugs(tmp_path):
    debug, _ = _settings_in_subprocess(
        tmp_path, CONCORD_ENV="production", CONCORD_DEBUG="1", DJANGO_SECRET_KEY="p" * 60
    )
    assert debug == "False"


@pytest.mark.parametrize("command", ["up", "serve"])
def test_debug_flag(command, monkeypatch):
    from concord.cli import _debug_from

    monkeypatch.delenv("CONCORD_DEBUG", raising=False)
    monkeypatch.delenv("CONCORD_DEBUG_WARNED", raising=False)
    _debug_from(parser().parse_args([command]))
    assert "CONCORD_DEBUG" not in os.environ
    _debug_from(parser().parse_args([command, "--debug", "--port", "8111"]))
    assert os.environ["CONCORD_DEBUG"] == "1"


@pytest.mark.django_db
def test_an_unknown_page_is_a_plain_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Page not found" in body
    assert "URLconf" not in body and "api/v1/" not in body.split("<footer")[0]


@pytest.mark.django_db
def test_an_unknown_page_speaks_the_language_of_its_prefix(client):
    response = client.get("/ru/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/nothing", "/api/v1/orgs/x/y/z"])
def test_an_unknown_api_path_is_problem_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_a_method_the_api_path_does_not_take_is_problem_json(client, sco):
    response = client.delete("/api/v1/orgs/sco/states", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert "GET" in body["allowed"] and "GET" in response["Allow"]
    assert "DELETE" in body["detail"]


@pytest.mark.django_db
def test_static_files_are_served_with_debug_off(client, settings):
    assert settings.DEBUG is False
    response = client.get("/static/css/concord.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
