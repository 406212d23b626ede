from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from concord.accounts.models import Role
from concord.accounts.services import token_issue, user_upsert
from concord.consultation.tests.factories import ConsultationFactory, StatementFactory
from concord.reference.loader import load_reference


@pytest.fixture
def sco(db):  # type: ignore[no-untyped-def]
    load_reference("sco")
    from concord.organization.models import Organization

    return Organization.objects.get(slug="sco")


@pytest.fixture
def users(sco):  # type: ignore[no-untyped-def]
    from concord.organization.models import State

    kaz = State.objects.get(iso3="KAZ")
    return {
        "secretariat": user_upsert(username="sec", role=Role.SECRETARIAT, organization=sco),
        "head": user_upsert(username="head", role=Role.HEAD, organization=sco, state=kaz),
        "participant": user_upsert(username="part", role=Role.PARTICIPANT, organization=None),
    }


@pytest.fixture
def tokens(users):  # type: ignore[no-untyped-def]
    return {role: token_issue(user=u) for role, u in users.items()}


@pytest.fixture
def consultation(sco):  # type: ignore[no-untyped-def]
    return ConsultationFactory(organization=sco, slug="jwf")


@pytest.fixture
def statements(consultation):  # type: ignore[no-untyped-def]
    return [StatementFactory(consultation=consultation) for _ in range(5)]


class Api:
    """A JSON client for /api/v1."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, token: str | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", **self._headers(token))

    def post(
        self, path: str, body: Any = None, token: str | None = None, raw: str | None = None
    ) -> Any:
        import json

        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}", data=data, content_type="application/json", **self._headers(token)
        )

    def join(self, slug: str) -> str:
        response = self.post(f"/consultations/{slug}/participants")
        assert response.status_code == 201, response.content
        return str(response.json()["participant_token"])


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):  # type: ignore[no-untyped-def]
    """Rate limits are tested on their own (test_ratelimit.py) with the setting on."""
    settings.CONCORD_RATE_LIMITS = False


def make_document(  # type: ignore[no-untyped-def]
    org,
    *,
    symbol: str = "SCO/DOC/1",
    provisions: tuple[str, ...] = ("op-1", "op-2"),
    classification: str = "restricted",
):
    """A negotiation document with one version holding ``provisions`` (written through the
    ORM: the negotiation app's services are not this app's to exercise)."""
    from django.utils import timezone

    from concord.negotiation.models import Document, Provision, Version

    document = Document.objects.create(
        organization=org,
        symbol=symbol,
        titles={"en": "Declaration"},
        kind="declaration",
        classification=classification,
        body=org.bodies.get(slug="chs"),
        created_at=timezone.now(),
    )
    version = Version.objects.create(
        document=document, number=1, symbol=symbol, created_at=timezone.now()
    )
    for order, key in enumerate(provisions):
        Provision.objects.create(version=version, key=key, kind="operative", order=order)
    return document
