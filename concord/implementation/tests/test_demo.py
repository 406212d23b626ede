"""The demo: illustrative items only, idempotent, and its IATI export validates."""

from __future__ import annotations

import pytest

from concord.audit.services import chain_verify
from concord.implementation import iati
from concord.implementation.models import (
    Activity,
    Commitment,
    IndicatorValue,
    Report,
    Score,
)
from concord.reference.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_is_illustrative_idempotent_and_exports_valid_iati(client, sco) -> None:
    lines = load_demo()
    assert any("demo implementation: 3 commitments" in line for line in lines), lines
    counts = [m.objects.count() for m in (Commitment, Activity, Report, Score, IndicatorValue)]
    assert counts == [3, 4, 5, 13, 48]
    for model in (Commitment, Activity, Report, Score, IndicatorValue):
        assert not model.objects.filter(illustrative=False).exists(), model
    assert "demo implementation: present" in load_demo()
    assert [
        m.objects.count() for m in (Commitment, Activity, Report, Score, IndicatorValue)
    ] == counts
    # Bound: the ten members on 2024-07-04 (Belarus joined that day); partners never.
    bound = Commitment.objects.get(external_id="demo-trade").bound
    assert len(bound) == 10 and "BLR" in bound and "MNG" not in bound and "TUR" not in bound

    # The SCO's six priority areas, in the order of the design.
    from concord.implementation.models import PriorityArea

    slugs = list(PriorityArea.objects.filter(organization=sco).values_list("slug", flat=True))
    assert slugs == ["security", "trade", "energy", "digital", "ecology", "culture"]

    xml = client.get("/api/v1/orgs/sco/activities.iati.xml").content
    assert iati.validate(xml) == []
    assert b"illustrative demo" in xml
    page = client.get("/orgs/sco/implementation/").content.decode()
    assert "Illustrative demo data" in page
    assert chain_verify().ok
