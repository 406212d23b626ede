"""Concrete decisions against the real shape of the SCO's membership timeline."""

from __future__ import annotations

from datetime import date

from concord.consensus.membership import Status, status
from concord.consensus.positions import Position, Stand
from concord.consensus.rules import Reason, ReasonCode, consensus
from concord.consensus.silence import SilenceOutcome
from concord.consensus.tests.sco import SCO

FOUNDERS = ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB")


def supporting(*states: str) -> dict[str, Position]:
    return {s: Position(s, Stand.SUPPORT) for s in states}


def test_iran_is_not_required_before_its_accession() -> None:
    on = date(2023, 1, 1)
    assert status("IRN", SCO, on) is Status.OBSERVER
    verdict = consensus(
        timeline=SCO,
        on=on,
        positions=supporting(*FOUNDERS, "IND", "PAK"),
        bracketed=(),
        silence=None,
    )
    assert verdict.reached
    assert verdict.pending == ()
    assert verdict.explanation == "Consensus is reached: all 8 members accept."


def test_iran_is_required_after_its_accession() -> None:
    on = date(2023, 8, 1)
    verdict = consensus(
        timeline=SCO,
        on=on,
        positions=supporting(*FOUNDERS, "IND", "PAK"),
        bracketed=(),
        silence=None,
    )
    assert not verdict.reached
    assert verdict.pending == ("IRN",)
    assert verdict.explanation == "Consensus is not reached: IRN has not answered."


def test_accession_day_is_inclusive_and_the_observer_span_exclusive() -> None:
    assert status("IRN", SCO, date(2023, 7, 3)) is Status.OBSERVER
    assert status("IRN", SCO, date(2023, 7, 4)) is Status.MEMBER


def test_turkiye_never_blocks() -> None:
    objection = Position("TUR", Stand.OBJECTION, "Cannot accept.", ("op1", "op4"))
    for on in (date(2013, 1, 1), date(2024, 1, 1), date(2026, 1, 1)):
        members = sorted(SCO.members_on(on))
        verdict = consensus(
            timeline=SCO,
            on=on,
            positions={**supporting(*members), "TUR": objection},
            bracketed=(),
            silence=None,
        )
        assert verdict.reached
        assert verdict.blocking == ()
        assert Reason(ReasonCode.NON_MEMBER_OBJECTION, ("TUR",), ("op1", "op4")) in (
            verdict.reasons
        )
    assert verdict.explanation == (
        "Consensus is reached: all 10 members accept; the objection of TUR to op1 and op4 "
        "does not block as it is a partner."
    )


def test_full_explanation_is_one_deterministic_sentence() -> None:
    verdict = consensus(
        timeline=SCO,
        on=date(2024, 9, 1),
        positions={
            **supporting("CHN", "KAZ", "RUS"),
            "PAK": Position("PAK", Stand.OBJECTION, "", ("op5", "op2")),
            "IND": Position("IND", Stand.OBJECTION, "", ("op2",)),
            "UZB": Position("UZB", Stand.RESERVATION, "Interpretative statement."),
            "MNG": Position("MNG", Stand.OBJECTION, "", ("pp1",)),
        },
        bracketed=["op3", "op1", "op3"],
        silence=None,
    )
    assert not verdict.reached
    assert verdict.blocking == ("IND", "PAK")
    assert verdict.pending == ("BLR", "IRN", "KGZ", "TJK")
    assert verdict.bracketed == ("op1", "op3")
    assert verdict.explanation == (
        "Consensus is not reached: provisions op1 and op3 carry brackets; "
        "IND objects to op2; PAK objects to op2 and op5; "
        "BLR, IRN, KGZ and TJK have not answered; "
        "the objection of MNG to pp1 does not block as it is an observer."
    )
    assert [r.code for r in verdict.reasons] == [
        ReasonCode.BRACKETED,
        ReasonCode.OBJECTION,
        ReasonCode.OBJECTION,
        ReasonCode.PENDING,
        ReasonCode.NON_MEMBER_OBJECTION,
    ]


def test_expired_silence_agrees_but_never_overrides_an_objection() -> None:
    on = date(2024, 9, 1)
    agreed = consensus(
        timeline=SCO,
        on=on,
        positions=supporting("CHN"),
        bracketed=(),
        silence="expired",  # type: ignore[arg-type]
    )
    assert agreed.reached
    assert agreed.deemed == ("BLR", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
    blocked = consensus(
        timeline=SCO,
        on=on,
        positions={"IND": Position("IND", Stand.OBJECTION, "", ("op1",))},
        bracketed=(),
        silence=SilenceOutcome.EXPIRED,
    )
    assert not blocked.reached
    assert blocked.blocking == ("IND",)
    assert "IND" not in blocked.deemed
