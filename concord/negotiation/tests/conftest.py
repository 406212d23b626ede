"""Fixtures: the SCO reference data, users of every role with API tokens, a JSON client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from concord.accounts.models import Role, User
from concord.accounts.services import token_issue, user_upsert
from concord.organization.models import Organization, State

MEMBERS = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
OBSERVER = "MNG"  # observer until 2025-09-01, partner since
DIALOGUE_PARTNER = "TUR"  # dialogue partner until 2025-09-01, partner since


@dataclass
class Actor:
    user: User
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


class Api:
    """A JSON client for /api/v1 that speaks as one actor per call."""

    def __init__(self) -> None:
        self.client = Client()

    def call(
        self, method: str, path: str, actor: Actor | None = None, body: Any = None, **extra: Any
    ) -> Any:
        headers = dict(actor.auth) if actor else {}
        headers.update(extra)
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        response = getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs, **headers)
        return response

    def get(self, path: str, actor: Actor | None = None, **extra: Any) -> Any:
        return self.call("GET", path, actor, **extra)

    def post(self, path: str, actor: Actor | None = None, body: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, actor, body if body is not None else {}, **extra)

    def put(self, path: str, actor: Actor | None = None, body: Any = None, **extra: Any) -> Any:
        return self.call("PUT", path, actor, body, **extra)


# ``django_db_setup`` (the SCO reference data, loaded once per run) and ``sco`` come from
# the repository's root conftest.py.


def _actor(username: str, role: str, org: Organization, iso3: str | None) -> Actor:
    state = State.objects.get(iso3=iso3) if iso3 else None
    user = user_upsert(username=username, role=role, organization=org, state=state)
    return Actor(user, token_issue(user=user))


@pytest.fixture
def actors(sco: Organization) -> dict[str, Actor]:
    """``secretariat``, ``head-<iso3>`` for ten members, MNG and TUR, ``delegate-kaz``,
    ``participant``, and ``stranger`` (a head of a state outside the SCO: Brazil)."""
    found: dict[str, Actor] = {"secretariat": _actor("secretariat", Role.SECRETARIAT, sco, None)}
    for iso3 in (*MEMBERS, OBSERVER, DIALOGUE_PARTNER):
        found[f"head-{iso3.lower()}"] = _actor(f"head-{iso3.lower()}", Role.HEAD, sco, iso3)
    found["delegate-kaz"] = _actor("delegate-kaz", Role.DELEGATE, sco, "KAZ")
    found["participant"] = _actor("participant", Role.PARTICIPANT, sco, None)
    State.objects.get_or_create(iso3="BRA", defaults={"names": {"en": "Brazil"}})
    found["stranger"] = _actor("head-bra", Role.HEAD, sco, "BRA")
    return found


@pytest.fixture
def api() -> Api:
    return Api()
