"""CSV: all-or-nothing indicator value imports naming every bad row and column, and the
round trip of commitments, activities and reports keyed by external id."""

from __future__ import annotations

import pytest

from concord.implementation.models import Activity, Commitment, IndicatorValue, Report
from concord.implementation.tests import factories

pytestmark = pytest.mark.django_db


def _post_csv(api, path: str, actor, text: str):
    return api.client.post(
        f"/api/v1{path}", data=text.encode(), content_type="text/csv", **actor.auth
    )


@pytest.fixture
def indicator(api, actors, sco, areas) -> int:
    r = api.post(
        "/orgs/sco/indicators",
        actors["secretariat"],
        {"name": {"en": "Students exchanged"}, "unit": "students", "scope": "state"},
    )
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_a_file_with_bad_rows_imports_nothing_and_names_them(api, actors, indicator) -> None:
    text = (
        "state,date,value,source\n"
        "KAZ,2025-01-01,10,Ministry of Education\n"
        "KAZ,2025-02-30,11,Ministry of Education\n"  # no such day
        "XXX,2025-03-01,12,Ministry\n"  # no such state
        "CHN,2025-04-01,many,Ministry\n"  # not a number
        "CHN,2025-05-01,13,\n"  # no source
    )
    r = _post_csv(api, f"/indicators/{indicator}/values.csv", actors["secretariat"], text)
    assert r.status_code == 422, r.content
    body = r.json()
    errors = [(e["row"], e["column"]) for e in body["params"]["errors"]]
    assert errors == [(2, "date"), (3, "state"), (4, "value"), (5, "source")]
    assert "row 2, date" in body["detail"] and "row 4, value" in body["detail"]
    assert IndicatorValue.objects.count() == 0


def test_a_good_file_imports_every_row(api, actors, indicator) -> None:
    lines = ["state,date,value,source"]
    lines += [
        f"{'KAZ' if i % 2 else 'CHN'},2025-01-{1 + i % 28:02d},{i},Survey {i}" for i in range(300)
    ]
    r = _post_csv(
        api, f"/indicators/{indicator}/values.csv", actors["secretariat"], "\n".join(lines)
    )
    assert r.status_code == 201, r.content
    assert r.json() == {"created": 300, "updated": 0}
    assert IndicatorValue.objects.filter(indicator_id=indicator).count() == 300
    export = api.get(f"/indicators/{indicator}/values.csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert len(export.content.decode().strip().splitlines()) == 301


def test_a_delegation_imports_only_its_own_states_values(api, actors, indicator) -> None:
    text = "state,date,value,source\nKAZ,2025-01-01,1,x\nCHN,2025-01-01,2,y\n"
    r = _post_csv(api, f"/indicators/{indicator}/values.csv", actors["head-kaz"], text)
    assert r.status_code == 422
    assert [(e["row"], e["column"]) for e in r.json()["params"]["errors"]] == [(2, "state")]
    assert IndicatorValue.objects.count() == 0


def test_a_header_without_a_required_column_is_refused(api, actors, indicator) -> None:
    r = _post_csv(api, f"/indicators/{indicator}/values.csv", actors["secretariat"], "state,date\n")
    assert r.status_code == 422 and r.json()["field"] == "value"


def test_round_trip_updates_and_never_duplicates(api, actors, sco, adopted) -> None:
    sec = actors["secretariat"]
    made = factories.commitments(actors, sco, adopted, 2)
    factories.activities(actors, sco, 1, commitment=made[0].pk)

    # Commitments: export, edit, import twice.
    text = api.get("/orgs/sco/commitments.csv").content.decode()
    assert "p2" in text and "commitment-" in text
    edited = text.replace("2026-01-01", "2027-06-30")
    for _round in range(2):
        r = _post_csv(api, "/orgs/sco/commitments.csv", sec, edited)
        assert r.status_code == 200, r.content
        assert r.json() == {"created": 0, "updated": 2}
    assert Commitment.objects.count() == 2
    assert str(Commitment.objects.get(pk=made[0].pk).due) == "2027-06-30"

    # A new commitment by external id: created once, then updated.
    new = (
        "external_id,document,provision,area,lead_states,due,text_en\n"
        f"c-4,{adopted.symbol},p4,energy,KAZ CHN,2026-05-01,Cooperate on energy\n"
    )
    assert _post_csv(api, "/orgs/sco/commitments.csv", sec, new).json() == {
        "created": 1,
        "updated": 0,
    }
    assert _post_csv(api, "/orgs/sco/commitments.csv", sec, new).json() == {
        "created": 0,
        "updated": 1,
    }
    assert Commitment.objects.count() == 3

    # Activities with a parent and weights, parent listed after its child in the file.
    acts = (
        "external_id,kind,title_en,commitments,states,start,end,parent,weight,status\n"
        "child-1,exchange,Exchange,c-4,KAZ:lead CHN:participant,"
        "2025-01-01,2025-12-31,prog,3,ongoing\n"
        "prog,project,Programme,,KAZ:lead,2025-01-01,2026-12-31,,1,ongoing\n"
    )
    assert _post_csv(api, "/orgs/sco/activities.csv", sec, acts).json() == {
        "created": 2,
        "updated": 0,
    }
    assert _post_csv(api, "/orgs/sco/activities.csv", sec, acts).json() == {
        "created": 0,
        "updated": 2,
    }
    child = Activity.objects.get(external_id="child-1")
    assert child.parent is not None and child.parent.external_id == "prog" and child.weight == 3
    again = api.get("/orgs/sco/activities.csv").content.decode()
    assert _post_csv(api, "/orgs/sco/activities.csv", sec, again).json()["created"] == 0
    assert Activity.objects.count() == 3

    # Reports: history, so the same row twice is kept once.
    reports = (
        "external_id,commitment,activity,state,status,narrative,evidence\n"
        "r-1,c-4,,KAZ,on_track,Started,https://example.org/a\n"
        "r-2,,child-1,,done,Closed by the secretariat,\n"
    )
    assert _post_csv(api, "/orgs/sco/reports.csv", sec, reports).status_code == 422  # KAZ's
    assert Report.objects.count() == 0  # all or nothing: r-2 was not kept either
    kaz_rows = reports.replace("r-2,,child-1,,done,Closed by the secretariat,\n", "")
    assert _post_csv(api, "/orgs/sco/reports.csv", actors["head-kaz"], kaz_rows).json() == {
        "created": 1,
        "updated": 0,
    }
    assert _post_csv(api, "/orgs/sco/reports.csv", actors["head-kaz"], kaz_rows).json() == {
        "created": 0,
        "updated": 1,
    }
    changed = kaz_rows.replace("on_track", "done")
    r = _post_csv(api, "/orgs/sco/reports.csv", actors["head-kaz"], changed)
    assert r.status_code == 422 and r.json()["params"]["errors"][0]["column"] == "external_id"
    assert Report.objects.count() == 1
    exported = api.get("/orgs/sco/reports.csv").content.decode()
    assert "r-1,c-4,,KAZ,on_track" in exported


def test_an_import_with_one_bad_row_keeps_nothing(api, actors, sco, adopted) -> None:
    text = (
        "external_id,document,provision,area\n"
        f"a,{adopted.symbol},p2,energy\n"
        f"b,{adopted.symbol},p3,no-such-area\n"
        f"c,NOPE,p4,energy\n"
    )
    r = _post_csv(api, "/orgs/sco/commitments.csv", actors["secretariat"], text)
    assert r.status_code == 422
    assert [(e["row"], e["column"]) for e in r.json()["params"]["errors"]] == [
        (2, "area"),
        (3, "document"),
    ]
    assert Commitment.objects.count() == 0
    assert _post_csv(api, "/orgs/sco/commitments.csv", actors["head-kaz"], text).status_code == 403
