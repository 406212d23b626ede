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
from django.db.models import Q
from django.utils import timezone

from concord.consultation import ratelimit
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Consultation, OpinionMapSnapshot, VoteEvent

log = logging.getLogger("concord.consultation")

CLAIM_SECONDS = 600
PRUNE_EVERY_SECONDS = 3600.0
_last_prune = 0.0


def due_consultations() -> list[int]:
    """Ids of consultations whose map is due now (few rows; index reads only)."""
    now = timezone.now()
    debounce = timedelta(seconds=settings.CONCORD_MAP_DEBOUNCE_SECONDS)
    staleness = timedelta(seconds=settings.CONCORD_MAP_MAX_STALENESS_SECONDS)
    due = []
    for cid in Consultation.objects.values_list("id", flat=True):
        last = (
            VoteEvent.objects.filter(consultation_id=cid).order_by("-id").values("id", "at").first()
        )
        if last is None:
            continue
        snap = (
            OpinionMapSnapshot.objects.filter(consultation_id=cid)
            .order_by("-id")
            .values("votes_seen", "computed_at")
            .first()
        )
        if snap is not None and snap["votes_seen"] >= last["id"]:
            continue
        quiet = last["at"] <= now - debounce
        stale = snap is None or snap["computed_at"] <= now - staleness
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
