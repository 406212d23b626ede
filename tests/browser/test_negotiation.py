"""A head of delegation signs in, states a position, and the consensus banner changes."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")


def _document_awaiting_india(sco):  # type: ignore[no-untyped-def]
    from concord.accounts.services import user_upsert
    from concord.negotiation import services
    from concord.organization.models import State

    users = {
        iso3: user_upsert(
            username=f"head-{iso3.lower()}",
            role="head",
            organization=sco,
            state=State.objects.get(iso3=iso3),
            password="concord-demo" if iso3 == "IND" else None,
        )
        for iso3 in MEMBERS
    }
    doc = services.document_submit(
        actor=users["KAZ"],
        org_slug=sco.slug,
        symbol="SCO/CHS/2026/BROWSER.1",
        kind="declaration",
        titles={"en": "Browser test declaration"},
        body="chs",
        languages=["en"],
        classification="restricted",
    )
    services.version_create(
        actor=users["KAZ"],
        document_id=doc.pk,
        provisions=[
            services.ProvisionIn(key="p1", kind="operative", texts={"en": "We agree."}),
            services.ProvisionIn(key="p2", kind="operative", texts={"en": "We cooperate."}),
        ],
    )
    for iso3 in MEMBERS:
        if iso3 != "IND":
            services.position_set(
                actor=users[iso3],
                document_id=doc.pk,
                version_number=1,
                iso3=iso3,
                stand="support",
            )
    return doc


def test_head_of_delegation_sets_a_position_and_the_banner_changes(page, sco):  # type: ignore[no-untyped-def]
    from tests.browser.conftest import sign_in

    doc = _document_awaiting_india(sco)
    sign_in(page, "head-ind")
    page.goto(f"/documents/{doc.pk}/")
    banner = page.locator("#consensus-banner")
    assert banner.get_attribute("data-reached") == "false"
    assert "IND has not answered" in banner.inner_text()

    page.select_option("#position-stand", "objection")
    page.check("input[name=provisions][value=p2]")
    page.fill("#position-text", "Paragraph 2 needs more work.")
    page.click("#position-submit")
    page.wait_for_function(
        "() => document.querySelector('#consensus-banner').innerText.includes('IND objects to p2')"
    )
    # htmx settles attributes of elements that keep their id a moment after the swap.
    page.wait_for_function(
        "() => document.querySelector('#position-IND').classList.contains('blocking')"
    )

    page.select_option("#position-stand", "support")
    page.fill("#position-text", "")
    page.click("#position-submit")
    page.wait_for_function(
        "() => document.querySelector('#consensus-banner').dataset.reached === 'true'"
    )
    assert "Consensus reached" in page.locator("#consensus-banner").inner_text()
