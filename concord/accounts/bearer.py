"""The one reader of ``Authorization: Bearer``: every API auth class and the consultation
endpoints ask here, so a token is parsed one way and its kind told apart by one prefix.

User API tokens start with ``USER_TOKEN_PREFIX``; participant tokens (signed, see
``consultation/tokens.py``) never do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

USER_TOKEN_PREFIX = "cc_"  # noqa: S105 - a prefix, not a secret

#: The challenge every 401 carries (RFC 6750).
CHALLENGE = 'Bearer realm="concord"'


@dataclass(frozen=True)
class Bearer:
    """What the Authorization header says: ``present`` when the header was sent at all,
    ``token`` when it was a well-formed ``Bearer <token>`` (None when malformed)."""

    present: bool
    token: str | None

    @property
    def is_user_token(self) -> bool:
        return self.token is not None and self.token.startswith(USER_TOKEN_PREFIX)

    @property
    def is_participant_token(self) -> bool:
        return self.token is not None and not self.token.startswith(USER_TOKEN_PREFIX)


def bearer(request: HttpRequest) -> Bearer:
    """The request's bearer credential. A header that is not ``Bearer <token>`` (another
    scheme, or an empty token) is present but malformed: callers answer 401 to it, never
    fall back to the session."""
    header = request.headers.get("Authorization")
    if header is None:
        return Bearer(present=False, token=None)
    scheme, _, rest = header.strip().partition(" ")
    token = rest.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return Bearer(present=True, token=None)
    return Bearer(present=True, token=token)
