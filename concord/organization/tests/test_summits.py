"""The organization page takes its summits from data: the highest body is the first one the
reference data lists, whatever its code."""

from __future__ import annotations

import datetime as dt

import pytest

from concord.organization.models import Body, Meeting

pytestmark = pytest.mark.django_db


def test_summits_follow_the_first_listed_body_not_a_code(client, sco):
    Body.objects.filter(organization=sco, slug="chs").update(slug="heads-of-state")
    cfm = Body.objects.get(organization=sco, slug="cfm")
    day = dt.date(2024, 5, 21)
    Meeting.objects.create(organization=sco, body=cfm, start=day, end=day, city="Testville")
    html = client.get("/orgs/sco/").content.decode()
    summits = html.split('id="summits"', 1)[1].split("</table>", 1)[0]
    assert "Astana" in summits
    assert "Testville" not in summits
    assert summits.count("<tr") > 20  # every summit since 2001, and no other body's meeting
