"""A new head of delegation signs in for the first time through the real pages: the
password, then the enrolment page (its QR code drawn under the strict CSP), the code from
the secret it shows, the recovery codes once; later a recovery code signs in once."""

from __future__ import annotations

import base64

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_enrols_and_a_recovery_code_works_once(page, sco) -> None:  # type: ignore[no-untyped-def]
    from concord.accounts.services import user_upsert
    from concord.accounts.two_factor import totp_code
    from concord.organization.models import State

    user_upsert(
        username="head-new",
        role="head",
        organization=sco,
        state=State.objects.get(iso3="KAZ"),
        password="a-long-right-password",
    )
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.goto("/login/")
    page.fill("input[name=username]", "head-new")
    page.fill("input[name=password]", "a-long-right-password")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/enrol/" in page.url
    # The QR code is drawn (a data: image the CSP allows) and the secret is shown as text.
    assert page.evaluate("document.querySelector('#enrol-qr').naturalWidth") > 0
    secret = page.inner_text("#enrol-secret").strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    # Nothing else is reachable before the code.
    page.goto("/me/")
    assert "/login/second-factor/" in page.url or "/login/enrol/" in page.url
    page.goto("/login/enrol/?next=/me/")
    page.fill("#enrol input[name=code]", totp_code(key))
    page.click("#enrol button[type=submit]")
    page.wait_for_load_state("networkidle")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("#continue")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/me/")
    assert not [m for m in messages if "Content Security Policy" in m], messages

    def sign_in_with(code: str) -> None:
        page.context.clear_cookies()
        page.goto("/login/")
        page.fill("input[name=username]", "head-new")
        page.fill("input[name=password]", "a-long-right-password")
        page.click("form.stack button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.fill("#second-factor input[name=code]", code)
        page.click("#second-factor button[type=submit]")
        page.wait_for_load_state("networkidle")

    sign_in_with(codes[0])
    assert page.url.endswith("/me/")
    sign_in_with(codes[0])
    assert "/login/second-factor/" in page.url
    assert page.locator("#code-error").count() == 1
