"""Every page offers a way past the header, and signing in returns to the page it left."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.accounts.services import user_upsert
from concord.accounts.testing import enrol_known_totp, totp_code

pytestmark = pytest.mark.django_db


def test_a_skip_link_leads_to_the_content(client: Client, sco):
    html = client.get("/orgs/sco/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html


def test_signing_in_returns_to_the_page_it_left(client: Client, sco):
    html = client.get("/orgs/sco/documents/").content.decode()
    assert 'href="/login/?next=/orgs/sco/documents/"' in html
    sec = user_upsert(
        username="sec", role="secretariat", organization=sco, password="pw-long-enough"
    )
    enrol_known_totp(sec)
    response = client.post(
        "/login/?next=/orgs/sco/documents/", {"username": "sec", "password": "pw-long-enough"}
    )
    assert response.status_code == 302  # the secretariat goes on to the second factor
    response = client.post(response["Location"], {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/sco/documents/"
