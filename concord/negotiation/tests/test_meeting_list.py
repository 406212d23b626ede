"""The meeting list: every meeting of the organization, with how many documents the reader
may read on its agenda, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concord.accounts.testing import login_verified
from concord.negotiation import services
from concord.negotiation.tests.factories import document

pytestmark = pytest.mark.django_db


def test_meetings_with_their_readable_agenda(actors, sco):
    soon = timezone.localdate() + timedelta(days=10)
    meeting = services.meeting_create(
        actor=actors["secretariat"].user,
        org_slug=sco.slug,
        body="chs",
        start=soon,
        end=soon,
        city="Bishkek",
    )
    for symbol, classification in (("A", "public"), ("B", "restricted")):
        doc = document(actors, sco, symbol=f"SCO/CHS/2026/{symbol}", classification=classification)
        doc.meeting = meeting
        doc.save(update_fields=["meeting"])
    public = Client().get("/orgs/sco/meetings/").content.decode()
    row = public[public.index(f'id="meeting-{meeting.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Bishkek" in row and "<td>1</td>" in row and "coming" in row
    member = Client()
    login_verified(member, actors["head-rus"].user)
    html = member.get("/orgs/sco/meetings/").content.decode()
    row = html[html.index(f'id="meeting-{meeting.pk}"') :]
    assert "<td>2</td>" in row[: row.index("</tr>")]
    assert Client().get("/orgs/nowhere/meetings/").status_code == 404


def test_the_meeting_list_runs_a_fixed_number_of_queries(actors, sco):
    def count(n: int) -> int:
        for i in range(n):
            day = timezone.localdate() + timedelta(days=20 + i)
            services.meeting_create(
                actor=actors["secretariat"].user, org_slug=sco.slug, body="chs", start=day, end=day
            )
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/orgs/sco/meetings/").status_code == 200
        return len(queries.captured_queries)

    assert count(1) == count(5)
