"""Every page fits a 390 px phone screen: nothing makes the page wider than the viewport
(a wide table scrolls inside its own box)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paths(sco) -> list[str]:  # type: ignore[no-untyped-def]
    from concord.consultation.models import Consultation
    from concord.negotiation.models import Document

    document = Document.objects.filter(versions__number__gte=2).first() or Document.objects.first()
    assert document is not None
    consultation = Consultation.objects.first()
    assert consultation is not None
    paths = [
        "/",
        "/orgs/sco/",
        "/orgs/sco/documents/",
        "/orgs/sco/search/?q=cooperation",
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/history/",
        "/consultations/",
        f"/consultations/{consultation.slug}/",
        f"/consultations/{consultation.slug}/map/",
        "/me/",
        "/login/",
    ]
    if document.versions.count() >= 2:
        paths.append(f"/documents/{document.pk}/versions/2/diff/")
    adopted = Document.objects.filter(stage="adopted").first()
    if adopted is not None:
        paths.append(f"/documents/{adopted.pk}/adopted/")
    if document.meeting_id:
        paths.append(f"/meetings/{document.meeting_id}/readiness/")
    return paths


def test_no_page_is_wider_than_a_phone(browser, live_server, sco):  # type: ignore[no-untyped-def]
    from concord.reference.demo import load_demo
    from concord.search.services import index_from_audit

    load_demo()
    index_from_audit()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ru-RU"
    )
    page = context.new_page()
    wide = {}
    for prefix in ("", "/ru", "/zh-hans"):
        for path in _paths(sco):
            page.goto(prefix + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[prefix + path] = width
    context.close()
    assert wide == {}
