"""Rate limits on public writing and voting: fixed windows counted in the database.

Why the database and not Django's cache: the default local-memory cache is per process,
so with several gunicorn workers each would count only its own share and the limit would
be multiplied by the number of workers. One upsert (``INSERT .. ON CONFLICT DO UPDATE ..
RETURNING``, valid on SQLite >= 3.35 and PostgreSQL) counts atomically across every
process and machine, in one round trip, without a read-then-write race. Old windows are
pruned by the map worker (:func:`prune`).

Limits are ``(count, seconds)`` pairs in ``settings.CONCORD_CONSULTATION_RATE_LIMITS``
(defaults below) and are off when ``settings.CONCORD_RATE_LIMITS`` is False
(``CONCORD_RATE_LIMITS=off``, for load benchmarks only).

Keys never hold an address in clear: ``who`` is kept as a keyed digest (issue 13), and
anonymous joins are counted per consultation and address, so one client exhausts its own
allowance on one consultation, not everyone's.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from concord.common.errors import RateLimited
from concord.common.privacy import pseudonym

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # A participant may vote 120 times a minute: fast clicking, not a script.
    "vote": (120, 60),
    # A participant may write 10 statements an hour.
    "statement": (10, 3600),
    # A network address may create 60 anonymous participants an hour.
    "participant": (60, 3600),
}

_UPSERT = (
    "INSERT INTO consultation_ratecounter (key, bucket, count) VALUES (%s, %s, 1) "
    "ON CONFLICT (key, bucket) DO UPDATE SET count = consultation_ratecounter.count + 1 "
    "RETURNING count"
)


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "CONCORD_CONSULTATION_RATE_LIMITS", {})}


def enabled() -> bool:
    return bool(getattr(settings, "CONCORD_RATE_LIMITS", True))


def key(kind: str, who: str, scope: str = "") -> str:
    """The counter's key: the kind, the scope (a consultation) and a keyed digest of who."""
    return f"{kind}:{scope}:{pseudonym(who, purpose='ratelimit')}"


def hit(kind: str, who: str, *, scope: str = "") -> None:
    """Count one ``kind`` act by ``who`` within ``scope``; raise RateLimited (429, with the
    seconds until the window ends as ``retry_after``) when over the limit.

    One query. Runs in its own (autocommit) statement when called outside a transaction,
    so refused attempts still count."""
    if not enabled():
        return
    allowed, seconds = limits()[kind]
    now = int(time.time())
    bucket = now // seconds * seconds
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key(kind, who, scope), bucket])
        row = cursor.fetchone()
    if row is not None and int(row[0]) > allowed:
        raise RateLimited(
            "Too many %(kind)s requests; try again in a moment.",
            kind=kind,
            retry_after=max(1, bucket + seconds - now),
        )


def prune(now: float | None = None) -> int:
    """Delete counters whose window ended over a day ago."""
    from concord.consultation.models import RateCounter

    longest = max(seconds for _count, seconds in limits().values())
    cutoff = int(now if now is not None else time.time()) - longest - 86_400
    deleted, _ = RateCounter.objects.filter(bucket__lt=cutoff).delete()
    return deleted
