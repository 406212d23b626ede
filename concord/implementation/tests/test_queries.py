"""Every list endpoint and page runs the same, bounded number of queries at two sizes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.implementation import services
from concord.implementation.tests import factories

pytestmark = pytest.mark.django_db

URLS = {
    "/api/v1/orgs/sco/commitments": 4,
    "/api/v1/orgs/sco/activities": 6,
    "/api/v1/orgs/sco/indicators": 3,
    "/api/v1/orgs/sco/compliance": 4,
    "/api/v1/orgs/sco/dashboard": 8,
    "/api/v1/orgs/sco/cycles": 2,
    "/api/v1/orgs/sco/activities.iati.xml": 9,
    "/api/v1/orgs/sco/commitments.csv": 2,
    "/api/v1/orgs/sco/activities.csv": 5,
    "/api/v1/orgs/sco/reports.csv": 4,
    "/orgs/sco/implementation/": 14,
    "/orgs/sco/implementation/reminders/": 8,
}


def _grow(actors, sco, document, *, start: int, n: int, indicator: int) -> None:
    sec = actors["secretariat"].user
    areas = ["security", "trade", "energy", "digital", "ecology", "culture"]
    for i in range(start, start + n):
        c = services.commitment_create(
            actor=sec,
            org_slug=sco.slug,
            document_id=document.pk,
            provision=f"p{i}",
            area=areas[i % 6],
            lead_states=["KAZ"],
            due=date(2026, 12, 1 + i % 20),
        )
        services.score_set(actor=sec, commitment_id=c.pk, iso3="CHN", cycle="c", score=i % 3 - 1)
        services.report_create(
            actor=actors["head-kaz"].user, commitment_id=c.pk, state="KAZ", status="on_track"
        )
        for a in factories.activities(actors, sco, 2, commitment=c.pk):
            services.report_create(
                actor=actors["head-kaz"].user, activity_id=a.pk, state="KAZ", status="delayed"
            )
        services.indicator_create(
            actor=sec,
            org_slug=sco.slug,
            names={"en": f"I{i}"},
            unit="u",
            scope="state",
            direction="higher",
        )
        services.value_add(
            actor=sec,
            indicator_id=indicator,
            state="KAZ",
            on=date(2025, 1 + i % 12, 1),
            value=i,
            source="s",
        )


def _counts(client) -> dict[str, int]:
    found = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        found[url] = len(ctx)
    return found


def test_queries_do_not_grow_with_the_data(client, actors, sco, areas) -> None:
    document = factories.adopted_document(actors, sco, n=14)
    sec = actors["secretariat"].user
    services.cycle_create(
        actor=sec,
        org_slug=sco.slug,
        slug="c",
        kind="interim",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    indicator = services.indicator_create(
        actor=sec,
        org_slug=sco.slug,
        names={"en": "Main"},
        unit="u",
        scope="state",
        direction="higher",
    ).pk
    _grow(actors, sco, document, start=2, n=2, indicator=indicator)
    small = _counts(client)
    _grow(actors, sco, document, start=4, n=8, indicator=indicator)
    large = _counts(client)
    assert small == large
    assert {url: n for url, n in large.items() if n > URLS[url]} == {}
