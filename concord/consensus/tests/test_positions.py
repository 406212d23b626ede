"""The position vocabulary and its invariants."""

from __future__ import annotations

import pytest

from concord.consensus.positions import (
    ACCEPTING,
    BLOCKING,
    ObjectionWithoutProvisions,
    Position,
    ProvisionsWithoutObjection,
    ReservationWithoutText,
    Stand,
)


def test_vocabulary() -> None:
    assert {Stand.OBJECTION} == BLOCKING
    assert {Stand.SUPPORT, Stand.RESERVATION} == ACCEPTING
    assert Stand.NONE not in BLOCKING | ACCEPTING


def test_a_reservation_needs_text() -> None:
    with pytest.raises(ReservationWithoutText) as caught:
        Position("IND", Stand.RESERVATION, " ")
    assert caught.value.code == "reservation_without_text"
    assert Position("IND", Stand.RESERVATION, "On op3.").accepts


def test_an_objection_names_provisions_sorted_and_once() -> None:
    with pytest.raises(ObjectionWithoutProvisions):
        Position("IND", Stand.OBJECTION)
    position = Position("IND", Stand.OBJECTION, "", ("op3", "op1", "op3"))
    assert position.provisions == ("op1", "op3")
    assert position.objects


def test_only_an_objection_names_provisions() -> None:
    with pytest.raises(ProvisionsWithoutObjection):
        Position("IND", Stand.SUPPORT, "", ("op1",))


def test_a_stored_string_stand_is_accepted() -> None:
    position = Position("RUS", "support")  # type: ignore[arg-type]
    assert position.stand is Stand.SUPPORT
    with pytest.raises(ValueError, match="'maybe'"):
        Position("RUS", "maybe")  # type: ignore[arg-type]
