"""The demo negotiation loads, shows every stage, and is idempotent."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.audit.models import Event
from concord.audit.services import chain_verify
from concord.negotiation.demo import load_demo
from concord.negotiation.models import Amendment, Bracket, Document, Position
from concord.reference.demo import load_demo_users

pytestmark = pytest.mark.django_db


def test_demo_shows_every_stage_and_is_idempotent(sco) -> None:
    load_demo_users()
    lines = load_demo()
    assert any("adopted" in line for line in lines)
    stages = dict(Document.objects.values_list("symbol", "stage"))
    assert stages == {
        "SCO/CHS/2024/DEMO.1": "adopted",
        "SCO/CHS/2026/DEMO.2": "negotiation",
        "SCO/CFM/2026/DEMO.3": "silence",
    }
    assert all(Document.objects.values_list("illustrative", flat=True))
    assert Document.objects.get(symbol="SCO/CHS/2024/DEMO.1").adoption.meeting.city == "Astana"
    assert Bracket.objects.exists() and Amendment.objects.filter(status="proposed").exists()
    objection = Position.objects.get(state__iso3="IND", stand="objection")
    assert objection.text and objection.provisions == ["op1"]
    events = Event.objects.count()
    assert chain_verify().ok

    again = load_demo()
    assert Event.objects.count() == events
    assert all("present" in line for line in again[:3])

    client = Client()
    adopted = Document.objects.get(symbol="SCO/CHS/2024/DEMO.1")
    page = client.get(f"/documents/{adopted.pk}/adopted/").content.decode()
    assert "Astana Declaration (demo text)" in page and "Illustrative" in page
    listing = client.get("/orgs/sco/documents/").content.decode()
    # The statement under negotiation is public in the demo, so a newcomer sees a live
    # negotiation (an explained objection included) before signing in.
    assert "SCO/CHS/2024/DEMO.1" in listing and "SCO/CHS/2026/DEMO.2" in listing
    draft = Document.objects.get(symbol="SCO/CHS/2026/DEMO.2")
    page = client.get(f"/documents/{draft.pk}/").content.decode()
    assert 'id="consensus-banner"' in page and "IND" in page
