from __future__ import annotations

import pytest

from concord.consultation import demo
from concord.consultation.models import Consultation, OpinionMapSnapshot, Participant, VoteEvent

pytestmark = pytest.mark.django_db


def test_demo_is_synthetic_grouped_and_idempotent(sco):
    lines = demo.load_demo()
    assert "300 synthetic participants" in lines[0]
    c = Consultation.objects.get(slug=demo.SLUG)
    assert c.title_in("en") == "Just World Formula (demo)"
    assert Participant.objects.filter(consultation=c, is_synthetic=False).count() == 0
    snap = OpinionMapSnapshot.objects.get(consultation=c)
    assert len(snap.map["groups"]) == 3  # the three planted groups
    events = VoteEvent.objects.count()
    assert "present" in demo.load_demo()[0]
    assert VoteEvent.objects.count() == events and OpinionMapSnapshot.objects.count() == 1
