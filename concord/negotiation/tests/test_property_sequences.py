"""Issue 10's promise as a property over API call sequences: whatever the calls, in
whatever order, with the clock moving, no version is adopted while a state entitled to
block on the real adoption day objects or has not answered (unless an unbroken silence
procedure expired), while a language's text waits for verification, or on a date before
the version or after today.

Hypothesis draws lists of calls against the real API through the test client: meetings on
any date, documents, versions (some changing the English text only), positions of any
state's head (members, an observer, a partner, and a state that joins later), silence
opened and broken, the clock advanced (time-machine moves the process clock; nothing of
ours is replaced), translations verified, adoption. After every adoption that succeeds,
an independent oracle reads the rows and checks the rule. Each example runs in a savepoint
rolled back at its end.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.accounts.models import Role
from concord.accounts.services import token_issue, user_upsert
from concord.negotiation.models import Adoption, Position, ProvisionText, SilenceProcedure
from concord.negotiation.tests.conftest import MEMBERS, Actor
from concord.organization.models import Membership, State

pytestmark = pytest.mark.django_db

OBSERVER, PARTNER, LATER = "XOB", "TUR", "XJL"
HEADS = (*MEMBERS, OBSERVER, PARTNER, LATER)
JOINS_AFTER_DAYS = 3
STATS = {"examples": 0, "calls": 0, "adopted": 0, "refused": 0}

idx = st.integers(min_value=0, max_value=5)
calls = st.one_of(
    st.tuples(st.just("meeting"), st.integers(min_value=-30, max_value=30)),
    st.tuples(st.just("document")),
    st.tuples(st.just("version"), idx, st.booleans()),
    st.tuples(
        st.just("position"),
        idx,
        st.sampled_from(HEADS),
        st.sampled_from(["support", "reservation", "objection"]),
    ),
    st.tuples(st.just("all_support"), idx),
    st.tuples(st.just("open_silence"), idx, st.sampled_from([0.001, 1, 71, 72, 80])),
    st.tuples(st.just("break_silence"), idx, st.sampled_from(HEADS)),
    st.tuples(st.just("advance"), st.sampled_from([1, 24, 72, 100, 24 * 5])),
    st.tuples(st.just("verify"), idx, st.sampled_from(["ru", "zh"])),
    st.tuples(st.just("adopt"), idx, idx),
)


def _texts(n: int, *, english_only: bool = False) -> list[dict[str, Any]]:
    first = {"en": f"Paragraph 1, wording {n}."}
    if not english_only:
        first |= {"ru": f"Пункт 1, редакция {n}.", "zh": f"第1段，第{n}稿。"}
    return [
        {"key": "p1", "kind": "operative", "texts": first},
        {"key": "p2", "kind": "operative", "texts": {"en": "Two.", "ru": "Два.", "zh": "二。"}},
    ]


class Run:
    """One example: the calls so far and what they created."""

    def __init__(self, api: Any, actors: dict[str, Actor], traveller: Any) -> None:
        self.api, self.actors, self.traveller = api, actors, traveller
        self.docs: list[int] = []
        self.versions: dict[int, int] = {}
        self.meetings: list[int] = []

    def pick(self, items: list[int], i: int) -> int | None:
        return items[i % len(items)] if items else None

    def head(self, iso3: str) -> Actor:
        return self.actors[f"head-{iso3.lower()}"]

    def do(self, call: tuple[Any, ...]) -> None:
        kind, *args = call
        api, sec = self.api, self.actors["secretariat"]
        today = timezone.localdate()
        if kind == "meeting":
            on = (today + timedelta(days=args[0])).isoformat()
            r = api.post("/orgs/sco/meetings", sec, {"body": "chs", "start": on, "end": on})
            if r.status_code == 201:
                self.meetings.append(r.json()["id"])
            return
        if kind == "document":
            body = {
                "symbol": f"SCO/CHS/PROP/{len(self.docs) + 1}",
                "kind": "declaration",
                "title": {"en": "A property declaration"},
                "body": "chs",
                "languages": ["en", "ru", "zh"],
                "sponsors": ["KAZ"],
            }
            r = api.post("/orgs/sco/documents", self.head("KAZ"), body)
            assert r.status_code == 201, r.content
            self.docs.append(r.json()["id"])
            return
        if kind == "advance":
            self.traveller.shift(timedelta(hours=args[0]))
            return
        doc = self.pick(self.docs, args[0])
        if doc is None:
            return
        number = self.versions.get(doc, 0)
        if kind == "version":
            english_only = bool(args[1] and number)
            body = {"provisions": _texts(number + 1, english_only=english_only)}
            r = api.post(f"/documents/{doc}/versions", self.head("KAZ"), body)
            if r.status_code == 201:
                self.versions[doc] = r.json()["number"]
            return
        if not number:
            return
        v = f"/documents/{doc}/versions/{number}"
        if kind == "position":
            body = {"stand": args[2], "text": "noted", "provisions": ["p1"]}
            api.put(f"{v}/positions/{args[1]}", self.head(args[1]), body)
        elif kind == "all_support":
            for iso3 in MEMBERS:
                api.put(f"{v}/positions/{iso3}", self.head(iso3), {"stand": "support"})
        elif kind == "open_silence":
            deadline = (timezone.now() + timedelta(hours=args[1])).isoformat()
            api.post(f"{v}/actions/open-silence", sec, {"deadline": deadline})
        elif kind == "break_silence":
            api.post(f"{v}/actions/break-silence", self.head(args[1]), {"reason": "no"})
        elif kind == "verify":
            api.post(f"{v}/provisions/p1/texts/{args[1]}/actions/verify", sec)
        elif kind == "adopt":
            meeting = self.pick(self.meetings, args[1])
            if meeting is None:
                return
            r = api.post(f"{v}/actions/adopt", sec, {"meeting": meeting})
            assert r.status_code < 500, r.content
            if r.status_code == 200:
                STATS["adopted"] += 1
                _check_adoption(doc)
            else:
                STATS["refused"] += 1


def _members_on(on: date) -> set[str]:
    spans = Membership.objects.filter(organization__slug="sco", status="member", start__lte=on)
    return {m.state.iso3 for m in spans.select_related("state") if m.end is None or on < m.end}


def _check_adoption(doc: int) -> None:
    """The oracle: reads the rows, shares no code with the services' rules."""
    adoption = Adoption.objects.select_related("version", "version__document").get(document=doc)
    version, on = adoption.version, adoption.on
    assert on <= timezone.localdate(adoption.at), "adopted at a meeting that has not happened"
    assert on >= timezone.localdate(version.created_at), "adopted on a date before its version"
    latest: dict[str, str] = {}
    for p in Position.objects.filter(version=version).select_related("state").order_by("id"):
        latest[p.state.iso3] = p.stand
    silence = SilenceProcedure.objects.filter(version=version).order_by("opened_at", "id").last()
    deemed = bool(
        silence
        and silence.deadline <= adoption.at
        and silence.broken_by_id is None
        and silence.outcome != "broken"
    )
    for iso3 in sorted(_members_on(on)):
        stand = latest.get(iso3)
        assert stand != "objection", f"adopted over {iso3}'s objection on {on}"
        assert stand in ("support", "reservation") or deemed, f"{iso3} never answered ({on})"
    waiting = ProvisionText.objects.filter(provision__version=version, stale=True)
    assert not waiting.exists(), "adopted with a text awaiting verification"


@pytest.fixture
def cast(actors: dict[str, Actor], sco: Any) -> dict[str, Actor]:
    """The negotiation actors plus heads of an observer and of a state that becomes a
    member ``JOINS_AFTER_DAYS`` from today (before it, it is not entitled to block)."""
    today = timezone.localdate()
    for iso3, status, start in (
        (OBSERVER, "observer", date(2020, 1, 1)),
        (LATER, "member", today + timedelta(days=JOINS_AFTER_DAYS)),
    ):
        state, _ = State.objects.get_or_create(iso3=iso3, defaults={"names": {"en": iso3}})
        Membership.objects.get_or_create(
            organization=sco, state=state, start=start, defaults={"status": status}
        )
        user = user_upsert(
            username=f"head-{iso3.lower()}", role=Role.HEAD, organization=sco, state=state
        )
        actors[f"head-{iso3.lower()}"] = Actor(user, token_issue(user=user))
    return actors


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(calls, min_size=1, max_size=30))
def test_no_call_sequence_adopts_over_an_entitled_member(
    api: Any, cast: dict[str, Actor], sequence: list[tuple[Any, ...]]
) -> None:
    STATS["examples"] += 1
    # Every example starts with a document that every member supports and a meeting today,
    # so adoption is reachable; the drawn calls then change, break or race it.
    prefix: list[tuple[Any, ...]] = [("document",), ("version", 0, False), ("all_support", 0)]
    prefix.append(("meeting", 0))
    with transaction.atomic(), time_machine.travel(timezone.now(), tick=True) as traveller:
        run = Run(api, cast, traveller)
        for call in prefix + sequence:
            STATS["calls"] += 1
            run.do(call)
        transaction.set_rollback(True)


def test_the_property_ran(request: pytest.FixtureRequest) -> None:
    """Reports the figures of the run above (examples, calls, adoptions) for the summary;
    runs after it in file order."""
    request.node.user_properties.append(("property_stats", dict(STATS)))
    if STATS["examples"]:
        assert STATS["adopted"] + STATS["refused"] > 0
