"""Server-rendered organization pages: content, languages, and bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.organization.tests.test_api import _grow

pytestmark = pytest.mark.django_db


def test_home_lists_the_organization_with_its_members_today(client, sco):
    html = client.get("/").content.decode()
    assert "Shanghai Cooperation Organisation" in html
    assert "10 member states today" in html


def test_organization_page_shows_timeline_chairmanships_and_summits(client, sco):
    html = client.get("/orgs/sco/").content.decode()
    assert 'id="membership-timeline"' in html
    assert html.count('class="bar status-') == 48
    assert "Astana Declaration of the Council of Heads of State" in html
    assert "Strengthening Multilateral Dialogue" in html  # Kazakhstan's 2023-24 motto
    assert "partially verified" in html  # inferred chairs are shown as such


@pytest.mark.parametrize(("prefix", "text"), [("/ru", "Председательства"), ("/zh-hans", "主席国")])
def test_pages_are_translated(client, sco, prefix, text):
    html = client.get(f"{prefix}/orgs/sco/").content.decode()
    assert text in html


def test_state_page_shows_status_history(client, sco):
    html = client.get("/orgs/sco/states/IRN/").content.decode()
    assert "Iran" in html and "2023-07-04" in html and "2005-07-05" in html
    assert client.get("/orgs/sco/states/XXX/").status_code == 404
    assert client.get("/orgs/nope/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/orgs/sco/", "/orgs/sco/states/IND/"])
def test_pages_run_a_bounded_number_of_queries(client, sco, path, django_assert_num_queries):
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _grow(sco, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200


def test_home_shows_the_documents_a_visitor_may_read_and_the_consultations(client, sco):
    from concord.negotiation.demo import load_demo as load_negotiation_demo
    from concord.reference.demo import load_demo_users

    load_demo_users()
    load_negotiation_demo()
    html = client.get("/").content.decode()
    assert "Astana Declaration (demo text)" in html
    assert "illustrative" in html
