"""Rate limits: counted in the database (shared by every web process), off by setting."""

from __future__ import annotations

import pytest

from concord.consultation import ratelimit
from concord.consultation.models import RateCounter, VoteEvent

pytestmark = pytest.mark.django_db


def test_votes_are_limited_per_participant(api, consultation, statements, settings):
    settings.CONCORD_RATE_LIMITS = True
    settings.CONCORD_CONSULTATION_RATE_LIMITS = {"vote": (3, 60)}
    token = api.join("jwf")
    codes = [
        api.post(
            "/consultations/jwf/votes", {"statement": s.pk, "vote": 1}, token=token
        ).status_code
        for s in statements[:4]
    ]
    assert codes == [201, 201, 201, 429]
    assert VoteEvent.objects.count() == 3  # the refused vote wrote nothing
    other = api.join("jwf")  # another participant has a budget of its own
    assert (
        api.post(
            "/consultations/jwf/votes", {"statement": statements[0].pk, "vote": 1}, token=other
        ).status_code
        == 201
    )


def test_statements_and_joins_are_limited(api, consultation, settings):
    settings.CONCORD_RATE_LIMITS = True
    settings.CONCORD_CONSULTATION_RATE_LIMITS = {"statement": (1, 3600), "participant": (2, 3600)}
    token = api.join("jwf")
    assert (
        api.post("/consultations/jwf/statements", {"text": "One"}, token=token).status_code == 201
    )
    r = api.post("/consultations/jwf/statements", {"text": "Two"}, token=token)
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    api.join("jwf")
    assert api.post("/consultations/jwf/participants").status_code == 429


def test_off_switch_and_pruning(api, consultation, statements, settings):
    settings.CONCORD_RATE_LIMITS = False
    settings.CONCORD_CONSULTATION_RATE_LIMITS = {"vote": (1, 60)}
    token = api.join("jwf")
    for s in statements:
        assert (
            api.post(
                "/consultations/jwf/votes", {"statement": s.pk, "vote": 1}, token=token
            ).status_code
            == 201
        )
    assert not RateCounter.objects.exists()
    RateCounter.objects.create(key="vote:p1", bucket=0, count=5)
    assert ratelimit.prune() == 1
