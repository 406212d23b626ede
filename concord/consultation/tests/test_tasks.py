"""The map worker: debounce, snapshots with counts, seed and versions, claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.consultation import maps, services, tasks
from concord.consultation.models import Consultation, OpinionMapSnapshot, Participant, VoteEvent
from concord.consultation.selectors import votes_of
from concord.consultation.tests.factories import ParticipantFactory, StatementFactory
from concord.consultation.tokens import ParticipantClaim

pytestmark = pytest.mark.django_db


def vote_a_lot(consultation, n_participants=40, n_statements=12):
    import random

    rnd = random.Random(7)
    statements = StatementFactory.create_batch(n_statements, consultation=consultation)
    for i in range(n_participants):
        p = ParticipantFactory(consultation=consultation)
        claim = ParticipantClaim(p.pk, consultation.pk)
        for j, s in enumerate(statements):
            value = 1 if (j + i) % 2 == 0 else -1
            if rnd.random() < 0.2:
                value = rnd.choice([-1, 0, 1])
            services.vote_cast(claim=claim, slug=consultation.slug, statement_id=s.pk, vote=value)
    return statements


def test_recompute_is_debounced_and_stores_a_full_snapshot(consultation, settings):
    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 3600
    settings.CONCORD_MAP_MAX_STALENESS_SECONDS = 3600
    vote_a_lot(consultation)
    # votes just arrived, no snapshot yet: stale (never computed) wins over the debounce
    assert tasks.recompute_opinion_maps() == 1
    snap = OpinionMapSnapshot.objects.get()
    assert (snap.participants, snap.statements, snap.votes) == (40, 12, 480)
    assert snap.clustered == 40 and snap.seed == maps.SEED
    assert set(snap.versions) >= {"numpy", "scipy", "scikit-learn"}
    assert snap.parameters["min_votes"] == 7
    assert snap.votes_seen == VoteEvent.objects.latest("id").id
    assert len(snap.points) == 40 and len(snap.map["groups"]) >= 2
    # nothing new: nothing to do
    assert tasks.recompute_opinion_maps() == 0
    # a new vote within the debounce and the staleness: wait
    p = ParticipantFactory(consultation=consultation)
    s = consultation.statements.first()
    services.vote_cast(
        claim=ParticipantClaim(p.pk, consultation.pk),
        slug=consultation.slug,
        statement_id=s.pk,
        vote=1,
    )
    assert tasks.recompute_opinion_maps() == 0
    # once the votes are quiet for the debounce, it recomputes; the history is kept
    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    assert tasks.recompute_opinion_maps() == 1
    assert OpinionMapSnapshot.objects.count() == 2
    assert OpinionMapSnapshot.objects.order_by("-id").first().participants == 41


def test_a_claimed_consultation_is_left_to_its_worker(consultation, settings):
    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    vote_a_lot(consultation, 20, 8)
    Consultation.objects.filter(pk=consultation.pk).update(
        map_claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert tasks.recompute_opinion_maps() == 0
    Consultation.objects.filter(pk=consultation.pk).update(
        map_claimed_until=timezone.now() - timedelta(seconds=1)
    )  # a crashed worker's claim expires
    assert tasks.recompute_opinion_maps() == 1
    assert Consultation.objects.get(pk=consultation.pk).map_claimed_until is None


def test_projection_places_a_voter_where_the_map_does(consultation, settings):
    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    vote_a_lot(consultation, 30, 10)
    snap = maps.snapshot_compute(consultation)
    assert snap is not None
    pid, (x, y, _group) = next(iter(snap.points.items()))
    votes = votes_of(Participant.objects.get(pk=int(pid)))
    px, py = maps.project(snap, votes)
    assert px == pytest.approx(x, abs=1e-4) and py == pytest.approx(y, abs=1e-4)


def test_which_maps_are_due_is_one_query_for_any_number_of_consultations(
    sco, settings, django_assert_num_queries
):
    from concord.consultation.tests.factories import ConsultationFactory

    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 60
    settings.CONCORD_MAP_MAX_STALENESS_SECONDS = 3600
    now = timezone.now()

    def consultation_with(vote_at=None, map_at=None, map_sees_last=False):
        consultation = ConsultationFactory(organization=sco)
        last = None
        if vote_at is not None:
            participant = ParticipantFactory(consultation=consultation)
            statement = StatementFactory(consultation=consultation)
            last = VoteEvent.objects.create(
                consultation=consultation,
                participant=participant,
                statement=statement,
                value=1,
                at=vote_at,
            )
        if map_at is not None:
            OpinionMapSnapshot.objects.create(
                consultation=consultation,
                computed_at=map_at,
                participants=1,
                clustered=0,
                statements=1,
                votes=1,
                seed=0,
                map={},
                votes_seen=last.id if map_sees_last and last else 0,
            )
        return consultation.pk

    quiet_never_mapped = consultation_with(vote_at=now - timedelta(hours=1))
    busy_fresh_map = consultation_with(vote_at=now, map_at=now)
    busy_stale_map = consultation_with(vote_at=now, map_at=now - timedelta(hours=2))
    quiet_fresh_map = consultation_with(vote_at=now - timedelta(minutes=5), map_at=now)
    consultation_with(vote_at=now - timedelta(hours=1), map_at=now, map_sees_last=True)
    consultation_with()  # no votes at all
    with django_assert_num_queries(1):
        due = tasks.due_consultations()
    assert due == [quiet_never_mapped, busy_stale_map, quiet_fresh_map]
    assert busy_fresh_map not in due
