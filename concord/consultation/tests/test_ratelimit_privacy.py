"""Rate limits behind a proxy, per consultation, with hashed keys and Retry-After (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.consultation.models import RateCounter
from concord.consultation.tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def _join(client: Client, slug: str, **meta: str) -> int:
    return client.post(
        f"/api/v1/consultations/{slug}/participants", content_type="application/json", **meta
    ).status_code


@pytest.fixture
def limited(settings):  # type: ignore[no-untyped-def]
    settings.CONCORD_RATE_LIMITS = True
    settings.CONCORD_CONSULTATION_RATE_LIMITS = {"participant": (2, 3600)}
    return settings


def test_every_429_says_when_to_retry_and_keys_hold_no_address(limited, consultation):
    client = Client()
    assert [_join(client, "jwf", REMOTE_ADDR="192.0.2.10") for _ in range(2)] == [201, 201]
    response = client.post(
        "/api/v1/consultations/jwf/participants",
        content_type="application/json",
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert keys and all("192.0.2.10" not in k for k in keys)


def test_visitors_behind_a_trusted_proxy_have_buckets_of_their_own(limited, consultation):
    limited.CONCORD_TRUSTED_PROXIES = [PROXY]
    client = Client()
    for visitor in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(2):
            assert _join(client, "jwf", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=visitor) == 201
    assert _join(client, "jwf", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1") == 429


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(limited, consultation):
    client = Client()
    for n in range(2):
        fake = f"198.51.100.{n}"
        assert _join(client, "jwf", REMOTE_ADDR="192.0.2.20", HTTP_X_FORWARDED_FOR=fake) == 201
    assert _join(client, "jwf", REMOTE_ADDR="192.0.2.20", HTTP_X_FORWARDED_FOR="1.1.1.1") == 429


def test_one_client_exhausts_its_own_allowance_on_one_consultation_only(limited, consultation, sco):
    ConsultationFactory(organization=sco, slug="other")
    client = Client()
    for _ in range(2):
        assert _join(client, "jwf", REMOTE_ADDR="192.0.2.30") == 201
    assert _join(client, "jwf", REMOTE_ADDR="192.0.2.30") == 429
    assert _join(client, "other", REMOTE_ADDR="192.0.2.30") == 201
    assert _join(client, "jwf", REMOTE_ADDR="192.0.2.31") == 201
