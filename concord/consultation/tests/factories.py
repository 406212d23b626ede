"""Factories for consultation tests (factory_boy)."""

from __future__ import annotations

import factory

from concord.consultation.models import (
    Consultation,
    Moderation,
    Participant,
    Statement,
    normalize_text,
)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    titles = factory.LazyAttribute(lambda o: {"en": f"Consultation {o.slug}"})
    descriptions = factory.LazyFunction(lambda: {"en": "What should we do?"})
    languages = factory.LazyFunction(lambda: ["en"])


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    consultation = factory.SubFactory(ConsultationFactory)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    consultation = factory.SubFactory(ConsultationFactory)
    text = factory.Sequence(lambda n: f"Statement number {n} says something")
    normalized = factory.LazyAttribute(lambda o: normalize_text(o.text))
    moderation = Moderation.ACCEPTED
