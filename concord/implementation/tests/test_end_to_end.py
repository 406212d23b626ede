"""Issue 12 acceptance: from a document adopted through the negotiation API to the
dashboard and compliance averages, all through the REST API.

A delegate cannot report for another state; a state cannot score itself; a partner is
never bound.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from concord.audit.models import Event
from concord.audit.services import chain_verify
from concord.negotiation.tests.conftest import MEMBERS

pytestmark = pytest.mark.django_db

PROVISIONS = [
    {
        "key": "pre1",
        "kind": "preamble",
        "texts": {
            "en": "Recalling that the Member States will meet again,",
            "ru": "Напоминая, что государства-члены встретятся вновь,",
            "zh": "回顾成员国将再次会晤，",
        },
    },
    {
        "key": "op1",
        "kind": "operative",
        "texts": {
            "en": "The Member States will expand student exchanges between their universities.",
            "ru": "Государства-члены будут расширять студенческие обмены между университетами.",
            "zh": "成员国将扩大大学之间的学生交流。",
        },
    },
    {
        "key": "op2",
        "kind": "operative",
        "texts": {
            "en": "The Member States agree to hold a joint cultural festival every year.",
            "ru": "Государства-члены договорились ежегодно проводить совместный фестиваль.",
            "zh": "成员国同意每年举办联合文化节。",
        },
    },
    {
        "key": "op3",
        "kind": "operative",
        "texts": {
            "en": "The Member States shall launch joint research on water ecology.",
            "ru": "Государства-члены обязуются начать совместные исследования экологии воды.",
            "zh": "成员国承诺启动水生态联合研究。",
        },
    },
    {
        "key": "op4",
        "kind": "operative",
        "texts": {
            "en": "The Member States note the report of the Secretary-General.",
            "ru": "Государства-члены принимают к сведению доклад Генерального секретаря.",
            "zh": "成员国注意到秘书长的报告。",
        },
    },
]


def _adopt_through_the_negotiation_api(api, actors) -> int:
    sec, kaz = actors["secretariat"], actors["head-kaz"]
    today = timezone.localdate().isoformat()
    r = api.post(
        "/orgs/sco/meetings",
        sec,
        # Adopted at a meeting held today: a decision is dated by its real meeting.
        {"body": "chs", "start": today, "end": today, "city": "Tianjin"},
    )
    assert r.status_code == 201, r.content
    meeting = r.json()["id"]
    r = api.post(
        "/orgs/sco/documents",
        kaz,
        {
            "symbol": "SCO/CHS/2025/IMPL.E2E",
            "kind": "declaration",
            "title": {"en": "Test Declaration", "ru": "Декларация", "zh": "宣言"},
            "body": "chs",
            "meeting": meeting,
            "sponsors": ["KAZ"],
            "classification": "public",
            "languages": ["en", "ru", "zh"],
        },
    )
    assert r.status_code == 201, r.content
    d = r.json()["id"]
    r = api.post(f"/documents/{d}/versions", kaz, {"note": "v1", "provisions": PROVISIONS})
    assert r.status_code == 201, r.content
    for iso3 in MEMBERS:
        r = api.put(
            f"/documents/{d}/versions/1/positions/{iso3}",
            actors[f"head-{iso3.lower()}"],
            {"stand": "support"},
        )
        assert r.status_code == 200, r.content
    # A commitment is refused while the document is not adopted.
    r = api.post(
        "/orgs/sco/commitments", sec, {"document": d, "provision": "op1", "area": "culture"}
    )
    assert r.status_code == 409 and r.json()["field"] == "document"
    r = api.post(f"/documents/{d}/versions/1/actions/adopt", sec, {"meeting": meeting})
    assert r.status_code == 200, r.content
    return d


def test_from_adopted_text_to_dashboard(api, actors, areas) -> None:
    sec, kaz, chn = actors["secretariat"], actors["head-kaz"], actors["head-chn"]
    d = _adopt_through_the_negotiation_api(api, actors)

    # Suggestions: the operative provisions with commitment wording; never the preamble,
    # never "note the report".
    r = api.get(f"/orgs/sco/commitments/suggestions?document={d}")
    assert r.status_code == 200, r.content
    suggested = {s["key"]: s for s in r.json()}
    assert sorted(suggested) == ["op1", "op2", "op3"]
    assert suggested["op1"]["cue"] == "will" and suggested["op1"]["status"] == "pending"
    assert api.get("/orgs/sco/commitments").json() == []  # nothing without a person

    # Only the secretariat confirms; it confirms two and discards one.
    body = {"document": d, "provision": "op1", "area": "culture", "lead_states": ["KAZ"]}
    assert api.post("/orgs/sco/commitments", kaz, body).status_code == 403
    r = api.post("/orgs/sco/commitments", sec, {**body, "due": "2026-12-31"})
    assert r.status_code == 201, r.content
    c1 = r.json()
    # Bound: the ten members on the adoption date; Mongolia and Türkiye never.
    assert c1["bound"] == sorted(MEMBERS)
    assert "MNG" not in c1["bound"] and "TUR" not in c1["bound"]
    assert c1["texts"]["ru"].startswith("Государства-члены будут")
    r = api.post(
        "/orgs/sco/commitments",
        sec,
        {
            "document": d,
            "provision": "op2",
            "area": "culture",
            "lead_states": ["CHN"],
            "due": "2025-10-01",
            "texts": {"en": "Hold a joint cultural festival every year."},
        },
    )
    assert r.status_code == 201, r.content
    c2 = r.json()
    assert c2["texts"]["en"] == "Hold a joint cultural festival every year."
    # A partner cannot lead: it is not bound.
    r = api.post(
        "/orgs/sco/commitments",
        sec,
        {"document": d, "provision": "op3", "area": "ecology", "lead_states": ["MNG"]},
    )
    assert r.status_code == 422 and r.json()["field"] == "lead_states"
    r = api.post(
        "/orgs/sco/commitments/suggestions/actions/discard",
        sec,
        {"document": d, "provision": "op3", "reason": "Too vague"},
    )
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    statuses = {
        s["key"]: s["status"]
        for s in api.get(f"/orgs/sco/commitments/suggestions?document={d}").json()
    }
    assert statuses == {"op1": "confirmed", "op2": "confirmed", "op3": "discarded"}
    # The same provision twice: 409.
    assert api.post("/orgs/sco/commitments", sec, body).status_code == 409

    # Activities: a student exchange under the first, a festival under the second, with a
    # parent programme rolling both up with weights.
    r = api.post(
        "/orgs/sco/activities",
        sec,
        {
            "kind": "project",
            "title": {"en": "Programme"},
            "states": [{"iso3": "KAZ", "role": "lead"}],
        },
    )
    assert r.status_code == 201, r.content
    programme = r.json()["id"]
    r = api.post(
        "/orgs/sco/activities",
        sec,
        {
            "commitments": [c1["id"]],
            "kind": "exchange",
            "title": {"en": "Student exchange", "ru": "Студенческий обмен", "zh": "学生交流"},
            "states": [{"iso3": "KAZ", "role": "lead"}, {"iso3": "CHN", "role": "participant"}],
            "bodies": [{"body": "cfm", "role": "participant"}],
            "start": "2025-09-01",
            "end": "2026-06-30",
            "place": "Almaty",
            "parent": programme,
            "weight": 3,
        },
    )
    assert r.status_code == 201, r.content
    exchange = r.json()
    assert exchange["bodies"] == [{"body": "cfm", "role": "participant"}]
    assert exchange["states"] == [
        {"iso3": "CHN", "role": "participant"},
        {"iso3": "KAZ", "role": "lead"},
    ]
    r = api.post(
        "/orgs/sco/activities",
        sec,
        {
            "commitments": [c2["id"]],
            "kind": "event",
            "title": {"en": "Cultural festival"},
            "states": [{"iso3": "CHN", "role": "lead"}],
            "start": "2025-09-10",
            "end": "2025-09-20",
            "place": "Qingdao",
            "parent": programme,
            "weight": 1,
        },
    )
    assert r.status_code == 201, r.content
    festival = r.json()["id"]
    bad = api.post("/orgs/sco/activities", sec, {"kind": "picnic", "title": {"en": "x"}})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"

    # Reports from two states; a delegate cannot report for another state.
    report = {
        "state": "KAZ",
        "status": "on_track",
        "narrative": "120 students",
        "evidence": ["https://example.org/kaz"],
    }
    r = api.post(f"/activities/{exchange['id']}/reports", actors["delegate-kaz"], report)
    assert r.status_code == 201, r.content
    r = api.post(f"/activities/{festival}/reports", chn, {"state": "CHN", "status": "done"})
    assert r.status_code == 201, r.content
    r = api.post(
        f"/activities/{festival}/reports",
        actors["delegate-kaz"],
        {"state": "CHN", "status": "done"},
    )
    assert r.status_code == 403
    r = api.post(f"/commitments/{c1['id']}/reports", kaz, {"state": "KAZ", "status": "on_track"})
    assert r.status_code == 201, r.content
    r = api.post(f"/commitments/{c2['id']}/reports", chn, {"state": "CHN", "status": "done"})
    assert r.status_code == 201, r.content
    r = api.post(f"/commitments/{c1['id']}/reports", kaz, {"state": "CHN", "status": "done"})
    assert r.status_code == 403
    # A partner is not bound: even the secretariat cannot file its report on a commitment.
    r = api.post(
        f"/commitments/{c1['id']}/reports", actors["head-mng"], {"state": "MNG", "status": "done"}
    )
    assert r.status_code == 404 and r.json()["field"] == "state"
    r = api.post(f"/commitments/{c1['id']}/reports", kaz, {"status": "done"})
    assert r.status_code == 403  # the organization's own report is the secretariat's
    r = api.post(f"/commitments/{c1['id']}/reports", sec, {"status": "on_track"})
    assert r.status_code == 201, r.content

    # Roll-up: the exchange is on track (50), the festival done (100): (3*50 + 1*100) / 4.
    assert api.get(f"/activities/{programme}").json()["progress"] == 62.5

    # A compliance cycle, scored by the secretariat; no state scores itself.
    r = api.post(
        "/orgs/sco/cycles",
        sec,
        {
            "slug": "2025-interim",
            "kind": "interim",
            "period_start": "2025-09-01",
            "period_end": "2026-03-01",
        },
    )
    assert r.status_code == 201, r.content
    cycle = r.json()["id"]
    score = {
        "cycle": "2025-interim",
        "score": 1,
        "evidence": ["https://example.org/e"],
        "text": "done",
    }
    assert api.put(f"/commitments/{c1['id']}/compliance/KAZ", kaz, score).status_code == 403
    assert api.put(f"/commitments/{c1['id']}/compliance/CHN", kaz, score).status_code == 403
    assert api.put(f"/commitments/{c1['id']}/compliance/MNG", sec, score).status_code == 404
    assert (
        api.put(f"/commitments/{c1['id']}/compliance/KAZ", sec, {**score, "score": 2}).status_code
        == 422
    )
    for cid, iso3, value in [
        (c1["id"], "KAZ", 0),
        (c1["id"], "KAZ", 1),  # rescored: the history keeps both
        (c1["id"], "CHN", 0),
        (c2["id"], "CHN", 1),
        (c2["id"], "KAZ", -1),
    ]:
        r = api.put(f"/commitments/{cid}/compliance/{iso3}", sec, {**score, "score": value})
        assert r.status_code == 200, r.content
    history = api.get(f"/commitments/{c1['id']}/compliance").json()
    assert [(h["iso3"], h["score"]) for h in history] == [("CHN", 0), ("KAZ", 0), ("KAZ", 1)]

    r = api.get("/orgs/sco/compliance?cycle=2025-interim")
    assert r.status_code == 200, r.content
    averages = r.json()
    by_state = {row["key"]: row for row in averages["by_state"]}
    assert by_state["KAZ"]["average"] == 0.0 and by_state["KAZ"]["percent"] == 50.0
    assert by_state["CHN"]["average"] == 0.5 and by_state["CHN"]["percent"] == 75.0
    by_commitment = {int(row["key"]): row for row in averages["by_commitment"]}
    assert by_commitment[c1["id"]]["average"] == 0.5
    assert by_commitment[c2["id"]]["average"] == 0.0
    assert averages["overall"]["scored"] == 4
    assert [(c["key"], c["scored"], c["average"]) for c in averages["by_cycle"]] == [
        ("2025-interim", 4, 0.25)
    ]
    culture_avg = next(a for a in averages["by_area"] if a["key"] == "culture")
    assert culture_avg["percent"] == 62.5
    assert api.get("/orgs/sco/compliance?cycle=nope").status_code == 404

    # Published: frozen.
    assert api.post(f"/cycles/{cycle}/actions/publish", kaz).status_code == 403
    assert api.post(f"/cycles/{cycle}/actions/publish", sec).status_code == 200
    r = api.put(f"/commitments/{c1['id']}/compliance/KAZ", sec, score)
    assert r.status_code == 409

    # The dashboard: per area and per state.
    r = api.get("/orgs/sco/dashboard")
    assert r.status_code == 200, r.content
    board = r.json()
    culture = next(a for a in board["by_area"] if a["area"] == "culture")
    assert culture["commitments"] == 2
    assert culture["on_track"] == 1 and culture["done"] == 1
    states = {row["iso3"]: row for row in board["by_state"]}
    assert sorted(states) == sorted(MEMBERS)
    assert states["KAZ"]["commitments"] == 2 and states["KAZ"]["compliance_avg"] == 0.0
    assert states["CHN"]["compliance_avg"] == 0.5
    assert states["IND"]["compliance_avg"] is None
    assert api.get("/orgs/sco/dashboard?state=CHN").json()["by_state"][0]["iso3"] == "CHN"
    only = api.get("/orgs/sco/dashboard?area=energy").json()
    assert [a["area"] for a in only["by_area"]] == ["energy"]

    # Every decision-relevant act is in the hash chain.
    acts = set(Event.objects.values_list("act", flat=True))
    assert {
        "commitment.confirm",
        "suggestion.discard",
        "compliance.score",
        "report.create",
        "activity.create",
        "cycle.publish",
    } <= acts
    assert chain_verify().ok
