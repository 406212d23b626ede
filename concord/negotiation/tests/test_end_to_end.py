"""Issue 3 acceptance: the whole lifecycle through the REST API.

Ten member delegations, one observer (Mongolia) and one dialogue partner (Türkiye): a
draft, two versions (the second from accepted amendments, brackets removed), positions,
an objection that blocks, a silence procedure broken and another that expires, adoption at
a meeting of the Council of Heads of State, and the exports. The observer's objection
never blocks; Iran is not required for a decision dated 2023-01-01 and is for 2023-08-01.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.utils.timezone import localdate as timezone_today

from concord.audit.services import chain_verify
from concord.negotiation import tasks
from concord.negotiation.models import Document, Position, SilenceProcedure
from concord.negotiation.publication import validate_akn
from concord.negotiation.tests.conftest import MEMBERS

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db

TEXTS = {
    "p1": {
        "en": "Recalling the Charter of the Organization,",
        "ru": "Ссылаясь на Хартию Организации,",
        "zh": "回顾本组织宪章，",
    },
    "p2": {
        "en": "The Member States support a just and equitable world order.",
        "ru": "Государства-члены выступают за справедливый миропорядок.",
        "zh": "成员国支持公正合理的世界秩序。",
    },
    "p3": {
        "en": "The Member States will deepen cooperation on energy and digital matters.",
        "ru": "Государства-члены углубят сотрудничество в энергетике и цифровой сфере.",
        "zh": "成员国将深化能源和数字领域合作。",
    },
}


def _iso(dt: datetime) -> str:
    return dt.isoformat()


def test_lifecycle_through_the_api(api, actors, sco, settings) -> None:
    # This body runs silence procedures of any length, so one can expire during the test.
    settings.CONCORD_SILENCE_MIN_HOURS = {"*": 0}
    sec, kaz, ind, mng, tur = (
        actors["secretariat"],
        actors["head-kaz"],
        actors["head-ind"],
        actors["head-mng"],
        actors["head-tur"],
    )

    # The secretariat schedules a summit of the Council of Heads of State.
    r = api.post(
        "/orgs/sco/meetings",
        sec,
        {
            "body": "chs",
            "start": TODAY,
            "end": TODAY,
            "city": "Tianjin",
            "host": "CHN",
        },
    )
    assert r.status_code == 201, r.content
    meeting = r.json()["id"]
    other = api.post(
        "/orgs/sco/meetings", sec, {"body": "cfm", "start": TODAY, "end": TODAY}
    ).json()["id"]

    # Kazakhstan's foreign ministry submits a draft; it holds the pen.
    r = api.post(
        "/orgs/sco/documents",
        kaz,
        {
            "symbol": "SCO/CHS/2025/DECL.1",
            "kind": "declaration",
            "title": {"en": "Test Declaration", "ru": "Тестовая декларация", "zh": "测试宣言"},
            "body": "chs",
            "meeting": meeting,
            "sponsors": ["KAZ"],
            "classification": "restricted",
            "languages": ["en", "ru", "zh"],
            "shared_with_partners": True,
        },
    )
    assert r.status_code == 201, r.content
    doc = r.json()
    d = doc["id"]
    assert doc["stage"] == "draft" and doc["penholder"] == "KAZ"
    # China co-sponsors by its own act (a delegation sponsors for its own state only).
    assert api.post(f"/documents/{d}/sponsors/CHN", actors["head-chn"]).status_code == 201
    doc = api.get(f"/documents/{d}", kaz).json()
    assert doc["sponsors"] == ["CHN", "KAZ"]
    # Restricted: invisible to a participant and to anonymous callers.
    assert api.get(f"/documents/{d}", actors["participant"]).status_code == 404
    assert api.get(f"/documents/{d}").status_code == 404
    assert api.get(f"/documents/{d}", mng).status_code == 200  # shared with partners

    # Version 1: three provisions, one bracketed by India.
    p2_en = TEXTS["p2"]["en"]
    start = p2_en.index("just and equitable")
    v1 = {
        "note": "first draft",
        "provisions": [
            {"key": "p1", "kind": "preamble", "texts": TEXTS["p1"]},
            {
                "key": "p2",
                "kind": "operative",
                "texts": TEXTS["p2"],
                "brackets": [
                    {"span": [start, start + len("just and equitable")], "held_by": ["IND"]}
                ],
            },
            {"key": "p3", "kind": "operative", "texts": TEXTS["p3"]},
        ],
    }
    assert api.post(f"/documents/{d}/versions", ind, v1).status_code == 403  # not the penholder
    r = api.post(f"/documents/{d}/versions", kaz, v1)
    assert r.status_code == 201, r.content
    assert r.json()["number"] == 1 and r.json()["bracketed"] == ["p2"]
    assert r.json()["symbol"] == "SCO/CHS/2025/DECL.1"

    r = api.get(f"/documents/{d}/versions/1/consensus?on=2025-08-31", kaz)
    assert r.json()["reached"] is False and r.json()["bracketed"] == ["p2"]
    # A bracketed version cannot go to silence.
    deadline = datetime.now(UTC) + timedelta(hours=1)
    r = api.post(
        f"/documents/{d}/versions/1/actions/open-silence", sec, {"deadline": _iso(deadline)}
    )
    assert r.status_code == 409, r.content

    # Amendments: India proposes compromise wording for p2 (in all three languages, which
    # removes the brackets), Russia inserts p4, China would delete p3.
    compromise = {
        "en": "The Member States support a more representative, multipolar world order.",
        "ru": "Государства-члены выступают за более представительный многополярный миропорядок.",
        "zh": "成员国支持更具代表性的多极世界秩序。",
    }
    a1 = api.post(
        f"/documents/{d}/amendments",
        ind,
        {
            "version": 1,
            "provision": "p2",
            "op": "replace",
            "texts": compromise,
            "reason": "Compromise wording",
        },
    )
    assert a1.status_code == 201, a1.content
    a2 = api.post(
        f"/documents/{d}/amendments",
        actors["head-rus"],
        {
            "version": 1,
            "provision": "p4",
            "op": "insert",
            "after": "p3",
            # Every language at once: an empty translation would make the text unadoptable.
            "texts": {
                "en": "The Member States welcome cultural exchanges.",
                "ru": "Государства-члены приветствуют культурные обмены.",
                "zh": "成员国欢迎文化交流。",
            },
            "reason": "Humanitarian ties",
        },
    )
    assert a2.status_code == 201, a2.content
    a3 = api.post(
        f"/documents/{d}/amendments",
        actors["head-chn"],
        {"version": 1, "provision": "p3", "op": "delete", "reason": "Covered elsewhere"},
    )
    assert a3.status_code == 201, a3.content
    # An observer does not amend.
    assert (
        api.post(
            f"/documents/{d}/amendments",
            mng,
            {"version": 1, "provision": "p3", "op": "delete", "reason": "x"},
        ).status_code
        == 403
    )
    a1, a2, a3 = a1.json()["id"], a2.json()["id"], a3.json()["id"]
    assert api.post(f"/amendments/{a1}/actions/accept", ind).status_code == 403
    assert api.post(f"/amendments/{a1}/actions/accept", kaz).json()["status"] == "accepted"
    assert api.post(f"/amendments/{a2}/actions/accept", kaz).status_code == 200
    assert api.post(f"/amendments/{a3}/actions/reject", kaz).json()["status"] == "rejected"
    assert api.post(f"/amendments/{a3}/actions/accept", kaz).status_code == 409
    assert (
        api.post(f"/documents/{d}/versions", kaz, {"from_amendments": [a3]}).status_code == 409
    )  # rejected

    # Russia supports version 1 before version 2 exists...
    r = api.put(
        f"/documents/{d}/versions/1/positions/RUS", actors["head-rus"], {"stand": "support"}
    )
    assert r.status_code == 200, r.content

    # Version 2 from the accepted amendments: the brackets are gone.
    revision = api.get(f"/documents/{d}", kaz).json()["revision"]
    r = api.post(
        f"/documents/{d}/versions",
        kaz,
        {"from_amendments": [a1, a2], "note": "amendments 1-2", "revision": revision},
    )
    assert r.status_code == 201, r.content
    v2 = r.json()
    assert v2["number"] == 2 and v2["bracketed"] == []
    assert v2["symbol"] == "SCO/CHS/2025/DECL.1/Rev.1"
    assert [p["key"] for p in v2["provisions"]] == ["p1", "p2", "p3", "p4"]
    p4 = next(p for p in v2["provisions"] if p["key"] == "p4")
    assert p4["stale"] == []  # given in every language: nothing awaits a translator
    # The stale write (the revision read before version 2) gets 409.
    r = api.post(f"/documents/{d}/versions", kaz, {"from_amendments": [a1], "revision": revision})
    assert r.status_code == 409

    # ...so it must reconfirm on version 2: version 1 is superseded.
    assert (
        api.put(
            f"/documents/{d}/versions/1/positions/RUS", actors["head-rus"], {"stand": "support"}
        ).status_code
        == 409
    )
    r = api.get(f"/documents/{d}/versions/2/consensus?on=2025-08-31", kaz).json()
    assert r["reached"] is False and "RUS" in r["pending"]

    diff = api.get(f"/documents/{d}/versions/2/diff?against=1&lang=en", kaz).json()
    changes = {p["key"]: p["change"] for p in diff["provisions"]}
    assert changes == {"p1": "unchanged", "p2": "changed", "p3": "unchanged", "p4": "added"}

    # Nobody sets another state's position.
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/CHN",
            kaz,
            {"stand": "objection", "provisions": ["p2"]},
        ).status_code
        == 403
    )
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/KAZ", actors["delegate-kaz"], {"stand": "support"}
        ).status_code
        == 403
    )

    # Positions: eight members support; India objects to p3; Iran and Pakistan wait.
    for iso3 in ("BLR", "CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"):
        r = api.put(
            f"/documents/{d}/versions/2/positions/{iso3}",
            actors[f"head-{iso3.lower()}"],
            {"stand": "support"},
        )
        assert r.status_code == 200, r.content
    r = api.put(
        f"/documents/{d}/versions/2/positions/IND",
        ind,
        {"stand": "objection", "provisions": ["p3"], "text": "Energy is bilateral."},
    )
    assert r.status_code == 200, r.content
    # The observer objects and the dialogue partner makes a reservation: recorded, not blocking.
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/MNG",
            mng,
            {"stand": "objection", "provisions": ["p2"]},
        ).status_code
        == 200
    )
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/TUR",
            tur,
            {"stand": "reservation", "text": "Türkiye reads p2 as..."},
        ).status_code
        == 200
    )

    r = api.get(f"/documents/{d}/versions/2/consensus?on=2025-08-31", kaz).json()
    assert r["reached"] is False
    assert r["blocking"] == ["IND"]  # Mongolia's objection does not block
    assert r["pending"] == ["IRN", "PAK"]
    assert "IND objects to p3" in r["explanation"]
    assert "MNG" in r["explanation"] and "does not block" in r["explanation"]

    # Iran was an observer on 2023-01-01 (not required) and a member on 2023-08-01.
    early = api.get(f"/documents/{d}/versions/2/consensus?on=2023-01-01", kaz).json()
    late = api.get(f"/documents/{d}/versions/2/consensus?on=2023-08-01", kaz).json()
    assert "IRN" not in early["pending"] + early["blocking"]
    assert "IRN" in late["pending"]
    assert "BLR" not in late["pending"]  # Belarus joined in July 2024; it supports anyway

    # Adoption refused while India objects: 409 with the explanation.
    r = api.post(f"/documents/{d}/versions/2/actions/adopt", sec, {"meeting": meeting})
    assert r.status_code == 409
    assert "IND" in r.json()["detail"] and r.json()["params"]["blocking"] == ["IND"]

    # A silence procedure (deadline in Astana's time zone); India breaks it.
    astana = timezone(timedelta(hours=5))
    deadline = (datetime.now(UTC) + timedelta(hours=2)).astimezone(astana)
    r = api.post(
        f"/documents/{d}/versions/2/actions/open-silence", sec, {"deadline": _iso(deadline)}
    )
    assert r.status_code == 201, r.content
    assert api.get(f"/documents/{d}", kaz).json()["stage"] == "silence"
    # Naive deadlines are refused; so is a second procedure, an observer's break, no reason.
    assert (
        api.post(
            f"/documents/{d}/versions/2/actions/break-silence", mng, {"reason": "no"}
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/documents/{d}/versions/2/actions/break-silence", ind, {"reason": ""}
        ).status_code
        == 422
    )
    r = api.post(
        f"/documents/{d}/versions/2/actions/break-silence",
        ind,
        {"reason": "Paragraph 3 is not acceptable."},
    )
    assert r.status_code == 200, r.content
    assert r.json()["outcome"] == "broken" and r.json()["broken_by"] == "IND"
    assert api.get(f"/documents/{d}", kaz).json()["stage"] == "negotiation"

    # India moves to a reservation; a second silence expires unbroken.
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/IND",
            ind,
            {"stand": "reservation", "text": "India reserves on p3."},
        ).status_code
        == 200
    )
    naive = (datetime.now(UTC) + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert (
        api.post(
            f"/documents/{d}/versions/2/actions/open-silence", sec, {"deadline": naive}
        ).status_code
        == 422
    )
    deadline = (datetime.now(UTC) + timedelta(seconds=1.5)).astimezone(astana)
    r = api.post(
        f"/documents/{d}/versions/2/actions/open-silence", sec, {"deadline": _iso(deadline)}
    )
    assert r.status_code == 201, r.content
    assert (
        api.post(
            f"/documents/{d}/versions/2/actions/open-silence",
            sec,
            {"deadline": _iso(deadline + timedelta(hours=1))},
        ).status_code
        == 409
    )
    time.sleep(1.6)
    assert (
        api.post(
            f"/documents/{d}/versions/2/actions/break-silence", ind, {"reason": "too late"}
        ).status_code
        == 409
    )
    assert tasks.expire_silence_procedures() == 1
    assert tasks.expire_silence_procedures() == 0
    assert Document.objects.get(pk=d).stage == "agreed"
    r = api.get(f"/documents/{d}/versions/2/consensus?on=2025-08-31", kaz).json()
    assert r["reached"] is True and r["deemed"] == ["IRN", "PAK"]

    # Adoption: not at a meeting of another body; at the summit, yes.
    assert (
        api.post(f"/documents/{d}/versions/2/actions/adopt", sec, {"meeting": other}).status_code
        == 409
    )
    assert (
        api.post(f"/documents/{d}/versions/2/actions/adopt", kaz, {"meeting": meeting}).status_code
        == 403
    )
    r = api.post(f"/documents/{d}/versions/2/actions/adopt", sec, {"meeting": meeting})
    assert r.status_code == 200, r.content
    head = r.json()["audit_head"]
    assert len(head) == 64
    assert api.get(f"/documents/{d}", kaz).json()["stage"] == "adopted"
    # Adopted is final.
    assert (
        api.put(
            f"/documents/{d}/versions/2/positions/PAK", actors["head-pak"], {"stand": "support"}
        ).status_code
        == 409
    )
    assert (
        api.post(f"/documents/{d}/versions/2/actions/adopt", sec, {"meeting": meeting}).status_code
        == 409
    )
    # An explanation of position is linked to the decision, never put into the text.
    r = api.post(f"/documents/{d}/explanations", ind, {"text": "India joined the consensus."})
    assert r.status_code == 201, r.content

    # Readiness of the summit.
    rows = api.get(f"/meetings/{meeting}/readiness", sec).json()
    assert rows[0]["symbol"] == "SCO/CHS/2025/DECL.1" and rows[0]["stage"] == "adopted"
    assert rows[0]["unverified_languages"] == []  # adopted texts are verified texts

    # Exports, in each language.
    for lang in ("en", "ru", "zh"):
        html = api.get(f"/documents/{d}/adopted.html?lang={lang}", sec)
        assert html.status_code == 200, html.content
        assert head in html.content.decode()
        pdf = api.get(f"/documents/{d}/adopted.pdf?lang={lang}", sec)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        akn = api.get(f"/documents/{d}/adopted.akn.xml?lang={lang}", sec)
        assert akn.status_code == 200 and b"akomaNtoso" in akn.content
        assert validate_akn(akn.content) == []  # the OASIS Akoma Ntoso 3.0 schema
        assert b"[" not in akn.content.split(b"<body")[-1]  # no bracket left in the text

    # Positions are history: India's objection is still on record.
    assert Position.objects.filter(state__iso3="IND", stand="objection").exists()
    assert SilenceProcedure.objects.filter(outcome="broken").count() == 1
    assert set(MEMBERS) >= {"IRN", "PAK"}

    r = api.get("/audit/verify", sec).json()
    assert r["ok"] is True and r["events"] > 20
    assert chain_verify().ok
