"""The SCO reference dataset: complete, sourced, idempotent."""

from __future__ import annotations

import pytest

from concord.cli import main
from concord.organization.models import Chairmanship, Meeting, Membership, PostHolding, State
from concord.reference.loader import load_reference, read

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing(sco):
    assert load_reference("sco") == {}


def test_cli_load_reference_is_idempotent_and_rejects_unknown_datasets(capsys, sco):
    assert main(["load-reference", "sco"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["load-reference", "nato"]) == 2
    assert "No reference dataset" in capsys.readouterr().err


def test_every_fact_keeps_its_sources():
    data = read("sco")
    for section in ("memberships", "bodies", "chairmanships", "meetings"):
        for entry in data[section]:
            assert entry["sources"], (section, entry)
            assert entry["verification"] in {"verified", "partially_verified", "unverified"}


def test_states_carry_names_in_three_languages(sco):
    for state in State.objects.all():
        assert set(state.names) >= {"en", "ru", "zh"}
    assert State.objects.get(iso3="CHN").names == {"en": "China", "ru": "Китай", "zh": "中国"}


def test_unverified_facts_without_a_date_are_left_out_and_the_rest_are_flagged(sco):
    # Pakistan's 2026-27 chairmanship and the 2026 Bishkek summit have no verified date.
    assert not Chairmanship.objects.filter(term="2026-2027").exists()
    assert not Meeting.objects.filter(city="Bishkek", start__year=2026).exists()
    inferred = Chairmanship.objects.get(term="2001-2002")
    assert inferred.verification == "partially_verified"
    # Only the deputy with a sourced term is kept.
    assert list(
        PostHolding.objects.filter(post__slug="deputy-secretary-general").values_list(
            "name", flat=True
        )
    ) == ["Nurlan Yermekbayev"]


def test_the_2025_reform_turns_observers_and_dialogue_partners_into_partners(sco):
    for iso3 in ("MNG", "AFG", "TUR", "LKA", "EGY"):
        last = Membership.objects.filter(state__iso3=iso3).order_by("-start").first()
        assert (last.status, str(last.start), last.end) == ("partner", "2025-09-01", None)
    # Laos was granted its status at Tianjin on the day of the reform: partner only.
    assert list(Membership.objects.filter(state__iso3="LAO").values_list("status", flat=True)) == [
        "partner"
    ]
