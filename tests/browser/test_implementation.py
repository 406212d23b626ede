"""The implementation dashboard in Russian and Chinese: the heat map and a chart with its
table, also with JavaScript switched off."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "ru": ("По государствам: тепловая карта выполнения", "Показатели"),
    "zh-hans": ("按国家：履约热力图", "指标"),
}


@pytest.fixture
def demo(sco):  # type: ignore[no-untyped-def]
    from concord.implementation.demo import load_demo as implementation_demo
    from concord.negotiation.demo import load_demo as negotiation_demo
    from concord.reference.demo import load_demo_users

    load_demo_users()
    negotiation_demo()
    implementation_demo()


@pytest.mark.parametrize("lang", ["ru", "zh-hans"])
def test_dashboard_shows_heat_map_and_chart_with_table(page, demo, lang):
    heat_heading, indicators_heading = HEADINGS[lang]
    page.goto(f"/{lang}/orgs/sco/implementation/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h2", has_text=heat_heading).count() == 1
    heat = page.locator("#heat-map svg")
    assert heat.is_visible()
    box = heat.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    # Three demo commitments x ten bound members; full compliance drawn green.
    assert page.locator("#heat-map rect.cell").count() == 30
    assert page.locator("#heat-map rect.score-pos").count() >= 1
    assert page.locator("#heat-table tbody tr").count() == 10
    assert page.locator("h2", has_text=indicators_heading).count() == 1
    chart = page.locator("#indicator-chart svg")
    assert chart.is_visible() and page.locator("#indicator-chart polyline").count() == 4
    assert page.locator("#indicator-table").is_visible()
    assert page.locator("#indicator-table tbody tr").count() == 48
    csv_link = page.locator("#indicators a[download]")
    assert csv_link.count() == 1


def test_dashboard_reads_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/ru/orgs/sco/implementation/?area=culture")
    assert page.locator("#area-table tbody tr").count() == 1
    assert page.locator("#heat-map rect.cell").count() == 10
    assert page.locator("#timeline-table tbody tr").count() == 4
    context.close()
