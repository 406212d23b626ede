"""What a user may do follows from its role and its state's status on the date."""

from __future__ import annotations

from datetime import date

import pytest

from concord.accounts import access
from concord.accounts.services import user_upsert
from concord.common.errors import NotAuthenticated, PermissionDenied
from concord.organization import selectors
from concord.organization.models import State

pytestmark = pytest.mark.django_db


def head(sco, iso3: str):
    return user_upsert(
        username=f"h-{iso3}", role="head", organization=sco, state=State.objects.get(iso3=iso3)
    )


@pytest.mark.parametrize(
    ("iso3", "on", "blocks"),
    [
        ("KAZ", date(2024, 7, 5), True),  # founding member
        ("IRN", date(2023, 1, 1), False),  # observer then
        ("IRN", date(2023, 8, 1), True),  # member since 2023-07-04
        ("MNG", date(2024, 7, 5), False),  # observer
        ("TUR", date(2024, 7, 5), False),  # dialogue partner
        ("TUR", date(2026, 1, 1), False),  # partner since 2025-09-01
    ],
)
def test_only_a_members_head_can_block_on_the_decision_date(sco, iso3, on, blocks):
    assert access.may_block(head(sco, iso3), selectors.timeline(sco), on) is blocks


def test_a_delegate_never_blocks_and_never_speaks_for_the_state(sco):
    delegate = user_upsert(
        username="d", role="delegate", organization=sco, state=State.objects.get(iso3="KAZ")
    )
    assert not access.may_block(delegate, selectors.timeline(sco), date(2024, 7, 5))
    with pytest.raises(PermissionDenied):
        access.require_head_of(delegate, State.objects.get(iso3="KAZ"))


def test_a_head_speaks_only_for_its_own_state(sco):
    kaz = head(sco, "KAZ")
    access.require_head_of(kaz, State.objects.get(iso3="KAZ"))
    with pytest.raises(PermissionDenied):
        access.require_head_of(kaz, State.objects.get(iso3="RUS"))


def test_only_the_organizations_secretariat_is_secretariat(sco):
    from django.contrib.auth.models import AnonymousUser

    sec = user_upsert(username="s", role="secretariat", organization=sco)
    access.require_secretariat(sec, sco)
    with pytest.raises(PermissionDenied):
        access.require_secretariat(head(sco, "KAZ"), sco)
    with pytest.raises(NotAuthenticated):
        access.require_secretariat(AnonymousUser(), sco)
