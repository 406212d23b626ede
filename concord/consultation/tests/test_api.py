"""The REST API: role -> status tables, bad input, query counts at two data sizes."""

from __future__ import annotations

import json

import pytest

from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Citation, Moderation, Statement, Vote, VoteEvent
from concord.consultation.tests.conftest import make_document
from concord.consultation.tests.factories import ParticipantFactory, StatementFactory
from concord.consultation.tokens import token_for

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), ("participant", 403), ("head", 403), ("secretariat", 201)],
)
def test_create_consultation_by_role(api, tokens, role, status):
    body = {"slug": "new", "title": {"en": "New"}, "description": "Why", "languages": ["en", "ru"]}
    response = api.post("/orgs/sco/consultations", body, token=tokens.get(role))
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["title"] == {"en": "New"}
        assert api.get("/consultations/new").json()["languages"] == ["en", "ru"]
    else:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "", "title": {"en": "X"}},
        {"slug": "has space", "title": {"en": "X"}},
        {"slug": "ok", "title": {}},
        {"slug": "ok", "title": {"en": "X"}, "languages": []},
        {"slug": "ok", "title": {"en": "X"}, "moderation_mode": "never"},
        {"title": {"en": "X"}},
    ],
)
def test_create_consultation_bad_input(api, tokens, body):
    response = api.post("/orgs/sco/consultations", body, token=tokens["secretariat"])
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM


def test_unknown_consultation_and_org(api, tokens):
    assert api.get("/consultations/nope").status_code == 404
    r = api.post(
        "/orgs/nope/consultations", {"slug": "a", "title": "A"}, token=tokens["secretariat"]
    )
    assert r.status_code == 404


def test_join_returns_a_bearer_token(api, consultation):
    token = api.join("jwf")
    assert not token.startswith("cc_")
    assert api.post("/consultations/nope/participants").status_code == 404


def test_vote_201_then_200_with_history(api, consultation, statements):
    token = api.join("jwf")
    s = statements[0].pk
    r1 = api.post("/consultations/jwf/votes", {"statement": s, "vote": 1}, token=token)
    assert r1.status_code == 201 and r1.json() == {"statement": s, "vote": 1, "replaced": False}
    r2 = api.post("/consultations/jwf/votes", {"statement": s, "vote": 0}, token=token)
    assert r2.status_code == 200 and r2.json()["replaced"] is True
    assert Vote.objects.get().value == 0
    assert VoteEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"statement": "S", "vote": 1}, 422),
        ({"statement": 1}, 422),
        ({"vote": 1}, 422),
        ({"statement": "1", "vote": 1}, 422),
        ({"statement": 1, "vote": 2}, 422),
        ({"statement": 1, "vote": "1"}, 422),
        ({"statement": 1, "vote": True}, 422),
        ({"statement": 1, "vote": 1.5}, 422),
        ({"statement": 999999, "vote": 1}, 404),
    ],
)
def test_malformed_votes(api, consultation, statements, body, status):
    token = api.join("jwf")
    if body.get("statement") == 1:
        body = {**body, "statement": statements[0].pk}
    response = api.post("/consultations/jwf/votes", body, token=token)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert not VoteEvent.objects.exists() and not Vote.objects.exists()


def test_vote_body_not_json(api, consultation, statements):
    token = api.join("jwf")
    r = api.post("/consultations/jwf/votes", raw="{not json", token=token)
    assert r.status_code in (400, 422) and r["Content-Type"] == PROBLEM
    assert not VoteEvent.objects.exists()


def test_vote_auth(api, consultation, statements, tokens):
    body = {"statement": statements[0].pk, "vote": 1}
    assert api.post("/consultations/jwf/votes", body).status_code == 401
    assert api.post("/consultations/jwf/votes", body, token="forged.token").status_code == 401
    other = ParticipantFactory(consultation__organization=consultation.organization)
    wrong = token_for(other.pk, other.consultation_id)
    assert api.post("/consultations/jwf/votes", body, token=wrong).status_code == 404
    # a signed-in user votes as their own participant, with a user API token
    assert (
        api.post("/consultations/jwf/votes", body, token=tokens["participant"]).status_code == 201
    )
    assert (
        api.post("/consultations/jwf/votes", body, token=tokens["participant"]).status_code == 200
    )
    assert api.post("/consultations/jwf/votes", body, token="cc_wrong").status_code == 401
    assert VoteEvent.objects.count() == 2


def test_vote_on_closed_consultation_and_pending_statement(api, consultation, statements, tokens):
    token = api.join("jwf")
    pending = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    r = api.post("/consultations/jwf/votes", {"statement": pending.pk, "vote": 1}, token=token)
    assert r.status_code == 422
    assert api.post("/consultations/jwf/actions/close", token=tokens["head"]).status_code == 403
    assert (
        api.post("/consultations/jwf/actions/close", token=tokens["secretariat"]).status_code == 200
    )
    r = api.post(
        "/consultations/jwf/votes", {"statement": statements[0].pk, "vote": 1}, token=token
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    assert api.post("/consultations/jwf/participants").status_code == 409
    assert not VoteEvent.objects.exists()


def test_statements_write(api, consultation, tokens):
    token = api.join("jwf")
    r = api.post(
        "/consultations/jwf/statements", {"text": "Share water fairly", "lang": "en"}, token=token
    )
    assert r.status_code == 201 and r.json()["moderation"] == "accepted"
    dup = api.post("/consultations/jwf/statements", {"text": "share water fairly!"}, token=token)
    assert dup.status_code == 409
    long = api.post("/consultations/jwf/statements", {"text": "w" * 281}, token=token)
    assert long.status_code == 422 and long.json()["field"] == "text"
    assert api.post("/consultations/jwf/statements", {"text": 5}, token=token).status_code == 422
    assert api.post("/consultations/jwf/statements", {"text": "anon"}).status_code == 401
    seed = api.post(
        "/consultations/jwf/statements", {"text": "A seed"}, token=tokens["secretariat"]
    )
    assert seed.status_code == 201 and seed.json()["is_seed"] is True
    assert Statement.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), ("participant", 404), ("head", 404), ("secretariat", 200)],
)
def test_moderation_by_role(api, consultation, tokens, role, status):
    s = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    r = api.post(f"/statements/{s.pk}/actions/accept", token=tokens.get(role))
    assert r.status_code == status, r.content
    s.refresh_from_db()
    assert (s.moderation == Moderation.ACCEPTED) == (status == 200)


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"])
def test_moderation_reason_with_nul_or_lone_surrogate_is_422_and_changes_nothing(
    api, consultation, tokens, escape
):
    # Found by schemathesis: NUL broke the audit event's JSON on PostgreSQL, a lone surrogate
    # broke the audit digest's UTF-8 encoding: both were 500s.
    s = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    r = api.post(
        f"/statements/{s.pk}/actions/accept",
        raw='{"reason": "off' + escape + 'topic"}',
        token=tokens["secretariat"],
    )
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"] == "reason"
    s.refresh_from_db()
    assert s.moderation == Moderation.PENDING


@pytest.mark.parametrize("raw", ['"off topic"', '["off topic"]', "42"])
def test_moderation_body_that_is_not_an_object_is_422_and_changes_nothing(
    api, consultation, tokens, raw
):
    # Found by schemathesis: ninja read such a body as no body, and the statement was rejected.
    s = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    r = api.post(f"/statements/{s.pk}/actions/reject", raw=raw, token=tokens["secretariat"])
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"] == "body"
    s.refresh_from_db()
    assert s.moderation == Moderation.PENDING
    # No body at all, or an object, still works.
    r = api.post(f"/statements/{s.pk}/actions/reject", raw="", token=tokens["secretariat"])
    assert r.status_code == 200, r.content


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_moderation_with_a_json_null_body_is_moderation_without_a_reason(
    api, consultation, tokens, action
):
    # The schema allows null for the optional body (schemathesis sent it and got 422).
    s = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    r = api.post(f"/statements/{s.pk}/actions/{action}", raw="null", token=tokens["secretariat"])
    assert r.status_code == 200, r.content
    s.refresh_from_db()
    assert s.moderation == (Moderation.ACCEPTED if action == "accept" else Moderation.REJECTED)


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ({"en": "   "}, "title"),
        ({"en": "X", "ru": "\u3000"}, "title"),
        ("  ", "title"),
        ({"not a code!": "X"}, "title"),
        ({"en": "X" * 301}, "title"),
    ],
)
def test_create_consultation_with_a_blank_or_misnamed_title_is_422_and_changes_nothing(
    api, tokens, title, field
):
    from concord.consultation.models import Consultation

    before = Consultation.objects.count()
    body = {"slug": "blank", "title": title}
    r = api.post("/orgs/sco/consultations", body, token=tokens["secretariat"])
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"].startswith(field)
    assert Consultation.objects.count() == before


@pytest.mark.parametrize("offset", [10, 2**64])
def test_statement_page_past_the_end_is_empty(api, consultation, statements, offset):
    # Found by schemathesis: an offset past 2**63 overflowed the database's integers (500).
    r = api.get(f"/consultations/jwf/statements?offset={offset}")
    assert r.status_code == 200, r.content
    assert r.json()["items"] == []
    assert r.json()["count"] == len(statements)


def test_consultation_slug_with_nul_is_422(api, consultation):
    r = api.get("/consultations/jwf%00")
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"] == "slug"


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), ("participant", 403), ("head", 403), ("secretariat", 200)],
)
def test_reject_accepted_statement_by_role(api, consultation, tokens, role, status):
    s = StatementFactory(consultation=consultation)
    r = api.post(
        f"/statements/{s.pk}/actions/reject", {"reason": "off topic"}, token=tokens.get(role)
    )
    assert r.status_code == status, r.content


def test_statement_list_public_and_secretariat(api, consultation, tokens):
    StatementFactory.create_batch(3, consultation=consultation)
    StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    StatementFactory(consultation=consultation, moderation=Moderation.REJECTED)
    public = api.get("/consultations/jwf/statements").json()
    assert public["count"] == 3
    assert (
        api.get("/consultations/jwf/statements", token=tokens["secretariat"]).json()["count"] == 5
    )
    page = api.get("/consultations/jwf/statements?limit=2&offset=2").json()
    assert len(page["items"]) == 1
    assert api.get("/consultations/jwf/statements?limit=0").status_code == 422
    assert api.get("/consultations/jwf/statements?limit=abc").status_code == 422


@pytest.mark.parametrize("n", [5, 50])
def test_statement_list_query_count(api, consultation, django_assert_num_queries, n):
    StatementFactory.create_batch(n, consultation=consultation)
    with django_assert_num_queries(4):  # consultation, count, page, translations
        r = api.get("/consultations/jwf/statements?limit=200")
    assert r.json()["count"] == n


def _voters(consultation, statements, n_participants):
    import random

    rnd = random.Random(1)
    for i in range(n_participants):
        p = ParticipantFactory(consultation=consultation)
        group = i % 2
        Vote.objects.bulk_create(
            [
                Vote(
                    consultation=consultation,
                    participant=p,
                    statement=s,
                    value=(1 if (j % 2 == group) else -1) if rnd.random() > 0.1 else 0,
                    updated_at=consultation.created_at,
                )
                for j, s in enumerate(statements)
            ]
        )


@pytest.mark.parametrize("n", [20, 80])
def test_map_endpoint(api, consultation, django_assert_num_queries, n):
    statements = StatementFactory.create_batch(10, consultation=consultation)
    assert api.get("/consultations/jwf/map").status_code == 404
    _voters(consultation, statements, n)
    snapshot_compute(consultation)
    with django_assert_num_queries(2):  # consultation, latest snapshot
        r = api.get("/consultations/jwf/map")
    body = r.json()
    assert r.status_code == 200
    assert set(body) == {
        "participants",
        "clustered",
        "statements",
        "votes",
        "seconds",
        "groups",
        "consensus",
        "divisive",
        "computed_at",
        "positions",
        "participant_ids_published",
    }
    assert body["participants"] == n and body["statements"] == 10
    assert len(body["groups"]) >= 2
    # Sizes and positions, but no stable participant ids unless the consultation says so.
    assert body["participant_ids_published"] is False
    assert all("participants" not in g for g in body["groups"])
    assert sum(g["size"] for g in body["groups"]) == body["clustered"]
    assert all(len(p) == 3 for p in body["positions"]) and body["positions"]
    ids = {s.pk for s in statements}
    assert all(r["statement"] in ids for g in body["groups"] for r in g["representative"])


def test_vote_path_queries(api, consultation, statements, django_assert_max_num_queries, settings):
    """The hot path: one read, then upsert + history in one transaction (and one counter
    upsert when rate limits are on); no session, user or token-table lookups."""
    token = api.join("jwf")
    with django_assert_max_num_queries(5):  # read, BEGIN/SAVEPOINT, upsert, insert, commit
        r = api.post(
            "/consultations/jwf/votes", {"statement": statements[0].pk, "vote": 1}, token=token
        )
    assert r.status_code == 201
    settings.CONCORD_RATE_LIMITS = True
    with django_assert_max_num_queries(6):
        r = api.post(
            "/consultations/jwf/votes", {"statement": statements[1].pk, "vote": 1}, token=token
        )
    assert r.status_code == 201


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 401), ("participant", 403), ("head", 403), ("secretariat", 201)],
)
def test_cite_by_role(api, sco, consultation, statements, tokens, role, status):
    doc = make_document(sco)
    body = {"document": doc.pk, "provision": "op-1"}
    r = api.post(f"/statements/{statements[0].pk}/citations", body, token=tokens.get(role))
    assert r.status_code == status, r.content


def test_cite_bad_input(api, sco, consultation, statements, tokens):
    doc = make_document(sco)
    t = tokens["secretariat"]
    url = f"/statements/{statements[0].pk}/citations"
    assert api.post(url, {"document": "x", "provision": "op-1"}, token=t).status_code == 422
    assert api.post(url, {"document": doc.pk, "provision": "nope"}, token=t).status_code == 404
    assert api.post(url, {"document": doc.pk + 50, "provision": "op-1"}, token=t).status_code == 404
    assert (
        api.post(
            "/statements/999999/citations", {"document": doc.pk, "provision": "op-1"}, token=t
        ).status_code
        == 404
    )


def test_cookie_writes_need_csrf(consultation, statements):
    from django.test import Client

    from concord.consultation.tokens import cookie_name

    client = Client(enforce_csrf_checks=True)
    p = ParticipantFactory(consultation=consultation)
    client.cookies[cookie_name("jwf")] = token_for(p.pk, consultation.pk)
    body = json.dumps({"statement": statements[0].pk, "vote": 1})
    r = client.post("/api/v1/consultations/jwf/votes", body, content_type="application/json")
    assert r.status_code == 403
    assert not VoteEvent.objects.exists()
    client.get("/consultations/jwf/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    r = client.post(
        "/api/v1/consultations/jwf/votes",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert r.status_code == 201


@pytest.mark.parametrize("statement", [2**63, 2**63 + 1, -(2**63) - 1, 10**30])
def test_vote_on_a_statement_id_beyond_64_bits_is_422(api, consultation, statements, statement):
    # Issue 13: the id overflowed in the database driver, a 500.
    token = api.join("jwf")
    r = api.post("/consultations/jwf/votes", {"statement": statement, "vote": 1}, token=token)
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == PROBLEM
    assert r.json()["field"] == "statement"
    assert not VoteEvent.objects.exists() and not Vote.objects.exists()


def test_citing_a_statement_not_accepted_is_a_conflict(api, sco, consultation, tokens):
    # 409: its moderation is a state of the database (it may be accepted later).
    doc = make_document(sco)
    pending = StatementFactory(consultation=consultation, moderation=Moderation.PENDING)
    body = {"document": doc.pk, "provision": "op-1"}
    r = api.post(f"/statements/{pending.pk}/citations", body, token=tokens["secretariat"])
    assert r.status_code == 409, r.content
    assert not Citation.objects.exists()
