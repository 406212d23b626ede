"""Keyed pseudonyms: what Concord keeps instead of an address or an account name."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym(value: str, *, purpose: str) -> str:
    """A keyed digest of ``value`` (an address, a username) for one ``purpose``: stable for
    one deployment, useless to anyone without the secret key. Kept in rate-limit keys and
    audit payloads instead of the value itself."""
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]
