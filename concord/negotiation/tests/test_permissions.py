"""Role -> status tables, one per endpoint. Each row runs against a fresh document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils.timezone import localdate as timezone_today

from concord.audit.models import Event
from concord.negotiation.models import Amendment, Document, Position, Version
from concord.negotiation.tests import factories

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "stranger",
    "secretariat",
    "head-kaz",  # member, penholder
    "delegate-kaz",  # member delegate
    "head-ind",  # member
    "head-mng",  # observer, later partner
]


def _actor(actors, role):
    return None if role == "anonymous" else actors[role]


@pytest.mark.parametrize(
    ("role", "restricted", "shared", "expected"),
    [
        ("anonymous", False, False, 200),
        ("anonymous", True, False, 404),
        ("participant", True, False, 404),
        ("stranger", True, False, 404),
        ("secretariat", True, False, 200),
        ("head-ind", True, False, 200),
        ("delegate-kaz", True, False, 200),
        ("head-mng", True, False, 404),
        ("head-mng", True, True, 200),
        ("head-tur", True, True, 200),
    ],
)
def test_read_document(api, actors, sco, role, restricted, shared, expected) -> None:
    doc = factories.document(
        actors, sco, classification="restricted" if restricted else "public", shared=shared
    )
    actor = _actor(actors, role)
    assert api.get(f"/documents/{doc.pk}", actor).status_code == expected
    assert api.get(f"/documents/{doc.pk}/versions/1", actor).status_code == expected
    assert api.get(f"/documents/{doc.pk}/versions/1/consensus", actor).status_code == expected
    listed = [d["id"] for d in api.get("/orgs/sco/documents", actor).json()]
    assert (doc.pk in listed) == (expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 403),
        ("stranger", 403),
        ("secretariat", 201),
        ("head-kaz", 201),
        ("delegate-kaz", 201),
        ("head-mng", 403),
    ],
)
def test_submit_document(api, actors, sco, role, expected) -> None:
    body = {
        "symbol": "SCO/CHS/2025/DEC.9",
        "kind": "decision",
        "title": {"en": "A decision"},
        "body": "chs",
        "languages": ["en", "ru", "zh"],
    }
    r = api.post("/orgs/sco/documents", _actor(actors, role), body)
    assert r.status_code == expected, r.content
    assert Document.objects.filter(symbol="SCO/CHS/2025/DEC.9").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 403),
        ("secretariat", 201),
        ("head-kaz", 403),
    ],
)
def test_create_meeting(api, actors, sco, role, expected) -> None:
    r = api.post(
        "/orgs/sco/meetings",
        _actor(actors, role),
        {"body": "cfm", "start": TODAY, "end": TODAY, "city": "Bishkek"},
    )
    assert r.status_code == expected, r.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("secretariat", 403),  # the penholder alone issues versions
        ("head-kaz", 201),
        ("delegate-kaz", 201),
        ("head-ind", 403),
        ("head-mng", 404),
    ],
)
def test_create_version(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco)
    body = {"provisions": [{"key": "p1", "kind": "operative", "texts": {"en": "New text."}}]}
    r = api.post(f"/documents/{doc.pk}/versions", _actor(actors, role), body)
    assert r.status_code == expected, r.content
    assert Version.objects.filter(document=doc).count() == (2 if expected == 201 else 1)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("secretariat", 403),
        ("head-ind", 201),
        ("delegate-kaz", 201),
        ("head-mng", 403),  # partners read a shared text, they do not amend it
    ],
)
def test_propose_amendment(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco, shared=True)
    body = {"version": 1, "provision": "p2", "op": "delete", "reason": "Redundant"}
    r = api.post(f"/documents/{doc.pk}/amendments", _actor(actors, role), body)
    assert r.status_code == expected, r.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("secretariat", 200),
        ("head-kaz", 200),
        ("delegate-kaz", 200),
        ("head-ind", 403),  # the proposer does not decide on its own amendment
    ],
)
def test_accept_amendment(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco)
    a = api.post(
        f"/documents/{doc.pk}/amendments",
        actors["head-ind"],
        {"version": 1, "provision": "p2", "op": "delete", "reason": "Redundant"},
    ).json()["id"]
    r = api.post(f"/amendments/{a}/actions/accept", _actor(actors, role))
    assert r.status_code == expected, r.content
    assert Amendment.objects.get(pk=a).status == ("accepted" if expected == 200 else "proposed")


@pytest.mark.parametrize(
    ("role", "iso3", "expected"),
    [
        ("anonymous", "KAZ", 401),
        ("participant", "KAZ", 404),
        ("secretariat", "KAZ", 403),
        ("head-kaz", "KAZ", 200),
        ("head-kaz", "CHN", 403),  # never another state's position
        ("delegate-kaz", "KAZ", 403),  # only the head of delegation
        ("head-ind", "IND", 200),
        ("head-mng", "MNG", 200),  # recorded; never blocks
        ("head-mng", "KAZ", 403),
        ("stranger", "BRA", 404),  # cannot even see the restricted document
        ("head-kaz", "XXX", 404),
    ],
)
def test_set_position(api, actors, sco, role, iso3, expected) -> None:
    doc = factories.document(actors, sco, shared=True)
    r = api.put(
        f"/documents/{doc.pk}/versions/1/positions/{iso3}",
        _actor(actors, role),
        {"stand": "support"},
    )
    assert r.status_code == expected, r.content
    assert Position.objects.filter(version__document=doc).count() == (expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("head-kaz", 403),
        ("secretariat", 201),
    ],
)
def test_open_silence(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco)
    deadline = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/open-silence",
        _actor(actors, role),
        {"deadline": deadline},
    )
    assert r.status_code == expected, r.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("secretariat", 403),
        ("delegate-kaz", 403),
        ("head-mng", 403),  # a partner cannot break silence
        ("head-ind", 200),
    ],
)
def test_break_silence(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco, shared=True)
    deadline = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    api.post(
        f"/documents/{doc.pk}/versions/1/actions/open-silence",
        actors["secretariat"],
        {"deadline": deadline},
    )
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/break-silence",
        _actor(actors, role),
        {"reason": "We need more time."},
    )
    assert r.status_code == expected, r.content


MEMBERS_ALL = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("head-kaz", 403),
        ("secretariat", 200),
    ],
)
def test_adopt(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco, supporters=MEMBERS_ALL)
    meeting = api.post(
        "/orgs/sco/meetings",
        actors["secretariat"],
        {"body": "chs", "start": TODAY, "end": TODAY},
    ).json()["id"]
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/adopt", _actor(actors, role), {"meeting": meeting}
    )
    assert r.status_code == expected, r.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("participant", 404),
        ("head-ind", 403),
        ("head-kaz", 200),  # the penholder may withdraw its draft
        ("secretariat", 200),
    ],
)
def test_withdraw(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco)
    r = api.post(
        f"/documents/{doc.pk}/actions/withdraw", _actor(actors, role), {"reason": "Overtaken."}
    )
    assert r.status_code == expected, r.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("head-kaz", 403), ("secretariat", 200)],
)
def test_verify_translation(api, actors, sco, role, expected) -> None:
    doc = factories.document(actors, sco)
    r = api.post(
        f"/documents/{doc.pk}/versions/1/provisions/p1/texts/ru/actions/verify",
        _actor(actors, role),
    )
    assert r.status_code == expected, r.content


def test_forbidden_acts_leave_no_audit_event(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    before = Event.objects.count()
    api.put(
        f"/documents/{doc.pk}/versions/1/positions/CHN",
        actors["head-kaz"],
        {"stand": "objection", "provisions": ["p1"]},
    )
    api.post(f"/documents/{doc.pk}/versions", actors["head-ind"], {"from_amendments": [1]})
    assert Event.objects.count() == before
