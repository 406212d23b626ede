"""The home and organization pages in all three languages, and the timeline chart."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {"en": "Membership over time", "ru": "Членство во времени", "zh-hans": "成员资格的变迁"}
HOME = {
    "en": "Decide together, in the open",
    "ru": "Решать вместе и открыто",
    "zh-hans": "共同决策，公开透明",
}


@pytest.mark.parametrize("lang", ["en", "ru", "zh-hans"])
def test_home_and_organization_pages_render_in_each_language(page, sco, lang):
    prefix = "" if lang == "en" else f"/{lang}"
    page.goto(f"{prefix}/")
    assert page.locator("h1", has_text=HOME[lang]).count() == 1
    page.goto(f"{prefix}/orgs/sco/")
    assert page.locator("h2", has_text=TITLES[lang]).count() == 1
    assert page.locator("html").get_attribute("lang") == lang


def test_timeline_chart_draws_a_row_per_state_and_a_bar_per_status(page, sco):
    page.goto("/orgs/sco/")
    chart = page.locator("#membership-timeline svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 200
    # 27 states carry 48 status spans in the SCO data; every one is drawn.
    assert page.locator("#membership-timeline rect.bar").count() == 48
    assert page.locator("#membership-timeline rect[data-status=member]").count() == 10
    # India's row has an observer bar and then a member bar.
    titles = page.locator("#membership-timeline rect.bar title").all_text_contents()
    assert any(t.startswith("India: observer 2005-07-05") for t in titles)
    assert any(t.startswith("India: member 2017-06-09") for t in titles)


def test_language_switcher_changes_the_page_language(page, sco):
    page.goto("/orgs/sco/")
    page.select_option("#language-select", "ru")
    page.wait_for_load_state("networkidle")
    assert page.locator("h2", has_text=TITLES["ru"]).count() == 1
