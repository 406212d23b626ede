"""API tokens can be revoked by their owner, through the API and the page alike; a
revoked token answers 401 and the revocation is in the audit log (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.accounts.models import ApiToken, Role
from concord.accounts.services import token_issue, user_upsert
from concord.accounts.testing import login_verified
from concord.audit.models import Event
from concord.audit.services import chain_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(sco):  # type: ignore[no-untyped-def]
    return {
        name: user_upsert(username=name, role=Role.SECRETARIAT, organization=sco)
        for name in ("sec-a", "sec-b")
    }


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_revoked_token_answers_401_through_the_api(people, client: Client):
    token = token_issue(user=people["sec-a"])
    assert client.get("/api/v1/me", **_auth(token)).status_code == 200
    listed = client.get("/api/v1/tokens", **_auth(token)).json()
    assert [t["revoked_at"] for t in listed] == [None]
    row = ApiToken.objects.get(user=people["sec-a"])
    done = client.post(f"/api/v1/tokens/{row.pk}/actions/revoke", **_auth(token))
    assert done.status_code == 200 and done.json()["revoked_at"] is not None
    after = client.get("/api/v1/me", **_auth(token))
    assert after.status_code == 401 and after["Content-Type"] == "application/problem+json"
    event = Event.objects.filter(act="token.revoke", object_id=str(row.pk)).get()
    assert event.actor == people["sec-a"]
    assert chain_verify().ok, chain_verify().problems


def test_nobody_revokes_another_users_token(people, client: Client):
    theirs = token_issue(user=people["sec-b"])
    mine = token_issue(user=people["sec-a"])
    row = ApiToken.objects.get(user=people["sec-b"])
    response = client.post(f"/api/v1/tokens/{row.pk}/actions/revoke", **_auth(mine))
    assert response.status_code == 404
    assert client.get("/api/v1/me", **_auth(theirs)).status_code == 200
    assert client.post(f"/api/v1/tokens/{2**63}/actions/revoke", **_auth(mine)).status_code in (
        404,
        422,
    )
    assert client.post(f"/api/v1/tokens/{row.pk}/actions/revoke").status_code == 401


def test_the_page_revokes_with_the_same_service(people):
    token = token_issue(user=people["sec-a"])
    row = ApiToken.objects.get(user=people["sec-a"])
    client = login_verified(Client(), people["sec-a"])
    page = client.get("/me/tokens/").content.decode()
    assert f'id="token-{row.pk}"' in page and "Revoke" in page
    assert client.get(f"/me/tokens/{row.pk}/revoke/").status_code == 405
    done = client.post(f"/me/tokens/{row.pk}/revoke/")
    assert done.status_code == 302 and done["Location"] == "/me/tokens/"
    assert Client().get("/api/v1/me", **_auth(token)).status_code == 401
    other = ApiToken.objects.create(user=people["sec-b"], digest="0" * 64)
    assert client.post(f"/me/tokens/{other.pk}/revoke/").status_code == 404
    assert Event.objects.filter(act="token.revoke").count() == 1


def test_the_token_list_runs_a_fixed_number_of_queries(
    people, client: Client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_verified(client, people["sec-a"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/me/tokens/").status_code == 200
        return len(ctx.captured_queries)

    token_issue(user=people["sec-a"])
    one = count()
    for _ in range(5):
        token_issue(user=people["sec-a"])
    assert count() == one
