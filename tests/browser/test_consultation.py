"""A participant votes on five statements in a real Chromium and finds their own dot."""

from __future__ import annotations

import random

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _consultation_with_voters(sco):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from concord.consultation.models import (
        Consultation,
        Participant,
        Statement,
        Vote,
        VoteEvent,
        normalize_text,
    )

    c = Consultation.objects.create(
        slug="jwf", organization=sco, titles={"en": "Just World Formula"}, languages=["en"]
    )
    texts = [f"Statement {i}: the world would be fairer with rule {i}." for i in range(10)]
    statements = [
        Statement.objects.create(
            consultation=c, text=t, normalized=normalize_text(t), moderation="accepted"
        )
        for t in texts
    ]
    rnd = random.Random(3)
    now = timezone.now()
    for i in range(40):
        p = Participant.objects.create(consultation=c, is_synthetic=True)
        for j, s in enumerate(statements):
            v = (1 if j % 2 == i % 2 else -1) if rnd.random() > 0.15 else 0
            Vote.objects.create(consultation=c, participant=p, statement=s, value=v, updated_at=now)
            VoteEvent.objects.create(consultation=c, participant=p, statement=s, value=v, at=now)
    return c


def test_votes_on_five_statements_and_sees_own_dot(page, sco, settings):
    from concord.consultation.models import Vote
    from concord.consultation.tasks import recompute_opinion_maps

    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    _consultation_with_voters(sco)
    page.goto("/consultations/jwf/")
    progress = page.locator("#progress-text")
    assert "0 of 10" in progress.inner_text()
    for n, key in enumerate(["a", "d", "a", "p", "a"], start=1):
        page.locator("#statement").wait_for()
        page.keyboard.press(key)
        page.wait_for_function(
            "n => document.querySelector('#progress-text').innerText.includes(n + ' of 10')",
            arg=n,
        )
    assert Vote.objects.filter(participant__is_synthetic=False).count() == 5

    assert recompute_opinion_maps() == 1  # the worker's job, run here synchronously
    page.goto("/consultations/jwf/map/")
    dot = page.locator("#my-dot")
    assert dot.is_visible()
    box = dot.bounding_box()
    assert box is not None and box["width"] > 0
    assert page.locator("svg.opinion-map circle.dot").count() == 41
