"""A write with a missing, malformed, expired or revoked token answers 401 problem+json
with ``WWW-Authenticate: Bearer`` on any method; 405 stays problem+json."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from concord.accounts.models import ApiToken, Role
from concord.accounts.services import token_issue, user_upsert
from concord.accounts.testing import login_verified

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", "/api/v1/orgs/sco/meetings"),
    ("post", "/api/v1/orgs/sco/documents"),
    ("put", "/api/v1/documents/1/versions/1/positions/KAZ"),
    ("delete", "/api/v1/documents/1/sponsors/KAZ"),
    ("post", "/api/v1/orgs/sco/consultations"),
]


@pytest.fixture
def revoked(sco) -> str:
    user = user_upsert(username="sec-revoked", role=Role.SECRETARIAT, organization=sco)
    token = token_issue(user=user)
    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())
    return token


@pytest.fixture
def inactive(sco) -> str:
    user = user_upsert(username="sec-gone", role=Role.SECRETARIAT, organization=sco)
    token = token_issue(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return token


def _assert_401(response) -> None:
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic abc", "Bearer two words", "Bearer cc_unknown", "token"],
)
def test_a_write_without_a_good_token_is_401_with_a_challenge(sco, method, path, header) -> None:
    # enforce_csrf_checks: a real client sends no CSRF token, and the answer is still 401.
    client = Client(enforce_csrf_checks=True)
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = getattr(client, method)(path, data="{}", content_type="application/json", **extra)
    _assert_401(response)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_revoked_or_disabled_users_token_is_401(sco, revoked, inactive, method, path) -> None:
    client = Client(enforce_csrf_checks=True)
    for token in (revoked, inactive):
        response = getattr(client, method)(
            path, data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        _assert_401(response)


def test_a_bad_token_on_a_read_that_takes_anonymous_callers_is_401(sco, revoked) -> None:
    response = Client().get("/api/v1/orgs/sco/documents", HTTP_AUTHORIZATION=f"Bearer {revoked}")
    _assert_401(response)
    assert Client().get("/api/v1/orgs/sco/documents").status_code == 200


def test_an_expired_participant_token_is_401(sco, settings) -> None:
    from concord.consultation.tokens import token_for

    settings.CONCORD_PARTICIPANT_TOKEN_DAYS = -1
    response = Client().post(
        "/api/v1/consultations/anything/votes",
        data='{"statement": 1, "vote": 1}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(1, 1)}",
    )
    _assert_401(response)


def test_a_good_token_writes_without_csrf(sco) -> None:
    user = user_upsert(username="sec-good", role=Role.SECRETARIAT, organization=sco)
    token = token_issue(user=user)
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/orgs/sco/meetings",
        data='{"body": "cfm", "start": "%s", "end": "%s"}'
        % ((timezone.localdate().isoformat(),) * 2),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content


def test_a_signed_in_session_write_without_csrf_is_403_not_401(sco) -> None:
    user = user_upsert(username="sec-session", role=Role.SECRETARIAT, organization=sco)
    client = Client(enforce_csrf_checks=True)
    login_verified(client, user)
    response = client.post("/api/v1/orgs/sco/meetings", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_method_the_path_does_not_take_is_405_problem(sco) -> None:
    response = Client().delete("/api/v1/orgs/sco/states")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]
