"""The document page reads text first, then the members' positions; observers' and
partners' positions sit below them, collapsed, since they never block."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.negotiation.tests.factories import document

pytestmark = pytest.mark.django_db


def test_text_first_then_members_then_others_collapsed(actors, sco):
    doc = document(actors, sco, classification="public", supporters=("CHN", "MNG"))
    html = Client().get(f"/documents/{doc.pk}/").content.decode()
    text, members, others = (
        html.index('<section id="text">'),
        html.index('id="positions-table"'),
        html.index('<details id="other-positions">'),
    )
    assert text < members < others
    members_table = html[members:others]
    assert 'id="position-CHN"' in members_table and 'id="position-KAZ"' in members_table
    assert 'id="position-MNG"' not in members_table
    assert 'id="position-MNG"' in html[others:] and 'id="position-TUR"' in html[others:]
