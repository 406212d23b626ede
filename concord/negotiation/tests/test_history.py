"""A document's history tab shows every act on it from the audit log, in order, to those
who may read the document, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.accounts.testing import login_verified
from concord.negotiation import services
from concord.negotiation.tests.factories import document

pytestmark = pytest.mark.django_db


def acts(html: str) -> list[str]:
    return re.findall(r"<tr id=\"event-\d+\">(?:<td[^>]*>[^<]*</td>){3}<td>([^<]+)</td>", html)


def test_the_history_lists_every_act_in_order(actors, sco):
    doc = document(actors, sco, supporters=("CHN",))
    amendment = services.amendment_propose(
        actor=actors["head-rus"].user,
        document_id=doc.pk,
        version_number=1,
        provision="p2",
        op="replace",
        texts={"en": "Better."},
        reason="Clearer.",
    )
    services.amendment_reject(actor=actors["head-kaz"].user, amendment_id=amendment.pk)
    other = document(actors, sco, symbol="SCO/CHS/2025/OTHER")
    client = Client()
    login_verified(client, actors["head-ind"].user)
    html = client.get(f"/documents/{doc.pk}/history/").content.decode()
    assert acts(html) == [
        "submitted the document",
        "issued a version",
        "set a position",
        "proposed an amendment",
        "rejected an amendment",
    ]
    assert "CHN" in html and "RUS" in html and "Clearer." in html
    assert other.symbol not in html
    ru = client.get(f"/ru/documents/{doc.pk}/history/").content.decode()
    assert "выпустил" in ru.lower() or "версия" in ru.lower()


def test_a_restricted_history_is_not_found_for_the_public(actors, sco):
    doc = document(actors, sco, classification="restricted")
    assert Client().get(f"/documents/{doc.pk}/history/").status_code == 404


def test_the_history_runs_a_fixed_number_of_queries(actors, sco):
    doc = document(actors, sco)
    client = Client()
    login_verified(client, actors["head-ind"].user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/documents/{doc.pk}/history/").status_code == 200
        return len(queries.captured_queries)

    few = count()
    for iso3 in ("CHN", "RUS", "PAK", "UZB"):
        services.position_set(
            actor=actors[f"head-{iso3.lower()}"].user,
            document_id=doc.pk,
            version_number=1,
            iso3=iso3,
            stand="support",
        )
    services.version_create(
        actor=actors["head-kaz"].user,
        document_id=doc.pk,
        provisions=[services.ProvisionIn(key="p1", kind="operative", texts={"en": "One."})],
    )
    assert count() == few
