"""IATI 2.03 export: valid against the vendored XSD, with codelist values."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from concord.implementation import iati, services
from concord.implementation.tests import factories

pytestmark = pytest.mark.django_db


def test_the_vendored_schema_accepts_iatis_own_example() -> None:
    # IATI's "should pass" example of results and indicators, vendored beside the schema.
    example = iati.XSD.with_name("example-results.xml").read_bytes()
    assert iati.validate(example) == []


def test_the_export_validates_and_uses_codelist_values(api, actors, sco, adopted) -> None:
    sec = actors["secretariat"].user
    commitment = factories.commitments(actors, sco, adopted, 1)[0]
    parent = services.activity_create(
        actor=sec, org_slug=sco.slug, kind="project", titles={"en": "Programme", "ru": "Программа"}
    )
    child = services.activity_create(
        actor=sec,
        org_slug=sco.slug,
        kind="exchange",
        titles={"en": "Student exchange", "zh": "学生交流"},
        states=[("KAZ", "lead"), ("CHN", "participant"), ("RUS", "funder")],
        commitments=[commitment.pk],
        start=date(2025, 1, 1),
        end=date(2026, 12, 31),
        parent=parent.pk,
        status="ongoing",
    )
    indicator = services.indicator_create(
        actor=sec,
        org_slug=sco.slug,
        names={"en": "Students exchanged"},
        unit="students",
        scope="state",
        direction="higher",
        activity=child.pk,
        baseline=100,
        baseline_year=2024,
        target=500,
    )
    for iso3, on, value in [("KAZ", date(2025, 3, 1), 120), ("CHN", date(2025, 6, 1), 80)]:
        services.value_add(
            actor=sec, indicator_id=indicator.pk, state=iso3, on=on, value=value, source="Survey"
        )

    r = api.get("/orgs/sco/activities.iati.xml")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/xml")
    assert iati.validate(r.content) == []
    tree = etree.fromstring(r.content)
    assert tree.get("version") == "2.03"
    acts = tree.findall("iati-activity")
    assert len(acts) == 2
    for node in acts:
        assert node.find("reporting-org").get("ref") == "XI-IATI-SCO"
        assert node.find("activity-status").get("code") in iati.CODELISTS["activity-status"]
        for d in node.findall("activity-date"):
            assert d.get("type") in iati.CODELISTS["activity-date"]
        for p in node.findall("participating-org"):
            assert p.get("role") in iati.CODELISTS["participating-org/role"]
            assert p.get("type") in iati.CODELISTS["participating-org/type"]
    one = etree.fromstring(api.get(f"/activities/{child.pk}.iati.xml").content)
    node = one.find("iati-activity")
    assert iati.validate(api.get(f"/activities/{child.pk}.iati.xml").content) == []
    roles = sorted(p.get("role") for p in node.findall("participating-org"))
    assert roles == ["1", "2", "4"]  # funder, lead (accountable), participant (implementing)
    assert node.find("activity-status").get("code") == "2"
    assert node.find("related-activity").get("type") == "1"
    assert node.find("result").get("type") == "1"
    actuals = node.findall("result/indicator/period/actual")
    assert sorted(a.get("value") for a in actuals) == ["120", "80"]
    assert node.find("result/indicator/baseline").get("year") == "2024"
    assert api.get("/activities/999999.iati.xml").status_code == 404
