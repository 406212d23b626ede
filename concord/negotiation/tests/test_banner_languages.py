"""The document page's consensus banner gives the verdict adoption applies: when the
members agree but an official language's text still waits for verification, it names the
languages instead of saying "consensus reached" (issue 10, attack 9), in every UI
language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from concord.accounts.testing import login_verified
from concord.negotiation import services
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def amended(actors, sco):  # type: ignore[no-untyped-def]
    """Version 2 changes the English text of p2 only; every member supports it."""
    doc = factories.document(actors, sco)
    changed = factories.provisions(3)
    changed[1] = services.ProvisionIn(key="p2", kind="operative", texts={"en": "English only."})
    services.version_create(actor=actors["head-kaz"].user, document_id=doc.pk, provisions=changed)
    for iso3 in MEMBERS:
        services.position_set(
            actor=actors[f"head-{iso3.lower()}"].user,
            document_id=doc.pk,
            version_number=2,
            iso3=iso3,
            stand="support",
        )
    return doc


def _banner(actors, doc, prefix: str = "") -> str:  # type: ignore[no-untyped-def]
    client = Client()
    login_verified(client, actors["secretariat"].user)
    html = client.get(f"{prefix}/documents/{doc.pk}/").content.decode()
    start = html.index('id="consensus-banner"')
    return html[start : html.index("</div>", start)]


def _adopt(api, actors, doc):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    meeting = services.meeting_create(
        actor=actors["secretariat"].user,
        org_slug=doc.organization.slug,
        body="chs",
        start=today,
        end=today,
    )
    return api.post(
        f"/documents/{doc.pk}/versions/2/actions/adopt",
        actors["secretariat"],
        {"meeting": meeting.pk},
    )


def test_the_banner_names_the_languages_adoption_waits_for(api, actors, amended) -> None:
    refused = _adopt(api, actors, amended)
    assert refused.status_code == 409
    assert "the ru, zh text(s) await verification" in refused.json()["detail"]

    en = _banner(actors, amended)
    assert 'data-adoptable="false"' in en and 'data-reached="true"' in en
    assert "Consensus reached, not adoptable yet" in en
    assert "Not adoptable yet: the ru, zh text(s) await verification." in en

    ru = _banner(actors, amended, "/ru")
    assert "Консенсус достигнут, но принять пока нельзя" in ru
    assert "Пока нельзя принять: тексты на языках ru, zh ожидают проверки." in ru
    assert "Консенсус достигнут</strong>" not in ru


def test_once_every_language_is_verified_the_banner_and_adoption_agree(
    api, actors, amended
) -> None:
    for lang in ("ru", "zh"):
        r = api.post(
            f"/documents/{amended.pk}/versions/2/provisions/p2/texts/{lang}/actions/verify",
            actors["secretariat"],
        )
        assert r.status_code == 200
    en = _banner(actors, amended)
    assert 'data-adoptable="true"' in en and "Consensus reached</strong>" in en
    assert "await verification" not in en
    assert _adopt(api, actors, amended).status_code == 200
