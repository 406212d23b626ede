"""Signed participant tokens: the vote path checks a signature, never a token table.

A token is ``django.core.signing`` of ``[participant id, consultation id]`` with a salt of
its own, so it cannot be confused with (or forged from) any other signed value. User API
tokens start with ``cc_``; participant tokens never do (they start with base64 of ``[``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from concord.accounts.bearer import USER_TOKEN_PREFIX

SALT = "concord.consultation.participant"
COOKIE_PREFIX = "concord_participant_"


@dataclass(frozen=True)
class ParticipantClaim:
    participant_id: int
    consultation_id: int
    #: When the token was issued (Unix seconds, from its signature); None when the claim
    #: comes from a signed-in session, not a token (nothing to revoke then).
    issued_at: int | None = None


def token_for(participant_id: int, consultation_id: int) -> str:
    return signing.dumps([participant_id, consultation_id], salt=SALT)


def max_age() -> int:
    """Seconds a participant token is honoured after it was issued
    (``CONCORD_PARTICIPANT_TOKEN_DAYS``; the signature carries the issue time)."""
    return int(getattr(settings, "CONCORD_PARTICIPANT_TOKEN_DAYS", 90)) * 86_400


def claim_of(token: str) -> ParticipantClaim | None:
    """The participant a token names, or None when it is not a valid participant token or
    has expired."""
    if not token or token.startswith(USER_TOKEN_PREFIX) or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    try:
        issued_at = signing.b62_decode(token.rsplit(":", 2)[1])
    except (IndexError, ValueError):
        issued_at = 0  # unknown: as old as can be, so any revocation covers it
    return ParticipantClaim(participant_id=value[0], consultation_id=value[1], issued_at=issued_at)


def cookie_name(slug: str) -> str:
    """The browser cookie holding the participant token of the consultation ``slug``."""
    return f"{COOKIE_PREFIX}{slug}"
