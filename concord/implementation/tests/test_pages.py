"""Dashboard and reminder pages: server-rendered SVG with a table and a CSV per chart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from concord.accounts.models import User
from concord.implementation import services, tasks
from concord.implementation.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(actors, sco, adopted):
    sec = actors["secretariat"].user
    made = factories.commitments(actors, sco, adopted, 3)
    services.cycle_create(
        actor=sec,
        org_slug=sco.slug,
        slug="c1",
        kind="interim",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    services.score_set(actor=sec, commitment_id=made[0].pk, iso3="KAZ", cycle="c1", score=1)
    services.score_set(actor=sec, commitment_id=made[1].pk, iso3="CHN", cycle="c1", score=-1)
    factories.activities(actors, sco, 2, commitment=made[0].pk)
    indicator = services.indicator_create(
        actor=sec,
        org_slug=sco.slug,
        names={"en": "Students", "ru": "Студенты", "zh": "学生"},
        unit="students",
        scope="state",
        direction="higher",
    )
    for iso3, month, value in [("KAZ", 1, 10), ("KAZ", 2, 12), ("CHN", 1, 7)]:
        services.value_add(
            actor=sec,
            indicator_id=indicator.pk,
            state=iso3,
            on=date(2025, month, 1),
            value=value,
            source="Survey",
        )
    return made


@pytest.mark.parametrize("lang", ["en", "ru", "zh-hans"])
def test_the_dashboard_page_in_each_language(client, data, lang) -> None:
    prefix = "" if lang == "en" else f"/{lang}"
    r = client.get(f"{prefix}/orgs/sco/implementation/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="heat-map"' in html and 'id="heat-table"' in html
    assert 'class="cell score-pos"' in html and 'class="cell score-neg"' in html
    assert 'id="indicator-chart"' in html and 'id="indicator-table"' in html
    assert "<script" not in html.split("<main")[1]  # readable without JavaScript
    if lang == "ru":
        assert "Тепловая карта" in html or "тепловая карта" in html
    if lang == "zh-hans":
        assert "学生" in html


def test_filters_and_csv_downloads(client, data) -> None:
    r = client.get("/orgs/sco/implementation/?area=security&state=KAZ")
    assert r.status_code == 200
    for chart in ("areas", "states", "heatmap", "due", "timeline", "indicator"):
        csv = client.get(f"/orgs/sco/implementation/{chart}.csv")
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv"), chart
        assert len(csv.content.decode().splitlines()) >= 2, chart
    heat = client.get("/orgs/sco/implementation/heatmap.csv").content.decode()
    assert f"{data[0].pk},KAZ,1" in heat
    assert client.get("/orgs/sco/implementation/nope.csv").status_code == 404
    assert client.get("/orgs/nope/implementation/").status_code == 404
    # Odd filter values never break the page.
    assert (
        client.get("/orgs/sco/implementation/?area=zz&state=%00&page=x&indicator=q").status_code
        == 200
    )


def test_the_organization_page_links_the_dashboard(client, sco) -> None:
    assert "/orgs/sco/implementation/" in client.get("/orgs/sco/").content.decode()


def test_reminders_page_and_daily_email(client, actors, sco, adopted) -> None:
    sec = actors["secretariat"].user
    # Due yesterday (overdue) and nobody reported: every bound state is reminded.
    made = factories.commitments(actors, sco, adopted, 1)
    services.commitment_update(
        actor=sec,
        commitment_id=made[0].pk,
        due=timezone.now().date() - timedelta(days=1),
    )
    services.report_create(
        actor=actors["head-chn"].user, commitment_id=made[0].pk, state="CHN", status="on_track"
    )
    User.objects.filter(username__in=["head-kaz", "head-chn"]).update(email="x@example.org")
    r = client.get("/orgs/sco/implementation/reminders/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "(KAZ)" in html and "(CHN)" not in html  # China reported within 90 days
    assert tasks.send_reminders() == 1
    assert len(mail.outbox) == 1 and "x@example.org" in mail.outbox[0].to
    assert tasks.send_reminders() == 0  # once a day


def test_htmx_gets_the_fragment(client, data) -> None:
    r = client.get("/orgs/sco/implementation/?area=trade", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html and 'id="heat-map"' in html


def test_chart_texts_are_escaped(client, actors, sco, areas) -> None:
    services.activity_create(
        actor=actors["secretariat"].user,
        org_slug=sco.slug,
        kind="event",
        titles={"en": "<script>alert(1)</script> & co"},
        start=date(2025, 1, 1),
        end=date(2025, 2, 1),
    )
    html = client.get("/orgs/sco/implementation/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
