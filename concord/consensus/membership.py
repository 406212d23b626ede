"""Membership as a timeline: who holds which status in an organization on a given date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise


class Status(StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"
    DIALOGUE_PARTNER = "dialogue_partner"
    # The SCO merged observers and dialogue partners into one "partner" status on 2025-09-01.
    PARTNER = "partner"
    NONE = "none"


#: Statuses whose holder takes part in decisions and whose objection blocks.
DECIDING = frozenset({Status.MEMBER})


@dataclass(frozen=True, slots=True)
class Span:
    """One status held by one state from ``start`` (inclusive) to ``end`` (exclusive, or open)."""

    state: str
    status: Status
    start: date
    end: date | None = None

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class Timeline:
    """All statuses of all states in one organization. Spans of one state must not overlap."""

    spans: tuple[Span, ...]

    @classmethod
    def of(cls, spans: Iterable[Span]) -> Timeline:
        ordered = tuple(sorted(spans, key=lambda s: (s.state, s.start)))
        for earlier, later in pairwise(ordered):
            if earlier.state == later.state and (earlier.end is None or earlier.end > later.start):
                raise ValueError(
                    f"overlapping statuses for {earlier.state}: "
                    f"{earlier.status} from {earlier.start} and {later.status} from {later.start}"
                )
        return cls(ordered)

    def span_on(self, state: str, on: date) -> Span | None:
        for span in self.spans:
            if span.state == state and span.covers(on):
                return span
        return None

    def states_on(self, on: date, status: Status | None = None) -> list[Span]:
        """The span each state holds on ``on`` (states with no status are left out)."""
        return [
            span
            for span in self.spans
            if span.covers(on) and (status is None or span.status == status)
        ]

    def members_on(self, on: date) -> frozenset[str]:
        return frozenset(span.state for span in self.states_on(on, Status.MEMBER))


def status(state: str, org: Timeline, on: date) -> Status:
    """The status ``state`` holds in ``org`` on ``on``; ``Status.NONE`` when it holds none."""
    span = org.span_on(state, on)
    return span.status if span else Status.NONE


def can_block(state: str, org: Timeline, on: date) -> bool:
    """Only a state that is a member on the decision's date can block it."""
    return status(state, org, on) in DECIDING
