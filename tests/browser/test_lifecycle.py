"""The whole negotiation lifecycle through the pages only: no API call, no token (issue 11).

The secretariat schedules a meeting and creates a document; the penholder issues a version
with a bracket; a member proposes an amendment; the penholder accepts it and issues the
next version; the heads set their positions; one objects and the banner says why; the
objection is withdrawn; the translations are verified; the secretariat adopts at the
meeting held today; the adopted PDF downloads. The Russian run covers the version editor
and adoption."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
SYMBOL = "SCO/CHS/2026/LIFE.1"


def _people(sco):  # type: ignore[no-untyped-def]
    from concord.accounts.services import user_upsert
    from concord.organization.models import State

    user_upsert(
        username="secretariat", role="secretariat", organization=sco, password="concord-demo"
    )
    return {
        iso3: user_upsert(
            username=f"head-{iso3.lower()}",
            role="head",
            organization=sco,
            state=State.objects.get(iso3=iso3),
            password="concord-demo",
        )
        for iso3 in MEMBERS
    }


def _as(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, username)


def _flash(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("ul.messages").inner_text()


def _set_position(page, doc_id: int, iso3: str, stand: str = "support") -> None:  # type: ignore[no-untyped-def]
    _as(page, f"head-{iso3.lower()}")
    page.goto(f"/documents/{doc_id}/")
    page.select_option("#position-stand", stand)
    # Wait for the answer itself, so the next sign-in never races this request.
    with page.expect_response(lambda r: r.url.endswith("/position/")) as answer:
        page.click("#position-submit")
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")


def test_the_whole_lifecycle_in_the_browser(page, sco) -> None:  # type: ignore[no-untyped-def]
    from concord.negotiation.models import Document

    _people(sco)
    today = timezone.localdate().isoformat()

    # The secretariat schedules a meeting held today, then creates the document for it.
    _as(page, "secretariat")
    page.goto("/orgs/sco/meetings/")
    page.click("#schedule-meeting")
    page.select_option("#id_body", "chs")
    page.fill("#id_start", today)
    page.fill("#id_end", today)
    page.fill("#id_title", "Lifecycle summit")
    page.fill("#id_city", "Astana")
    page.click("#meeting-submit")
    assert "The meeting is scheduled." in _flash(page)
    page.click("#new-document-here")
    page.fill("#id_symbol", SYMBOL)
    page.select_option("#id_kind", "declaration")
    page.select_option("#id_body", "chs")
    page.fill("#id_title_en", "Lifecycle declaration")
    page.fill("#id_title_ru", "Декларация жизненного цикла")
    page.fill("#id_title_zh", "生命周期宣言")
    page.fill("#id_sponsors", "KAZ")
    page.fill("#id_penholder", "KAZ")
    page.click("#document-submit")
    assert "The document is created." in _flash(page)
    doc = Document.objects.get(symbol=SYMBOL)
    assert doc.meeting is not None and doc.meeting.title == "Lifecycle summit"

    # The penholder issues version 1 with a bracket marked by selecting words.
    _as(page, "head-kaz")
    page.goto(f"/documents/{doc.pk}/")
    page.click("#desk-version")
    texts = {
        0: ("p1", "preamble", "Recalling the Charter,", "Ссылаясь на Устав,", "回顾宪章，"),
        1: (
            "p2",
            "operative",
            "The Member States agree to cooperate on energy.",
            "Государства-члены договорились сотрудничать в области энергетики.",
            "成员国同意在能源领域合作。",
        ),
    }
    for i, (key, kind, en, ru, zh) in texts.items():
        page.fill(f"[name=p{i}_key]", key)
        page.select_option(f"[name=p{i}_kind]", kind)
        page.fill(f"[name=p{i}_text_en]", en)
        page.fill(f"[name=p{i}_text_ru]", ru)
        page.fill(f"[name=p{i}_text_zh]", zh)
    page.fill("#held-by", "IND")
    start = texts[1][2].index("on energy")
    page.locator("[name=p1_text_en]").evaluate(
        "(el, r) => el.setSelectionRange(r[0], r[1])", [start, start + len("on energy")]
    )
    page.click("#provision-row-1 .bracket-selection[data-lang=en]")
    assert page.input_value("[name=p1_brackets_en]") == f"{start}-{start + 9} IND"
    # The bracket shows in English, and as a parallel bracket in Russian and Chinese.
    assert page.locator("#provision-row-1 [data-lang=en] mark.bracket").inner_text() == "on energy"
    assert (
        "en (IND)" in page.locator("#provision-row-1 [data-lang=ru] .parallel-bracket").inner_text()
    )
    page.click("#version-submit")
    assert "Version 1 is issued." in _flash(page)
    assert page.locator("#provision-p2 mark.bracket").count() == 1

    # A member proposes an amendment that lifts the bracket.
    _as(page, "head-ind")
    page.goto(f"/documents/{doc.pk}/")
    page.select_option("#amendment-form select[name=op]", "replace")
    page.fill("#amendment-form input[name=provision]", "p2")
    page.select_option("#amendment-form select[name=lang]", "en")
    page.fill(
        "#amendment-form textarea[name=text]",
        "The Member States agree to cooperate on energy and water.",
    )
    page.fill("#amendment-form textarea[name=reason]", "Water belongs with energy.")
    page.click("#amendment-form button[type=submit]")
    assert "Your amendment is proposed." in _flash(page)

    # The penholder accepts it: the page says what changes and what to do next.
    _as(page, "head-kaz")
    page.goto(f"/documents/{doc.pk}/")
    page.click("#amendments form[action$='/accept/'] button")
    message = _flash(page)
    assert "replaces the text of provision p2" in message
    assert "issues a version from the accepted amendments" in message
    page.click("#desk-from-amendments")
    page.click("#from-amendments-submit")
    assert "Version 2 is issued" in _flash(page)
    assert page.locator("#provision-p2 mark.bracket").count() == 0

    # The heads answer; India objects and the banner says why.
    for iso3 in MEMBERS:
        if iso3 != "IND":
            _set_position(page, doc.pk, iso3)
    _as(page, "head-ind")
    page.goto(f"/documents/{doc.pk}/")
    page.select_option("#position-stand", "objection")
    page.check("input[name=provisions][value=p2]")
    page.fill("#position-text", "Water needs its own paragraph.")
    page.click("#position-submit")
    page.wait_for_function(
        "() => document.querySelector('#consensus-banner').innerText.includes('IND objects to p2')"
    )
    # India withdraws its objection.
    page.goto(f"/documents/{doc.pk}/")
    page.select_option("#position-stand", "support")
    page.click("#position-submit")
    page.wait_for_function(
        "() => document.querySelector('#consensus-banner').dataset.reached === 'true'"
    )

    # The secretariat sees that translations wait, verifies them, and adopts.
    _as(page, "secretariat")
    page.goto(f"/documents/{doc.pk}/")
    page.click("#desk-adopt")
    assert "ru" in page.locator("#unverified").inner_text()
    page.click("#unverified a")
    while page.locator("button.verify").count():
        page.locator("button.verify").first.click()
        assert "is verified" in _flash(page)
    page.goto(f"/documents/{doc.pk}/adopt/")
    verdict = page.locator("#adopt-verdict")
    assert verdict.get_attribute("data-reached") == "true"
    assert page.locator("#unverified").count() == 0
    page.click("#adopt-submit")
    assert "The document is adopted." in _flash(page)
    with page.expect_download() as download:
        page.click("a[href*='adopted.pdf']")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    doc.refresh_from_db()
    assert doc.stage == "adopted"


def test_version_editor_and_adoption_in_russian(page, sco) -> None:  # type: ignore[no-untyped-def]
    from concord.negotiation import services

    heads = _people(sco)
    kaz = heads["KAZ"]
    doc = services.document_submit(
        actor=kaz,
        org_slug=sco.slug,
        symbol="SCO/CHS/2026/LIFE.2",
        kind="declaration",
        titles={"en": "Declaration", "ru": "Декларация"},
        body="chs",
        languages=["en", "ru"],
    )

    # The penholder writes version 1 in the Russian editor and brackets Russian words.
    _as(page, "head-kaz")
    page.goto(f"/ru/documents/{doc.pk}/versions/new/")
    assert page.locator("h1").inner_text() == "Редактор версии"
    ru = "Государства-члены укрепляют сотрудничество."
    page.fill("[name=p0_key]", "p1")
    page.fill("[name=p0_text_en]", "The Member States strengthen cooperation.")
    page.fill("[name=p0_text_ru]", ru)
    page.fill("#held-by", "pak")
    start = ru.index("укрепляют")
    page.locator("[name=p0_text_ru]").evaluate(
        "(el, r) => el.setSelectionRange(r[0], r[1])", [start, start + len("укрепляют")]
    )
    page.click("#provision-row-0 .bracket-selection[data-lang=ru]")
    assert page.input_value("[name=p0_brackets_ru]") == f"{start}-{start + 9} PAK"
    assert (
        "ru (PAK)" in page.locator("#provision-row-0 [data-lang=en] .parallel-bracket").inner_text()
    )
    page.click("#version-submit")
    assert "Версия 1 выпущена" in _flash(page)
    assert page.locator("#provision-p1 mark.bracket").count() == 1

    # A bad bracket is refused beside its field, in Russian.
    page.goto(f"/ru/documents/{doc.pk}/versions/new/")
    page.fill("[name=p0_brackets_ru]", "что-то")
    page.click("#version-submit")
    assert "начало-конец" in page.locator("#error-p0_brackets_ru").inner_text()

    # The bracket is lifted in the editor: version 2 has none.
    page.fill("[name=p0_brackets_ru]", "")
    page.click("#version-submit")
    assert "Версия 2 выпущена" in _flash(page)

    for iso3, head in heads.items():
        services.position_set(
            actor=head, document_id=doc.pk, version_number=2, iso3=iso3, stand="support"
        )
    today = timezone.localdate()
    _as(page, "secretariat")
    page.goto("/ru/orgs/sco/meetings/new/")
    page.select_option("#id_body", "chs")
    page.fill("#id_start", today.isoformat())
    page.fill("#id_end", today.isoformat())
    page.fill("#id_title", "Саммит")
    page.click("#meeting-submit")
    assert "Заседание назначено" in _flash(page)
    page.goto(f"/ru/documents/{doc.pk}/adopt/")
    assert page.locator("h1").inner_text() == "Принять"
    assert page.locator("#adopt-verdict").get_attribute("data-reached") == "true"
    page.click("#adopt-submit")
    assert "Документ принят" in _flash(page)
    assert "/ru/documents/" in page.url


def test_desk_pages_fit_a_phone(browser, live_server, sco) -> None:  # type: ignore[no-untyped-def]
    """Every desk form at 390 px, in the three languages: no horizontal scroll."""
    from concord.accounts.models import User
    from concord.negotiation import services

    heads = _people(sco)
    kaz = heads["KAZ"]
    doc = services.document_submit(
        actor=kaz,
        org_slug=sco.slug,
        symbol="SCO/CHS/2026/LIFE.3",
        kind="declaration",
        titles={"en": "Narrow declaration"},
        body="chs",
        languages=["en", "ru", "zh"],
    )
    long = "The Member States agree to cooperate on a long list of matters " * 8
    services.version_create(
        actor=kaz,
        document_id=doc.pk,
        provisions=[
            services.ProvisionIn(
                key="p1",
                kind="operative",
                texts={"en": long, "ru": "Государства-члены " * 30, "zh": "成员国同意合作。" * 30},
                brackets=(services.BracketIn(0, 10, ("IND",), "en"),),
            )
        ],
    )
    meeting = services.meeting_create(
        actor=User.objects.get(username="secretariat"),
        org_slug=sco.slug,
        body="chs",
        start=timezone.localdate(),
        end=timezone.localdate(),
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ru-RU"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    wide = {}
    visits = {
        "head-kaz": [
            f"/documents/{doc.pk}/",
            f"/documents/{doc.pk}/versions/new/",
            f"/documents/{doc.pk}/versions/from-amendments/",
            f"/documents/{doc.pk}/sponsors/",
            f"/documents/{doc.pk}/withdraw/",
        ],
        "secretariat": [
            "/orgs/sco/meetings/new/",
            f"/meetings/{meeting.pk}/agenda/",
            "/orgs/sco/documents/new/",
            f"/documents/{doc.pk}/translations/",
            f"/documents/{doc.pk}/silence/open/",
            f"/documents/{doc.pk}/adopt/",
        ],
    }
    for username, paths in visits.items():
        _as(page, username)
        for prefix in ("", "/ru", "/zh-hans"):
            for path in paths:
                page.goto(prefix + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    wide[prefix + path] = width
    context.close()
    assert wide == {}


def test_version_editor_without_javascript(browser, live_server, sco) -> None:  # type: ignore[no-untyped-def]
    """Without JavaScript the bracket offsets are typed into their field, and still work."""
    from concord.negotiation import services
    from concord.negotiation.models import Bracket

    heads = _people(sco)
    doc = services.document_submit(
        actor=heads["KAZ"],
        org_slug=sco.slug,
        symbol="SCO/CHS/2026/LIFE.4",
        kind="declaration",
        titles={"en": "No script"},
        body="chs",
        languages=["en", "ru"],
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _as(page, "head-kaz")
    page.goto(f"/documents/{doc.pk}/versions/new/")
    assert not page.locator(".bracket-selection").first.is_visible()
    page.fill("[name=p0_key]", "p1")
    page.fill("[name=p0_text_en]", "We agree to cooperate.")
    page.fill("[name=p0_text_ru]", "Мы договорились сотрудничать.")
    page.fill("[name=p0_brackets_ru]", "3-14 PAK")
    page.click("#version-submit")
    assert "Version 1 is issued." in _flash(page)
    context.close()
    bracket = Bracket.objects.get()
    assert (bracket.text.language, bracket.start, bracket.end) == ("ru", 3, 14)
