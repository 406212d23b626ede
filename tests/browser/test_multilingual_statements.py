"""A statement written in Russian shows its Chinese translation on the Chinese vote page
and its original on the Russian one: the secretariat opens the consultation, a participant
writes in Russian, the secretariat translates, all through the pages (no API, no token)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RU = "Нужно больше велосипедных дорожек"
ZH = "需要更多自行车道"


def test_a_russian_statement_in_chinese_and_in_russian(page, browser, live_server, sco):  # type: ignore[no-untyped-def]
    from concord.accounts.models import Role
    from concord.accounts.services import user_upsert
    from concord.consultation.models import Statement
    from tests.browser.conftest import sign_in

    user_upsert(
        username="sec-sco", role=Role.SECRETARIAT, organization=sco, password="concord-demo"
    )
    # The secretariat opens the consultation through the desk.
    sign_in(page, "sec-sco")
    page.goto("/orgs/sco/consultations/new/")
    page.fill("#slug", "roads")
    page.fill("#title_en", "Roads")
    page.fill("#title_ru", "Дороги")
    page.fill("#title_zh-hans", "道路")
    page.check("input[name=languages][value=ru]")
    page.check("input[name=languages][value=zh-hans]")
    page.click("#consultation-new button[type=submit]")
    assert page.url.endswith("/consultations/roads/manage/")
    assert page.locator(".messages li.success").count() == 1

    # A participant writes in Russian on the Russian page.
    def visitor(locale: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, locale=locale)
        return context, context.new_page()

    ru_context, ru_page = visitor("ru-RU")
    ru_page.goto("/ru/consultations/roads/")
    ru_page.fill("#new-statement", RU)
    ru_page.click("#write-area button[type=submit]")
    ru_page.wait_for_function("() => document.querySelector('#write-area [role=status]') !== null")
    statement = Statement.objects.get()
    assert statement.lang == "ru" and statement.text == RU

    # The secretariat translates it into Chinese from the moderation page.
    page.goto("/consultations/roads/moderation/")
    page.click(f"#decided-{statement.pk} a")
    page.select_option("#translate-lang", "zh-hans")
    page.fill("#translate-text", ZH)
    page.click("#translate-form button[type=submit]")
    assert page.locator("#translation-zh-hans").inner_text().endswith(ZH)

    # Chinese vote page: the translation, marked as Chinese and as translated from Russian.
    zh_context, zh_page = visitor("zh-CN")
    zh_page.goto("/zh-hans/consultations/roads/")
    shown = zh_page.locator("#statement .statement-text")
    assert shown.inner_text() == ZH
    assert shown.get_attribute("lang") == "zh-hans"
    assert zh_page.locator("#statement .lang-tag.translated").count() == 1
    # Russian vote page: the original.
    ru_page.goto("/ru/consultations/roads/")
    shown = ru_page.locator("#statement .statement-text")
    assert shown.inner_text() == RU and shown.get_attribute("lang") == "ru"
    assert ru_page.locator("#statement .lang-tag").count() == 0
    # English (no translation): the original, marked with its language.
    page.goto("/consultations/roads/")
    assert page.locator("#statement .statement-text").inner_text() == RU
    assert page.locator("#statement .lang-tag").inner_text() == "ru"
    zh_context.close()
    ru_context.close()
