"""Pages: voting (HTMX), the map with your own dot, the report and its PDF, moderation."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.accounts.testing import login_verified
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Moderation, ModerationMode, Statement, VoteEvent
from concord.consultation.tests.factories import StatementFactory
from concord.consultation.tests.test_api import _voters
from concord.consultation.tokens import cookie_name

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_vote_page_one_statement_at_a_time(client: Client, consultation, statements):
    page = client.get("/consultations/jwf/")
    assert page.status_code == 200
    html = page.content.decode()
    assert statements[0].text in html and statements[1].text not in html
    assert 'data-key="agree"' in html and "<kbd>a</kbd>" in html
    r = client.post(
        "/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "1"}, **HTMX
    )
    assert r.status_code == 200
    assert statements[1].text in r.content.decode()
    assert "You have voted on 1 of 5 statements." in r.content.decode()
    assert cookie_name("jwf") in r.cookies
    client.post("/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "-1"}, **HTMX)
    assert VoteEvent.objects.count() == 2  # same participant: the cookie carried it


def test_vote_page_bad_input_is_a_message_not_a_500(client: Client, consultation, statements):
    r = client.post("/consultations/jwf/vote/", {"statement": "x", "vote": "1"}, **HTMX)
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    r = client.post(
        "/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "5"}, **HTMX
    )
    assert 'role="alert"' in r.content.decode()
    assert not VoteEvent.objects.exists()
    assert client.get("/consultations/nope/").status_code == 404


def test_write_your_own(client: Client, consultation):
    consultation.moderation_mode = ModerationMode.PRE
    consultation.save()
    r = client.post("/consultations/jwf/statements/new/", {"text": "More bike lanes"}, **HTMX)
    assert "waits for the moderators" in r.content.decode()
    r = client.post("/consultations/jwf/statements/new/", {"text": "x" * 300}, **HTMX)
    assert "at most 280" in r.content.decode()
    assert Statement.objects.get().moderation == Moderation.PENDING


def test_map_page_marks_your_own_dot(client: Client, consultation):
    statements = StatementFactory.create_batch(8, consultation=consultation)
    assert "no-map" in client.get("/consultations/jwf/map/").content.decode()
    _voters(consultation, statements, 30)
    for s in statements[:5]:
        client.post("/consultations/jwf/vote/", {"statement": s.pk, "vote": "1"})
    snapshot_compute(consultation)
    html = client.get("/consultations/jwf/map/").content.decode()
    assert 'id="my-dot"' in html and html.count('class="dot g') == 31
    # Labelled as Pol.is labels its consensus statements, and explained in one sentence.
    assert "Majority opinion" in html and 'id="majority-explained"' in html
    # someone who never voted has no dot
    assert 'id="my-dot"' not in Client().get("/consultations/jwf/map/").content.decode()


def test_map_page_projects_a_voter_newer_than_the_map(client: Client, consultation):
    statements = StatementFactory.create_batch(8, consultation=consultation)
    _voters(consultation, statements, 30)
    snapshot_compute(consultation)
    client.post("/consultations/jwf/vote/", {"statement": statements[0].pk, "vote": "1"})
    assert 'id="my-dot"' in client.get("/consultations/jwf/map/").content.decode()


@pytest.mark.parametrize("n", [20, 80])
def test_map_page_query_count(client: Client, consultation, django_assert_max_num_queries, n):
    statements = StatementFactory.create_batch(8, consultation=consultation)
    _voters(consultation, statements, n)
    snapshot_compute(consultation)
    with django_assert_max_num_queries(7):
        assert client.get("/consultations/jwf/map/").status_code == 200


def test_report_and_pdf(client: Client, consultation):
    statements = StatementFactory.create_batch(8, consultation=consultation)
    statements[0].text = "Справедливость для всех 公平"
    statements[0].save()
    _voters(consultation, statements, 30)
    snapshot_compute(consultation)
    assert "report-pdf" in client.get("/consultations/jwf/report/").content.decode()
    r = client.get("/consultations/jwf/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


@pytest.mark.parametrize(("role", "status"), [(None, 404), ("head", 404), ("secretariat", 200)])
def test_moderation_page_by_role(client: Client, users, consultation, role, status):
    StatementFactory(consultation=consultation, moderation=Moderation.PENDING, text="Waiting here")
    if role:
        login_verified(client, users[role])
    r = client.get("/consultations/jwf/moderation/")
    assert r.status_code == status
    if status == 200:
        assert "Waiting here" in r.content.decode()


def test_moderation_accepts_through_htmx(client: Client, users, consultation):
    s = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    login_verified(client, users["secretariat"])
    r = client.post(f"/consultations/jwf/moderation/{s.pk}/accept/", **HTMX)
    assert r.status_code == 200 and "Nothing waits" in r.content.decode()
    s.refresh_from_db()
    assert s.moderation == Moderation.ACCEPTED
    login_verified(client, users["head"])
    other = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    assert client.post(f"/consultations/jwf/moderation/{other.pk}/accept/").status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_list_query_count(client: Client, sco, django_assert_max_num_queries, n):
    from concord.consultation.tests.factories import ConsultationFactory

    ConsultationFactory.create_batch(n, organization=sco)
    with django_assert_max_num_queries(3):
        assert client.get("/consultations/").status_code == 200


def test_citations_show_on_the_map_for_public_documents_only(
    client: Client, sco, users, consultation
):
    from concord.consultation.services import citation_add
    from concord.consultation.tests.conftest import make_document

    statements = StatementFactory.create_batch(8, consultation=consultation)
    _voters(consultation, statements, 30)
    snapshot_compute(consultation)
    public = make_document(sco, symbol="SCO/PUB/1", classification="public")
    secret = make_document(sco, symbol="SCO/RES/1")
    for s in statements:
        citation_add(
            actor=users["secretariat"], statement_id=s.pk, document_id=public.pk, provision="op-1"
        )
        citation_add(
            actor=users["secretariat"], statement_id=s.pk, document_id=secret.pk, provision="op-2"
        )
    html = client.get("/consultations/jwf/map/").content.decode()
    assert "cited in SCO/PUB/1, provision op-1" in html
    assert f"/documents/{public.pk}/#provision-op-1" in html
    assert "SCO/RES/1" not in html


def test_a_groups_view_shows_the_groups_own_figures(client, sco):
    """A group's representative statement is shown with how that group voted on it."""
    from concord.consultation.demo import load_demo
    from concord.consultation.models import Consultation, Vote
    from concord.consultation.selectors import latest_snapshot
    from concord.reference.demo import load_demo_users

    load_demo_users()
    load_demo()
    consultation = Consultation.objects.get(slug="just-world-formula")
    snapshot = latest_snapshot(consultation)
    group = snapshot.map["groups"][0]
    statement = group["representative"][0]["statement"]
    members = {int(p) for p, (_x, _y, g) in snapshot.points.items() if g == group["id"]}
    votes = list(
        Vote.objects.filter(statement_id=statement, participant_id__in=members).values_list(
            "value", flat=True
        )
    )
    agree = round(100 * votes.count(1) / len(votes))
    assert snapshot.projection["group_counts"][str(group["id"])][str(statement)] == [
        votes.count(1),
        votes.count(-1),
        len(votes),
    ]
    html = client.get("/consultations/just-world-formula/map/").content.decode()
    section = html[html.index(f'<h2 data-group="{group["id"]}"') :]
    item = section[section.index(f'data-statement="{statement}"') :][:1200]
    assert f"{agree}% agree" in item
