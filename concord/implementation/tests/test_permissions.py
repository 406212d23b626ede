"""Who may do what (role -> status tables), and bad input: a 4xx problem naming the field,
never a 500, nothing written."""

from __future__ import annotations

import pytest

from concord.audit.models import Event
from concord.implementation import services
from concord.implementation.models import Activity, Commitment, IndicatorValue, Report, Score
from concord.implementation.tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "delegate-kaz",
    "head-kaz",
    "head-chn",
    "head-mng",
    "stranger",
    "secretariat",
]


@pytest.fixture
def world(actors, sco, adopted):
    sec = actors["secretariat"].user
    commitment = factories.commitments(actors, sco, adopted, 1)[0]
    activity = factories.activities(actors, sco, 1, commitment=commitment.pk)[0]
    cycle = services.cycle_create(
        actor=sec,
        org_slug=sco.slug,
        slug="c",
        kind="final",
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    indicator = services.indicator_create(
        actor=sec, org_slug=sco.slug, names={"en": "n"}, unit="u", scope="state", direction="lower"
    )
    return {"commitment": commitment, "activity": activity, "cycle": cycle, "indicator": indicator}


def _who(actors, role):
    return None if role == "anonymous" else actors[role]


@pytest.mark.parametrize(
    ("role", "commit", "score", "report", "value", "publish"),
    [
        ("anonymous", 401, 401, 401, 401, 401),
        ("participant", 403, 403, 403, 403, 403),
        ("delegate-kaz", 403, 403, 201, 201, 403),
        ("head-kaz", 403, 403, 201, 201, 403),
        ("head-chn", 403, 403, 403, 403, 403),
        ("head-mng", 403, 403, 403, 403, 403),
        ("stranger", 403, 403, 403, 403, 403),
        ("secretariat", 201, 200, 403, 201, 200),
    ],
)
def test_role_status_table(
    api, actors, adopted, world, role, commit, score, report, value, publish
) -> None:
    who = _who(actors, role)
    c, a = world["commitment"].pk, world["activity"].pk
    body = {"document": adopted.pk, "provision": "p3", "area": "energy"}
    assert api.post("/orgs/sco/commitments", who, body).status_code == commit
    # KAZ's own compliance: nobody of KAZ scores it, only the secretariat does.
    r = api.put(f"/commitments/{c}/compliance/KAZ", who, {"cycle": "c", "score": 1})
    assert r.status_code == score
    r = api.post(f"/commitments/{c}/reports", who, {"state": "KAZ", "status": "on_track"})
    assert r.status_code == report
    r = api.post(f"/activities/{a}/reports", who, {"state": "KAZ", "status": "delayed"})
    assert r.status_code == report
    r = api.post(
        f"/indicators/{world['indicator'].pk}/values",
        who,
        {"state": "KAZ", "date": "2025-01-01", "value": 3, "source": "x"},
    )
    assert r.status_code == value
    r = api.post(f"/cycles/{world['cycle'].pk}/actions/publish", who)
    assert r.status_code == publish
    manage = 201 if role == "secretariat" else commit
    r = api.post("/orgs/sco/activities", who, {"kind": "event", "title": {"en": "x"}})
    assert r.status_code == manage
    r = api.post("/orgs/sco/indicators", who, {"name": "x", "unit": "u", "scope": "organization"})
    assert r.status_code == manage


def test_reads_are_public(api, world) -> None:
    c, a, i = world["commitment"].pk, world["activity"].pk, world["indicator"].pk
    for url in [
        "/orgs/sco/commitments",
        f"/commitments/{c}",
        f"/commitments/{c}/compliance",
        f"/commitments/{c}/reports",
        "/orgs/sco/activities",
        f"/activities/{a}",
        f"/activities/{a}/reports",
        "/orgs/sco/indicators",
        f"/indicators/{i}/values",
        "/orgs/sco/areas",
        "/orgs/sco/cycles",
    ]:
        assert api.get(url).status_code == 200, url
    for url in [
        "/commitments/999999",
        "/activities/999999",
        "/indicators/999999/values",
        "/orgs/nope/commitments",
    ]:
        r = api.get(url)
        assert r.status_code == 404 and r["Content-Type"] == "application/problem+json", url


def _counts():
    return [m.objects.count() for m in (Commitment, Activity, Report, Score, IndicatorValue, Event)]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("post", "/orgs/sco/commitments", {"document": "{doc}", "provision": "p3"}, 422, "area"),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "zz", "area": "energy"},
            422,
            "provision",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": 999999, "provision": "p3", "area": "energy"},
            404,
            "document",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "p3", "area": "nope"},
            404,
            "area",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "p3", "area": "energy", "due": "2025-13-01"},
            422,
            "due",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "p3", "area": "energy", "lead_states": ["ZZZ"]},
            404,
            "lead_states",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "p3", "area": "energy", "texts": {"fr": "x"}},
            422,
            "texts",
        ),
        (
            "post",
            "/orgs/sco/commitments",
            {"document": "{doc}", "provision": "p3", "area": "energy", "bodies": ["nope"]},
            404,
            "bodies",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "weight": -1},
            422,
            "weight",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "start": "2025-02-01", "end": "2025-01-01"},
            422,
            "end",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "parent": 999999},
            404,
            "parent",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "commitments": [999999]},
            404,
            "commitments",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "states": [{"iso3": "KAZ", "role": "boss"}]},
            422,
            "states.0.role",
        ),
        ("post", "/orgs/sco/activities", {"kind": "event", "title": {}}, 422, "title"),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "bodies": [{"body": "nope", "role": "lead"}]},
            404,
            "bodies",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x"}, "bodies": [{"body": "cfm", "role": "boss"}]},
            422,
            "bodies.0.role",
        ),
        (
            "post",
            "/orgs/sco/activities",
            {"kind": "event", "title": {"en": "x\u0000"}},
            422,
            "title.en",
        ),
        ("post", "/commitments/{c}/reports", {"status": "meh"}, 422, "status"),
        (
            "post",
            "/commitments/{c}/reports",
            {"status": "done", "evidence": ["javascript:alert(1)"]},
            422,
            "evidence.0",
        ),
        ("post", "/commitments/{c}/reports", {"status": "done", "progress": 120}, 422, "progress"),
        ("put", "/commitments/{c}/compliance/KAZ", {"cycle": "c", "score": "1"}, 422, "score"),
        ("put", "/commitments/{c}/compliance/KAZ", {"cycle": "nope", "score": 1}, 404, "cycle"),
        ("put", "/commitments/{c}/compliance/ZZZ", {"cycle": "c", "score": 1}, 404, "iso3"),
        (
            "put",
            "/commitments/{c}/compliance/KAZ",
            {"cycle": "c", "score": 1, "evidence": ["ftp://x"]},
            422,
            "evidence.0",
        ),
        (
            "put",
            "/commitments/{c}/compliance/KAZ",
            {"cycle": "c", "score": 1, "evidence": ["https://ok.example/a", "https:///no-host"]},
            422,
            "evidence.1",
        ),
        (
            "put",
            "/commitments/{c}/compliance/KAZ",
            {"cycle": "c", "score": 1, "evidence": [" https://example.org/space"]},
            422,
            "evidence.0",
        ),
        # A state the commitment does not bind: no compliance of it to score (404, like an
        # unknown code; which states are bound is the database's).
        ("put", "/commitments/{c}/compliance/MNG", {"cycle": "c", "score": 1}, 404, "iso3"),
        (
            "post",
            "/indicators/{i}/values",
            {"state": "KAZ", "date": "yesterday", "value": 1, "source": "x"},
            422,
            "date",
        ),
        (
            "post",
            "/indicators/{i}/values",
            {"date": "2025-01-01", "value": 1, "source": "x"},
            422,
            "state",
        ),
        (
            "post",
            "/indicators/{i}/values",
            {"state": "KAZ", "date": "2025-01-01", "value": 1, "source": " "},
            422,
            "source",
        ),
        (
            "post",
            "/orgs/sco/indicators",
            {"name": "x", "unit": "u", "scope": "galaxy"},
            422,
            "scope",
        ),
        (
            "post",
            "/orgs/sco/cycles",
            {
                "slug": "x",
                "kind": "weekly",
                "period_start": "2025-01-01",
                "period_end": "2025-02-01",
            },
            422,
            "kind",
        ),
        (
            "post",
            "/orgs/sco/cycles",
            {
                "slug": "x",
                "kind": "final",
                "period_start": "2025-03-01",
                "period_end": "2025-02-01",
            },
            422,
            "period_end",
        ),
        (
            "post",
            "/orgs/sco/cycles",
            {
                "slug": "c",
                "kind": "final",
                "period_start": "2025-01-01",
                "period_end": "2025-02-01",
            },
            409,
            "slug",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    api, actors, adopted, world, method, path, body, status, field
) -> None:
    sec = actors["secretariat"]
    path = path.format(c=world["commitment"].pk, i=world["indicator"].pk)
    body = {k: (adopted.pk if v == "{doc}" else v) for k, v in body.items()}
    before = _counts()
    r = getattr(api, method)(path, sec, body)
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"] == field
    assert _counts() == before


def test_a_body_that_is_not_json_and_odd_paging_are_refused(api, actors, world) -> None:
    r = api.client.post(
        "/api/v1/orgs/sco/commitments",
        data=b"{not json",
        content_type="application/json",
        **actors["secretariat"].auth,
    )
    assert 400 <= r.status_code < 500
    for query in ["limit=0", "limit=100000", "offset=-1", "limit=x"]:
        r = api.get(f"/orgs/sco/commitments?{query}")
        assert r.status_code == 422, query
    assert api.get("/orgs/sco/commitments/suggestions?document=999999").status_code == 404
    r = api.client.post(
        f"/api/v1/indicators/{world['indicator'].pk}/values.csv",
        data=b"\xff\xfe\x00bad",
        content_type="text/csv",
        **actors["secretariat"].auth,
    )
    assert r.status_code == 422 and r.json()["field"] == "file"
