"""Background jobs of the negotiation app (run by ``concord worker``)."""

from __future__ import annotations

from concord.negotiation.services import silence_expire_due


def expire_silence_procedures() -> int:
    """Close every silence procedure whose deadline passed unbroken; returns how many."""
    return silence_expire_due()
