"""The API takes a value only in the JSON type and format its schema states: pydantic's
coercions ("5" for 5, a Unix time for a date, "1.5" for a number) are refused with 422, and a
path or query parameter longer than the schema's limit is refused, not passed on."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from concord.accounts.models import Role
from concord.accounts.services import token_issue, user_upsert
from concord.common.api import PARAM_MAX_CHARS

pytestmark = pytest.mark.django_db

# A meeting may not start before today (past meetings come with the reference data).
TODAY = timezone.localdate().isoformat()


@pytest.fixture
def client(sco) -> Client:
    user = user_upsert(username="sec-types", role=Role.SECRETARIAT, organization=sco)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")


def _post(client: Client, path: str, body: dict) -> object:
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "start",
    [TODAY, 1772409600, "1772409600", "2026-03-02T00:00:00", True],
    ids=["date", "unix-time", "unix-time-string", "date-time", "boolean"],
)
def test_a_date_is_a_yyyy_mm_dd_string_only(client, start) -> None:
    response = _post(client, "/orgs/sco/meetings", {"body": "cfm", "start": start, "end": TODAY})
    if start == TODAY:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 422, response.content
        assert response.json()["field"] == "start"


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", 5), ("city", 1), ("host", False)],
)
def test_a_string_is_not_coerced_from_another_type(client, field, value) -> None:
    body = {"body": "cfm", "start": TODAY, "end": TODAY, field: value}
    response = _post(client, "/orgs/sco/meetings", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field


def test_an_integer_is_not_coerced_from_a_string(client) -> None:
    response = client.put(
        "/api/v1/meetings/1/agenda",
        data=json.dumps({"documents": ["1"]}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content


def test_a_date_query_parameter_is_a_yyyy_mm_dd_string_only(client) -> None:
    assert client.get("/api/v1/orgs/sco/states?on=1772409600").status_code == 422
    assert client.get(f"/api/v1/orgs/sco/states?on={TODAY}").status_code == 200


def test_a_parameter_longer_than_the_limit_is_refused(client) -> None:
    too_long = "a" * (PARAM_MAX_CHARS + 1)
    response = client.get(f"/api/v1/orgs/{too_long}")
    assert response.status_code == 422
    assert response.json()["field"] == "org"
    assert client.get(f"/api/v1/orgs/{'a' * PARAM_MAX_CHARS}").status_code == 404
