"""A state's stand on one version of a document, and which stands accept or block."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from concord.consensus.errors import RuleError


class Stand(StrEnum):
    SUPPORT = "support"
    # Support with a reservation: published as a footnote, and it never blocks.
    RESERVATION = "reservation"
    # An objection names the provisions it concerns; it blocks only when the state is a
    # member on the decision's date (see ``membership.can_block``).
    OBJECTION = "objection"
    # No answer yet; a new version resets every state to this.
    NONE = "none"


#: Stands that prevent consensus when held by a member.
BLOCKING = frozenset({Stand.OBJECTION})
#: Stands that count as accepting the version.
ACCEPTING = frozenset({Stand.SUPPORT, Stand.RESERVATION})


class PositionError(RuleError):
    code: ClassVar[str] = "position_invalid"


class ReservationWithoutText(PositionError):
    code: ClassVar[str] = "reservation_without_text"


class ObjectionWithoutProvisions(PositionError):
    code: ClassVar[str] = "objection_without_provisions"


class ProvisionsWithoutObjection(PositionError):
    code: ClassVar[str] = "provisions_without_objection"


@dataclass(frozen=True, slots=True)
class Position:
    """One state's current stand on one version.

    Preconditions (checked): ``state`` is a non-empty ISO 3166-1 alpha-3 code; a reservation
    has a non-blank ``text``; an objection names at least one provision key and only an
    objection names provisions. ``text`` is the reservation's footnote or the objection's
    explanation. ``provisions`` is stored sorted and without duplicates so equal positions
    compare equal.
    """

    state: str
    stand: Stand
    text: str = ""
    provisions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Accept the stored string value too (the Django layer reads it from a CharField).
        object.__setattr__(self, "stand", Stand(self.stand))
        if not self.state:
            raise PositionError("a position needs a state", state=self.state)
        if self.stand is Stand.RESERVATION and not self.text.strip():
            raise ReservationWithoutText(
                f"{self.state}: a reservation needs its text", state=self.state
            )
        if self.stand is Stand.OBJECTION and not self.provisions:
            raise ObjectionWithoutProvisions(
                f"{self.state}: an objection names the provisions it concerns", state=self.state
            )
        if self.stand is not Stand.OBJECTION and self.provisions:
            raise ProvisionsWithoutObjection(
                f"{self.state}: only an objection names provisions", state=self.state
            )
        # object.__setattr__ because the dataclass is frozen; normalising here keeps every
        # explanation built from it deterministic.
        object.__setattr__(self, "provisions", tuple(sorted(set(self.provisions))))

    @property
    def accepts(self) -> bool:
        return self.stand in ACCEPTING

    @property
    def objects(self) -> bool:
        return self.stand in BLOCKING
