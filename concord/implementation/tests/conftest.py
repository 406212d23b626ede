"""Fixtures: the negotiation app's actors and JSON client, the SCO priority areas, and an
adopted document reached through the negotiation services."""

from __future__ import annotations

from typing import Any

import pytest

from concord.implementation.reference import load_areas
from concord.negotiation.tests.conftest import Actor, Api, actors, api  # noqa: F401
from concord.organization.models import Organization


@pytest.fixture
def areas(sco: Organization) -> int:
    return load_areas("sco")


@pytest.fixture
def adopted(actors: dict[str, Actor], sco: Organization, areas: int) -> Any:  # noqa: F811
    from concord.implementation.tests.factories import adopted_document

    return adopted_document(actors, sco)
