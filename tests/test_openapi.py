"""The API is a contract: its OpenAPI schema is compared with a committed snapshot.

A change to a path, a parameter or a JSON shape shows up here as a diff; when it is
intended, refresh the snapshot with ``CONCORD_UPDATE_SNAPSHOT=1 .venv/bin/pytest
tests/test_openapi.py`` and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.json")


def current_schema() -> dict:
    from config.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True, default=str))


def test_openapi_schema_matches_the_committed_snapshot():
    schema = current_schema()
    if os.environ.get("CONCORD_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(schema["paths"]) == sorted(committed["paths"])
    assert schema == committed


def test_the_contract_paths_of_the_issues_are_served():
    paths = current_schema()["paths"]
    for path in [
        "/api/v1/orgs",
        "/api/v1/orgs/{org}",
        "/api/v1/orgs/{org}/states",
        "/api/v1/orgs/{org}/chairmanships",
        "/api/v1/orgs/{org}/bodies",
        "/api/v1/orgs/{org}/meetings",
        "/api/v1/orgs/{org}/posts",
    ]:
        assert path in paths, path


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_every_operation_documents_the_problems_it_may_answer(client, db):
    """A client generated from the schema knows the shape of every error it can get."""
    schema = current_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"]["4XX"]["content"]
            ref = content["application/problem+json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Problem", (method, path)
    required = set(schema["components"]["schemas"]["Problem"]["required"])
    for url, status in [
        ("/api/v1/orgs/nope", 404),  # a domain error
        ("/api/v1/orgs/sco/states?on=someday", 422),  # a bad parameter
        ("/api/v1/me", 401),  # not signed in
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"] == "application/problem+json"
        assert required <= set(response.json()), url


def test_problems_speak_the_language_of_the_request(client, db):
    """``detail`` is for people, in the request's language; ``code`` stays for programs."""
    body = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["code"] == "not_authenticated"
    assert body["detail"] == "Войдите или передайте действительный API-токен."
    response = client.post(
        "/api/v1/consultations/nope/votes",
        {"statement": "first", "vote": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "statement 的值无效。"
    assert response.json()["field"] == "statement"
