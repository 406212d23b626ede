"""A consultation statement cited by a provision is linked from both sides."""

from __future__ import annotations

import pytest

from concord.consultation import services as consultation_services
from concord.negotiation.demo import load_demo
from concord.negotiation.models import Document
from concord.reference.demo import load_demo_users

pytestmark = pytest.mark.django_db


def test_a_cited_statement_shows_under_its_provision_and_on_the_map(client, sco):
    from concord.accounts.models import User

    load_demo_users()
    load_demo()
    secretariat = User.objects.get(username="secretariat")
    consultation = consultation_services.consultation_create(
        actor=secretariat, org_slug=sco.slug, slug="digital", title="Digital futures"
    )
    statement = consultation_services.statement_submit(
        actor=secretariat,
        slug=consultation.slug,
        participant=None,
        text="Every state should be able to take part in setting digital rules.",
        seed=True,
    )
    if statement.moderation != "accepted":
        statement = consultation_services.statement_moderate(
            actor=secretariat, statement_id=statement.pk, decision="accepted"
        )
    draft = Document.objects.get(symbol="SCO/CHS/2026/DEMO.2")
    key = draft.versions.order_by("-number").first().provisions.order_by("order").first().key
    consultation_services.citation_add(
        actor=secretariat, statement_id=statement.pk, document_id=draft.pk, provision=key
    )
    page = client.get(f"/documents/{draft.pk}/").content.decode()
    assert "Cites public input:" in page
    assert "Every state should be able to take part" in page
    assert "/consultations/digital/map/" in page
