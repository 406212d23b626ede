"""A head of delegation signs in and finds, in "waiting for me", the version that needs
their state's position; the e-mail that told them so is in the outbox."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_sees_the_version_awaiting_their_position(page, sco):  # type: ignore[no-untyped-def]
    from django.core import mail

    from concord.accounts.models import User
    from concord.inbox import services
    from tests.browser.conftest import sign_in
    from tests.browser.test_negotiation import _document_awaiting_india

    doc = _document_awaiting_india(sco)
    User.objects.filter(username="head-ind").update(email="head-ind@example.org")
    services.notifications_dispatch()
    services.notifications_email()
    to_india = [m for m in mail.outbox if m.to == ["head-ind@example.org"]]
    assert len(to_india) == 1
    assert doc.symbol in to_india[0].subject

    sign_in(page, "head-ind")
    assert page.url.endswith("/me/")  # sign-in leads to what waits
    row = page.locator(f"#waiting-positions tr[data-document='{doc.pk}']")
    assert row.count() == 1
    assert doc.symbol in row.inner_text()
    assert page.locator("#unread-count").inner_text() == "1"
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/documents/{doc.pk}/")
