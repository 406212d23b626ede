"""A CSV body with a lone carriage return is a problem about the file, never a 500 (found by
scripts/fuzz_api.sh)."""

import pytest
from django.test import Client

from concord.accounts.models import Role
from concord.accounts.services import token_issue, user_upsert
from concord.organization.models import State


@pytest.mark.django_db
def test_a_lone_carriage_return_in_a_csv_is_no_server_error(sco) -> None:
    kaz = State.objects.get(iso3="KAZ")
    user = user_upsert(username="h", role=Role.HEAD, organization=sco, state=kaz)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")
    body = "61\x19\U000b1d9e\r\U000162ec\U0001b575\U000ba17b".encode()
    r = client.post("/api/v1/orgs/sco/reports.csv", body, content_type="text/csv")
    assert 400 <= r.status_code < 500, r.content
    assert r["Content-Type"] == "application/problem+json"
