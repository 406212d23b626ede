"""The tamper suite: someone with database access alters, deletes, inserts and reorders
each kind of row a decision depends on, behind the services' back; ``audit verify`` must
name every change. The root conftest prints how many cases were detected of how many tried.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from concord import cli
from concord.accounts.models import ApiToken, User
from concord.audit import chain
from concord.audit.models import Event, Head
from concord.audit.services import chain_verify
from concord.negotiation import services
from concord.negotiation.models import (
    Adoption,
    Amendment,
    Bracket,
    Document,
    Position,
    ProvisionText,
    SilenceProcedure,
    Version,
)
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS
from concord.organization.models import Meeting, Membership, State

pytestmark = [pytest.mark.django_db, pytest.mark.tamper]


def _sql(query: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])


@pytest.fixture
def record(actors, sco):  # type: ignore[no-untyped-def]
    """An honest record: an adopted declaration, a bracketed one with an accepted amendment,
    one with a broken and a running silence procedure; ``audit verify`` passes on it."""
    sec = actors["secretariat"].user
    today = timezone.localdate()
    meeting = services.meeting_create(
        actor=sec, org_slug=sco.slug, body="chs", start=today, end=today
    )
    adopted = factories.document(actors, sco, supporters=MEMBERS)
    services.adoption_record(
        actor=sec, document_id=adopted.pk, version_number=1, meeting_id=meeting.pk
    )
    bracketed = factories.document(
        actors, sco, symbol="SCO/CHS/2025/DEC.2", bracket_first=True, supporters=("KAZ", "CHN")
    )
    amendment = services.amendment_propose(
        actor=actors["head-chn"].user,
        document_id=bracketed.pk,
        version_number=1,
        provision="p2",
        op="replace",
        texts={"en": "The Member States agree to cooperate."},
        reason="Shorter.",
    )
    services.amendment_accept(actor=actors["head-kaz"].user, amendment_id=amendment.pk)
    silent = factories.document(actors, sco, symbol="SCO/CHS/2025/DEC.3")
    deadline = timezone.now() + timedelta(hours=80)
    services.silence_open(actor=sec, document_id=silent.pk, version_number=1, deadline=deadline)
    services.silence_break(
        actor=actors["head-ind"].user, document_id=silent.pk, version_number=1, reason="Not yet."
    )
    services.silence_open(actor=sec, document_id=silent.pk, version_number=1, deadline=deadline)
    assert chain_verify().ok, chain_verify().problems
    return {"adopted": adopted, "bracketed": bracketed, "silent": silent, "meeting": meeting}


def _rehash_from(seq: int) -> None:
    """What an attacker with database access does after editing event ``seq``: recompute
    every digest and hash from there on, and move the head, so the chain holds again."""
    prev = Event.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in Event.objects.filter(seq__gte=seq).order_by("seq"):
        event.payload_digest = chain.digest(event.payload)
        event.prev_hash = prev
        event.hash = chain.link_hash(
            seq=event.seq,
            at=event.at,
            actor=event.actor_label,
            act=event.act,
            obj=f"{event.object_type}:{event.object_id}",
            payload_digest=event.payload_digest,
            prev=prev,
        )
        event.save()
        prev = event.hash
    last = Event.objects.order_by("-seq").first()
    Head.objects.update_or_create(
        id=1, defaults={"seq": last.seq if last else 0, "hash": prev if last else "0" * 64}
    )


def _truncate_after(seq: int) -> None:
    Event.objects.filter(seq__gt=seq).delete()
    last = Event.objects.get(seq=seq)
    Head.objects.filter(id=1).update(seq=seq, hash=last.hash)


def _position(stand: str = "support") -> Position:
    return Position.objects.filter(stand=stand).order_by("id").first()  # type: ignore[return-value]


def _swap_event_seqs() -> None:
    a, b = Event.objects.order_by("-seq")[:2]
    _sql("UPDATE audit_event SET seq = %s WHERE id = %s", [10**9, a.pk])
    _sql("UPDATE audit_event SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _sql("UPDATE audit_event SET seq = %s WHERE id = %s", [b.seq, a.pk])


def _rewrite_position_and_log(r: dict) -> None:  # type: ignore[type-arg]
    """The thorough attacker: turn a support into an objection in the row AND its event,
    and recompute the chain from there."""
    row = _position()
    Position.objects.filter(pk=row.pk).update(stand="objection", provisions=["p1"])
    event = Event.objects.get(act="position.set", object_id=str(row.pk))
    event.payload = {**event.payload, "stand": "objection", "provisions": ["p1"]}
    event.save()
    _rehash_from(event.seq)


def _swap_position_states() -> None:
    a, b = Position.objects.order_by("id")[:2]
    Position.objects.filter(pk=a.pk).update(state=b.state_id)
    Position.objects.filter(pk=b.pk).update(state=a.state_id)


def _forge_position(r: dict) -> None:  # type: ignore[type-arg]
    row = _position()
    Position.objects.create(
        version=row.version,
        state=State.objects.get(iso3="RUS"),
        stand="objection",
        provisions=["p1"],
        by=row.by,
        at=timezone.now(),
    )


def _delete_a_version(r: dict) -> None:  # type: ignore[type-arg]
    Version.objects.filter(document=r["silent"]).delete()


def _forge_membership(r: dict) -> None:  # type: ignore[type-arg]
    tur = State.objects.get(iso3="TUR")
    Membership.objects.create(
        organization=r["meeting"].organization,
        state=tur,
        status="member",
        start=timezone.localdate() - timedelta(days=1),
    )


CASES: dict[str, Callable[[dict], None]] = {  # type: ignore[type-arg]
    # the log itself
    "event payload edited": lambda r: _sql(
        "UPDATE audit_event SET payload = %s WHERE seq = 3", ['{"forged": true}']
    ),
    "event act renamed": lambda r: _sql("UPDATE audit_event SET act = 'x.y' WHERE seq = 4"),
    "event actor rewritten": lambda r: _sql(
        "UPDATE audit_event SET actor_label = 'head-rus@RUS' WHERE seq = 5"
    ),
    "event time moved": lambda r: Event.objects.filter(seq=6).update(
        at=timezone.now() - timedelta(days=400)
    ),
    "event in the middle deleted": lambda r: Event.objects.filter(seq=7).delete(),
    "two events reordered": lambda r: _swap_event_seqs(),
    "suffix truncated and head moved back": lambda r: _truncate_after(
        Event.objects.get(act="document.adopt").seq - 1
    ),
    "log rewritten from a point, rows to match": _rewrite_position_and_log,
    "whole log wiped": lambda r: (Event.objects.all().delete(), Head.objects.all().delete()),
    "head row deleted": lambda r: Head.objects.all().delete(),
    "head moved back one event": lambda r: Head.objects.filter(id=1).update(
        seq=Event.objects.count() - 1
    ),
    # positions
    "position stand flipped": lambda r: Position.objects.filter(pk=_position().pk).update(
        stand="objection", provisions=["p1"]
    ),
    "position deleted": lambda r: Position.objects.filter(pk=_position().pk).delete(),
    "position forged": _forge_position,
    "positions reordered between states": lambda r: _swap_position_states(),
    "position reservation text edited": lambda r: Position.objects.filter(pk=_position().pk).update(
        text="forged"
    ),
    # versions, texts, brackets
    "version symbol edited": lambda r: Version.objects.filter(document=r["adopted"]).update(
        symbol="SCO/CHS/2025/DEC.9"
    ),
    "version deleted": _delete_a_version,
    "adopted text edited": lambda r: ProvisionText.objects.filter(
        provision__version__document=r["adopted"], language="ru"
    ).update(text="Подделка."),
    "bracket deleted": lambda r: Bracket.objects.all().delete(),
    "bracket holders changed": lambda r: Bracket.objects.update(held_by=["PAK"]),
    # amendments
    "amendment status reverted": lambda r: Amendment.objects.update(status="proposed"),
    "amendment text edited": lambda r: Amendment.objects.update(texts={"en": "Forged."}),
    # silence procedures
    "silence deadline shortened": lambda r: SilenceProcedure.objects.filter(
        outcome="running"
    ).update(deadline=timezone.now() + timedelta(seconds=2)),
    "broken silence turned expired": lambda r: SilenceProcedure.objects.filter(
        outcome="broken"
    ).update(outcome="expired"),
    # adoptions and stages
    "adoption backdated": lambda r: Adoption.objects.update(on="2024-01-10"),
    "adoption head rewritten": lambda r: Adoption.objects.update(audit_head="f" * 64),
    "adoption deleted": lambda r: (
        Adoption.objects.all().delete(),
        Document.objects.filter(pk=r["adopted"].pk).update(stage="agreed"),
    ),
    "stage set to adopted without adoption": lambda r: Document.objects.filter(
        pk=r["bracketed"].pk
    ).update(stage="adopted"),
    # memberships and meetings
    "membership start moved": lambda r: Membership.objects.filter(
        state__iso3="BLR", status="member"
    ).update(start="2001-06-15"),
    "membership span deleted": lambda r: Membership.objects.filter(
        state__iso3="BLR", status="member"
    ).delete(),
    "membership forged": _forge_membership,
    "meeting backdated": lambda r: Meeting.objects.filter(pk=r["meeting"].pk).update(
        start="2024-01-10"
    ),
    # roles and tokens
    "participant promoted to secretariat": lambda r: User.objects.filter(
        username="participant"
    ).update(role="secretariat", is_staff=True),
    "head moved to another state": lambda r: User.objects.filter(username="head-kaz").update(
        state=State.objects.get(iso3="RUS")
    ),
    "revoked token revived": lambda r: ApiToken.objects.filter(user__username="head-kaz").update(
        revoked_at=None
    ),
    "token forged": lambda r: ApiToken.objects.create(
        user=User.objects.get(username="secretariat"), digest="a" * 64
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_detected(record, case, capsys) -> None:  # type: ignore[no-untyped-def]
    if case == "revoked token revived":
        from concord.accounts.services import token_issue

        token_issue(user=User.objects.get(username="head-kaz"))  # the old token is revoked
        assert chain_verify().ok
    CASES[case](record)
    result = chain_verify()
    assert not result.ok, f"not detected: {case}"
    assert cli.main(["audit", "verify"]) == 1
    assert "audit record BROKEN" in capsys.readouterr().err


def test_the_head_deleted_refuses_the_next_act_with_a_problem_not_a_500(api, actors, record):
    Head.objects.all().delete()
    doc = record["silent"]
    r = api.put(
        f"/documents/{doc.pk}/versions/1/positions/RUS", actors["head-rus"], {"stand": "support"}
    )
    assert r.status_code == 503
    assert r.json()["code"] == "audit_record_broken"
    assert r["Content-Type"].startswith("application/problem+json")
    assert "head row is missing" in chain_verify().problem + " ".join(chain_verify().problems)


def _checkpoint(tmp_path: Path, settings, capsys) -> Path:  # type: ignore[no-untyped-def]
    settings.CONCORD_AUDIT_KEY = tmp_path / "key.pem"
    out = tmp_path / "checkpoint.json"
    assert cli.main(["audit", "checkpoint", "--out", str(out)]) == 0
    assert cli.main(["audit", "verify", "--checkpoint", str(out)]) == 0
    assert "the log extends it" in capsys.readouterr().out
    return out


def test_a_checkpoint_holds_while_the_log_grows(record, actors, tmp_path, settings, capsys):
    out = _checkpoint(tmp_path, settings, capsys)
    factories.document(actors, record["meeting"].organization, symbol="SCO/CHS/2025/DEC.7")
    assert cli.main(["audit", "verify", "--checkpoint", str(out)]) == 0
    assert json.loads(out.read_text())["events"] < Event.objects.count()


@pytest.mark.tamper
@pytest.mark.parametrize("attack", ["truncate the suffix", "rewrite and rehash", "forge"])
def test_a_checkpoint_detects_what_the_chain_alone_cannot(
    record, tmp_path, settings, capsys, attack
):
    out = _checkpoint(tmp_path, settings, capsys)
    if attack == "truncate the suffix":
        # The last acts (a silence procedure's events) vanish; the rest still chains.
        _truncate_after(Event.objects.count() - 1)
        SilenceProcedure.objects.filter(outcome="running").delete()
    elif attack == "rewrite and rehash":
        event = Event.objects.order_by("-seq").first()
        event.payload = {**event.payload, "deadline": "2030-01-01T00:00:00+00:00"}
        event.save()
        _rehash_from(event.seq)
        SilenceProcedure.objects.filter(outcome="running").update(deadline="2030-01-01T00:00Z")
    else:
        data = json.loads(out.read_text())
        data["head"] = "0" * 64
        out.write_text(json.dumps(data))
    assert cli.main(["audit", "verify", "--checkpoint", str(out)]) == 1
    assert "audit checkpoint FAILS" in capsys.readouterr().err
