"""Browser tests drive a real headless Chromium (Debian's package) through Playwright.

They are marked ``browser``; ``make test`` runs them when Chromium is found
(``CONCORD_CHROMIUM``, else ``chromium`` on PATH) and skips them, saying why, when it is
not. With ``CONCORD_REQUIRE_BROWSER`` set (``.ci/run`` sets it, after installing Chromium)
a missing Chromium is an error, and ``.ci/run`` fails if any browser test was skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("CONCORD_CHROMIUM") or shutil.which("chromium") or ""

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM and os.path.exists(CHROMIUM):
        return
    missing = f"no Chromium at {CHROMIUM}" if CHROMIUM else "no chromium on PATH"
    if os.environ.get("CONCORD_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"CONCORD_REQUIRE_BROWSER is set but there is {missing}")
    skip = pytest.mark.skip(
        reason=f"{missing} (Debian: apt-get install chromium; or set CONCORD_CHROMIUM); "
        ".ci/run installs it"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, username: str, password: str = "concord-demo") -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real login form, and through the real second-factor form when
    the role needs one: the user is given an authenticator with the published test key
    (``concord.accounts.testing``) and the helper types its current code."""
    from concord.accounts import access
    from concord.accounts.models import User
    from concord.accounts.testing import enrol_known_totp, totp_code

    user = User.objects.filter(username=username).first()
    needs_code = user is not None and access.requires_second_factor(user)
    if needs_code:
        enrol_known_totp(user)
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")
    if needs_code:
        page.fill("#second-factor input[name=code]", totp_code())
        page.click("#second-factor button[type=submit]")
        page.wait_for_load_state("networkidle")
