"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.settings_probe import settings_from

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        **os.environ,
        "CONCORD_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-production-secret-of-sufficient-length-and-variety-93f",
        "DJANGO_ALLOWED_HOSTS": "concord.example.org",
        "CONCORD_VAR_DIR": str(tmp_path),
    }
    # The browser tests allow Django's ORM inside Playwright's event loop for the test run
    # only; a deployment never sets it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "CONCORD_ENV": "production", "CONCORD_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_environment_settings_in_the_operations_guide_are_read(tmp_path):
    """docs/operations.md lists environment variables an operator sets; each must reach the
    settings (the two map timings were documented and silently ignored)."""
    names = ("CONCORD_MAP_DEBOUNCE_SECONDS", "CONCORD_MAP_MAX_STALENESS_SECONDS")
    env = {"CONCORD_VAR_DIR": str(tmp_path), names[0]: "0.5", names[1]: "7"}
    assert settings_from(env, *names) == {names[0]: 0.5, names[1]: 7.0}
