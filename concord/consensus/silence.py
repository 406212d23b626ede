"""The silence procedure as a pure state machine.

The chair opens it on a clean version with a deadline; any state that is a member may break
it before the deadline, giving a reason; if nobody does, the version is agreed: members
that have not answered are deemed to accept (``rules.consensus`` applies that).

All datetimes must be timezone-aware: deadlines are set for delegations in many time zones,
so a naive datetime is ambiguous and is refused rather than guessed. Aware datetimes with
different offsets compare correctly, so the deadline may carry any offset.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from concord.consensus.errors import RuleError
from concord.consensus.membership import Timeline, can_block, status


class SilenceOutcome(StrEnum):
    RUNNING = "running"
    BROKEN = "broken"
    # Expired unbroken: the version is agreed.
    EXPIRED = "expired"


class SilenceError(RuleError):
    code: ClassVar[str] = "silence_invalid"


class NaiveDatetime(SilenceError):
    code: ClassVar[str] = "silence_naive_datetime"


class DeadlineNotInFuture(SilenceError):
    code: ClassVar[str] = "silence_deadline_not_in_future"


class DeadlineTooSoon(SilenceError):
    code: ClassVar[str] = "silence_deadline_too_soon"


class VersionNotClean(SilenceError):
    code: ClassVar[str] = "silence_version_not_clean"


class NotAMember(SilenceError):
    code: ClassVar[str] = "silence_breaker_not_member"


class NotRunning(SilenceError):
    """The procedure has already been broken or its deadline has passed."""

    code: ClassVar[str] = "silence_not_running"


class ReasonRequired(SilenceError):
    code: ClassVar[str] = "silence_reason_required"


def _require_aware(name: str, value: datetime) -> None:
    # tzinfo alone is not enough: a tzinfo whose utcoffset() is None still makes the value naive.
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(f"{name} must carry an explicit time zone", field=name)


@dataclass(frozen=True, slots=True)
class SilenceProcedure:
    """One silence procedure on one version.

    Invariants (checked): all datetimes are aware; ``opened_at < deadline``; ``broken_by``,
    ``broken_at`` and a non-blank ``reason`` are all set or all unset; a break happened in
    ``[opened_at, deadline)``.
    """

    opened_at: datetime
    deadline: datetime
    broken_by: str | None = None
    broken_at: datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        _require_aware("opened_at", self.opened_at)
        _require_aware("deadline", self.deadline)
        if self.deadline <= self.opened_at:
            raise DeadlineNotInFuture(
                "the deadline must be after the opening",
                opened_at=self.opened_at,
                deadline=self.deadline,
            )
        broken = (self.broken_by is not None, self.broken_at is not None, bool(self.reason))
        if any(broken) and not all(broken):
            raise SilenceError("a break records who, when and why, or none of them")
        if self.broken_at is not None:
            _require_aware("broken_at", self.broken_at)
            if not self.opened_at <= self.broken_at < self.deadline:
                raise NotRunning("silence can only be broken while it runs", now=self.broken_at)

    @property
    def is_broken(self) -> bool:
        return self.broken_by is not None

    def membership_date(self, at: datetime) -> date:
        """The calendar date of ``at`` in the deadline's time zone.

        Membership changes on calendar dates; the chair sets the deadline in the body's own
        time zone, so that zone decides which day ``at`` falls on.
        """
        _require_aware("at", at)
        return at.astimezone(self.deadline.tzinfo).date()


def open_silence(
    *, now: datetime, deadline: datetime, clean: bool, minimum: timedelta = timedelta(0)
) -> SilenceProcedure:
    """Open a silence procedure at ``now`` ending at ``deadline``.

    Preconditions (raised as ``SilenceError`` subclasses): both datetimes aware
    (``NaiveDatetime``), ``deadline > now`` (``DeadlineNotInFuture``), the version carries no
    brackets (``VersionNotClean``: a bracketed text cannot be agreed, so silence on it would
    be meaningless).
    """
    _require_aware("now", now)
    _require_aware("deadline", deadline)
    if not clean:
        raise VersionNotClean("silence can only be opened on a version without brackets")
    if deadline <= now:
        raise DeadlineNotInFuture(
            "the deadline must be in the future", opened_at=now, deadline=deadline
        )
    # A silence of seconds would deem every member to agree before any could read the text.
    if deadline - now < minimum:
        raise DeadlineTooSoon(
            "the procedure is shorter than the body's minimum",
            hours=int(minimum.total_seconds() // 3600),
        )
    return SilenceProcedure(opened_at=now, deadline=deadline)


def break_silence(
    proc: SilenceProcedure, *, state: str, now: datetime, reason: str, timeline: Timeline
) -> SilenceProcedure:
    """Return ``proc`` broken by ``state`` at ``now``.

    Preconditions (raised as ``SilenceError`` subclasses): ``now`` aware; the procedure is
    running at ``now`` (opened, not yet broken, ``now`` strictly before the deadline:
    ``NotRunning``); ``reason`` is not blank (``ReasonRequired``); ``state`` is a member on
    the date of ``now`` in the deadline's time zone (``NotAMember``: observers and partners
    cannot block, so they cannot break silence either).
    """
    _require_aware("now", now)
    if outcome(proc, now) is not SilenceOutcome.RUNNING or now < proc.opened_at:
        raise NotRunning(
            "silence can only be broken while it runs", now=now, deadline=proc.deadline
        )
    if not reason.strip():
        raise ReasonRequired("breaking silence requires a reason", state=state)
    on = proc.membership_date(now)
    if not can_block(state, timeline, on):
        raise NotAMember(
            f"{state} is not a member on {on.isoformat()}",
            state=state,
            on=on,
            status=status(state, timeline, on),
        )
    return replace(proc, broken_by=state, broken_at=now, reason=reason.strip())


def outcome(proc: SilenceProcedure, now: datetime) -> SilenceOutcome:
    """Where ``proc`` stands at ``now`` (aware). ``EXPIRED`` means agreed by silence.

    A break recorded after ``now`` is ignored, so asking about the past gives the answer
    that was true then.
    """
    _require_aware("now", now)
    if proc.broken_at is not None and proc.broken_at <= now:
        return SilenceOutcome.BROKEN
    if now < proc.deadline:
        return SilenceOutcome.RUNNING
    return SilenceOutcome.EXPIRED
