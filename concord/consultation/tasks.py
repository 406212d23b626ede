"""Background job: recompute opinion maps after votes arrive (debounced).

Run by ``concord worker`` (``make up`` starts one; production runs it as its own process).
A consultation's map is recomputed when votes arrived since its last snapshot and either
the last vote is older than the debounce (``CONCORD_MAP_DEBOUNCE_SECONDS``, default 2 s:
a burst of votes gives one computation, not hundreds) or the last snapshot is older than
``CONCORD_MAP_MAX_STALENESS_SECONDS`` (default 60 s: a steady stream of votes still
refreshes the map).

Several workers may run: a worker claims a consultation with a conditional UPDATE on
``map_claimed_until`` (atomic on every database), computes outside any transaction, stores
the snapshot and releases the claim. A crashed worker's claim expires.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from concord.consultation import ratelimit
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Consultation, OpinionMapSnapshot, VoteEvent

log = logging.getLogger("concord.consultation")

CLAIM_SECONDS = 600
PRUNE_EVERY_SECONDS = 3600.0
_last_prune = 0.0


def due_consultations() -> list[int]:
    """Ids of consultations whose map is due now: one query whatever the number of
    consultations (each looks up its last vote and last snapshot by index)."""
    last_vote = VoteEvent.objects.filter(consultation=OuterRef("pk")).order_by("-id")
    last_map = OpinionMapSnapshot.objects.filter(consultation=OuterRef("pk")).order_by("-id")
    rows = list(
        Consultation.objects.annotate(
            last_vote_id=Subquery(last_vote.values("id")[:1]),
            last_vote_at=Subquery(last_vote.values("at")[:1]),
            votes_seen=Subquery(last_map.values("votes_seen")[:1]),
            computed_at=Subquery(last_map.values("computed_at")[:1]),
        )
        .filter(last_vote_id__isnull=False)
        .values_list("id", "last_vote_id", "last_vote_at", "votes_seen", "computed_at")
        .order_by("id")
    )
    # The clock is read after the votes: a vote committed while the query ran is never
    # "in the future", so a debounce of 0 means "due as soon as anything is new".
    now = timezone.now()
    debounce = timedelta(seconds=settings.CONCORD_MAP_DEBOUNCE_SECONDS)
    staleness = timedelta(seconds=settings.CONCORD_MAP_MAX_STALENESS_SECONDS)
    due = []
    for cid, last_id, last_at, seen, computed_at in rows:
        if seen is not None and seen >= last_id:
            continue
        quiet = last_at <= now - debounce
        stale = computed_at is None or computed_at <= now - staleness
        if quiet or stale:
            due.append(cid)
    return due


def _claim(cid: int) -> bool:
    now = timezone.now()
    return (
        Consultation.objects.filter(pk=cid)
        .filter(Q(map_claimed_until__isnull=True) | Q(map_claimed_until__lt=now))
        .update(map_claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        == 1
    )


def _release(cid: int) -> None:
    Consultation.objects.filter(pk=cid).update(map_claimed_until=None)


def recompute_opinion_maps() -> int:
    """Recompute every due map; returns how many snapshots were stored."""
    done = 0
    for cid in due_consultations():
        if not _claim(cid):
            continue
        try:
            consultation = Consultation.objects.get(pk=cid)
            if snapshot_compute(consultation) is not None:
                done += 1
        except Exception:
            log.exception("opinion map of consultation %s failed", cid)
        finally:
            _release(cid)
    global _last_prune
    if time.monotonic() - _last_prune > PRUNE_EVERY_SECONDS:
        ratelimit.prune()
        _last_prune = time.monotonic()
    return done
