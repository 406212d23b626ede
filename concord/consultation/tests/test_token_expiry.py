"""Participant tokens expire (issue 13): the signature carries the issue time."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from concord.consultation.models import Vote
from concord.consultation.tokens import SALT, claim_of, token_for


class _IssuedLongAgo(signing.TimestampSigner):
    """Signs as Django's own signer does, dated ``days`` ago: a token issued back then."""

    days = 0

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - self.days * 86_400)


def _token_issued(days_ago: int, participant_id: int, consultation_id: int) -> str:
    signer = _IssuedLongAgo(salt=SALT)
    signer.days = days_ago
    return signer.sign_object([participant_id, consultation_id], compress=False)


def test_a_fresh_token_names_its_participant(settings) -> None:
    settings.CONCORD_PARTICIPANT_TOKEN_DAYS = 30
    assert claim_of(token_for(7, 3)) is not None
    assert claim_of(_token_issued(29, 7, 3)) is not None


def test_a_token_past_its_age_names_nobody(settings) -> None:
    settings.CONCORD_PARTICIPANT_TOKEN_DAYS = 30
    assert claim_of(_token_issued(31, 7, 3)) is None


@pytest.mark.django_db
def test_an_expired_token_cannot_vote(api, consultation, statements, settings) -> None:
    settings.CONCORD_PARTICIPANT_TOKEN_DAYS = 30
    token = api.join("jwf")
    claim = claim_of(token)
    assert claim is not None
    old = _token_issued(31, claim.participant_id, claim.consultation_id)
    r = api.post("/consultations/jwf/votes", {"statement": statements[0].pk, "vote": 1}, token=old)
    assert r.status_code == 401, r.content
    assert not Vote.objects.exists()
    fresh = api.post(
        "/consultations/jwf/votes", {"statement": statements[0].pk, "vote": 1}, token=token
    )
    assert fresh.status_code == 201
