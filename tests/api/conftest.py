"""The API contract tests: a client generated from the live schema, and schemathesis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Media types a generated client reads as bytes (openapi-python-client handles JSON and
# binary bodies; these are the API's binary and XML answers, declared in the schema).
CLIENT_CONFIG = """\
content_type_overrides:
  application/pdf: application/octet-stream
  application/akn+xml: application/octet-stream
  text/html: application/octet-stream
  application/xml: application/octet-stream
  text/csv: application/octet-stream
"""


def openapi_schema() -> dict[str, Any]:
    """The schema ``/api/v1/openapi.json`` serves."""
    from config.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """openapi-python-client's package for the schema, generated once per session; returns
    the imported package ``concord_client``."""
    root = tmp_path_factory.mktemp("generated")
    (root / "openapi.json").write_text(json.dumps(openapi_schema()))
    (root / "config.yml").write_text(CLIENT_CONFIG)
    tool = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(
        [
            str(tool),
            "generate",
            "--path",
            str(root / "openapi.json"),
            "--config",
            str(root / "config.yml"),
            "--meta",
            "none",
            "--output-path",
            str(root / "concord_client"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Every operation is generated, and no response is dropped.
    assert "WARNING" not in done.stdout, done.stdout
    sys.path.insert(0, str(root))
    import concord_client.models

    return concord_client
