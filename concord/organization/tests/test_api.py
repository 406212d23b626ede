"""The organization API: who holds which status on a date, and the reference lists."""

from __future__ import annotations

from datetime import date

import pytest

from concord.organization.models import Body, Meeting, Membership, Post, PostHolding, State

pytestmark = pytest.mark.django_db


def states(client, query: str) -> list[dict]:
    response = client.get(f"/api/v1/orgs/sco/states?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_ten_members_on_the_day_after_astana_and_eight_in_2023(client, sco):
    on_astana = states(client, "on=2024-07-05&status=member")
    assert sorted(s["iso3"] for s in on_astana) == [
        "BLR",
        "CHN",
        "IND",
        "IRN",
        "KAZ",
        "KGZ",
        "PAK",
        "RUS",
        "TJK",
        "UZB",
    ]
    assert {s["status"] for s in on_astana} == {"member"}
    assert len(states(client, "on=2023-01-01&status=member")) == 8


def test_turkiye_is_a_dialogue_partner_then_a_partner_and_never_a_member(client, sco):
    history = Membership.objects.filter(organization=sco, state__iso3="TUR")
    assert {m.status for m in history} == {"dialogue_partner", "partner"}
    for day in ("2012-06-06", "2013-01-01", "2024-07-05", "2026-01-01"):
        assert "TUR" not in {s["iso3"] for s in states(client, f"on={day}&status=member")}
    [tur] = [s for s in states(client, "on=2024-07-05") if s["iso3"] == "TUR"]
    assert (tur["status"], tur["since"], tur["until"]) == (
        "dialogue_partner",
        "2012-06-07",
        "2025-09-01",
    )
    [tur] = [s for s in states(client, "on=2025-09-01") if s["iso3"] == "TUR"]
    assert tur["status"] == "partner"


def test_india_was_an_observer_before_it_was_a_member(client, sco):
    def india(day: str) -> str | None:
        return next((s["status"] for s in states(client, f"on={day}") if s["iso3"] == "IND"), None)

    assert india("2005-07-04") is None
    assert india("2005-07-05") == "observer"
    assert india("2017-06-08") == "observer"
    assert india("2017-06-09") == "member"


def test_without_a_date_the_states_are_those_of_today(client, sco):
    today = states(client, "")
    assert {s["iso3"] for s in today if s["status"] == "member"} >= {"BLR", "IRN"}
    # Since the 2025 reform no state is an observer or a dialogue partner any more.
    assert {s["status"] for s in today} <= {"member", "partner"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("on=2024-13-01", "on"),
        ("on=yesterday", "on"),
        ("on=2024-07-05&status=founder", "status"),
        ("status=MEMBER", "status"),
    ],
)
def test_bad_query_parameters_get_a_problem_naming_the_field(client, sco, query, field):
    response = client.get(f"/api/v1/orgs/sco/states?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["field"] == field
    assert body["status"] == 422


@pytest.mark.parametrize(
    "suffix", ["", "/states", "/bodies", "/chairmanships", "/meetings", "/posts"]
)
def test_an_unknown_organization_is_a_404_problem(client, sco, suffix):
    response = client.get(f"/api/v1/orgs/nato{suffix}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "org"


def test_org_list_and_detail(client, sco):
    [org] = client.get("/api/v1/orgs").json()
    assert org["slug"] == "sco"
    assert org["official_languages"] == ["ru", "zh"]
    detail = client.get("/api/v1/orgs/sco").json()
    assert detail["names"]["zh"].startswith("上海合作组织")
    assert detail["founded"] == "2001-06-15"


def test_chairmanships_and_summits_carry_their_sources(client, sco):
    chairs = client.get("/api/v1/orgs/sco/chairmanships").json()
    kaz = [c for c in chairs if c["term"] == "2023-2024"]
    assert kaz and kaz[0]["state"] == "KAZ" and kaz[0]["start"] == "2023-07-04"
    assert all(c["sources"] for c in chairs)
    meetings = client.get("/api/v1/orgs/sco/meetings").json()
    # The Council of Heads of State met on 4 July; side events began on the 3rd.
    astana = [m for m in meetings if m["start"] == "2024-07-04"]
    assert astana and astana[0]["city"] == "Astana" and astana[0]["body"] == "chs"
    assert astana[0]["main_document"].startswith("Astana Declaration")
    bodies = {b["slug"] for b in client.get("/api/v1/orgs/sco/bodies").json()}
    assert {"chs", "chg", "cfm", "cnc"} <= bodies
    posts = client.get("/api/v1/orgs/sco/posts").json()
    sg = next(p for p in posts if p["slug"] == "secretary-general")
    assert sg["holders"][-1]["name"] == "Nurlan Yermekbayev"


def _grow(org, n: int) -> None:
    """Add ``n`` synthetic states, spans, bodies, meetings and post holders."""
    body = Body.objects.create(organization=org, slug=f"synthetic-{n}", name="Synthetic body")
    post = Post.objects.create(organization=org, slug=f"synthetic-post-{n}", title="Synthetic post")
    for i in range(n):
        code = f"X{chr(65 + i // 26)}{chr(65 + i % 26)}"
        state = State.objects.create(iso3=code, names={"en": f"Synthetic {code}"})
        Membership.objects.create(
            organization=org, state=state, status="observer", start=date(2010, 1, 1)
        )
        Meeting.objects.create(
            organization=org,
            body=body,
            start=date(2010, 1, 1 + i % 28),
            end=date(2010, 1, 1 + i % 28),
            host=state,
        )
        PostHolding.objects.create(
            post=post, name=f"Holder {i}", state=state, start=date(2000 + i % 20, 1, 1)
        )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orgs",
        "/api/v1/orgs/sco",
        "/api/v1/orgs/sco/states?on=2024-07-05",
        "/api/v1/orgs/sco/bodies",
        "/api/v1/orgs/sco/chairmanships",
        "/api/v1/orgs/sco/meetings",
        "/api/v1/orgs/sco/posts",
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_at_two_sizes(
    client, sco, path, django_assert_num_queries
):
    client.get(path)  # warm any per-process caches (content types, translations)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _grow(sco, 60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
    assert len(small.captured_queries) <= 3


def test_states_in_chinese_name_kyrgyzstan_as_sco_texts_do(client, sco):
    response = client.get("/api/v1/orgs/sco/states?on=2024-07-05", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    by_iso = {s["iso3"]: s for s in response.json()}
    assert by_iso["KGZ"]["name"] == "吉尔吉斯斯坦"  # Debian's iso-codes say 吉尔吉斯坦
    assert by_iso["KHM"]["name"] == "柬埔寨"
    assert by_iso["MNG"]["name"] == "蒙古国"
    assert by_iso["KGZ"]["names"]["ru"] == "Кыргызстан"


def test_each_status_span_comes_with_its_sources(client, sco):
    spans = states(client, "on=2024-07-05")
    assert all(s["sources"] for s in spans)
    [blr] = [s for s in spans if s["iso3"] == "BLR"]
    stored = Membership.objects.get(organization=sco, state__iso3="BLR", start=date(2024, 7, 4))
    assert blr["sources"] == stored.sources


def test_a_name_not_from_iso_codes_keeps_its_own_sources(sco):
    kgz = State.objects.get(iso3="KGZ")
    assert set(kgz.names_sources) == {"ru", "zh"}
    assert any("c_1126715012" in s for s in kgz.names_sources["zh"])
    assert State.objects.get(iso3="KAZ").names_sources == {}


def test_body_and_city_names_in_russian_and_chinese_come_with_their_sources(sco):
    chs = Body.objects.get(organization=sco, slug="chs")
    assert chs.name_in("ru") == "Совет глав государств — членов ШОС"
    assert chs.name_in("zh-hans") == "上海合作组织成员国元首理事会"
    assert set(chs.names_sources) == {"ru", "zh"}
    astana = Meeting.objects.get(organization=sco, start=date(2024, 7, 4))
    assert (astana.city_in("ru"), astana.city_in("zh-hans")) == ("Астана", "阿斯塔纳")
    assert astana.city_names_sources["ru"] and astana.city_names_sources["zh"]
    assert astana.has_title_in("zh-hans")
    # Nobody has sourced a Chinese name for Qingdao: English, and it says so.
    qingdao = Meeting.objects.get(organization=sco, city="Qingdao")
    assert not qingdao.has_city_in("zh-hans") and qingdao.city_in("zh-hans") == "Qingdao"
    assert not Body.objects.get(organization=sco, slug="cfm").has_name_in("ru")


def test_the_organization_page_says_when_a_name_is_not_sourced(client, sco):
    page = client.get("/zh-hans/orgs/sco/").content.decode()
    assert "上海合作组织成员国元首理事会" in page
    assert "阿斯塔纳" in page
    assert '<span lang="en">Qingdao</span> <small class="no-sourced-name">' in page
    assert '<span lang="en">Council of Foreign Ministers</span>' in page
    english = client.get("/orgs/sco/").content.decode()
    assert "no-sourced-name" not in english
