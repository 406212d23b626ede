"""Issue 10's attacks on consensus, each tried as an attacker would with the roles the
platform hands out; each test failed on the code before the fix (see docs/security.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.negotiation import services
from concord.negotiation.models import Document, SilenceProcedure, Stage
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS
from concord.organization.models import Meeting

pytestmark = pytest.mark.django_db

OTHERS = tuple(m for m in MEMBERS if m != "BLR")


def _meeting_today(actors, sco) -> Meeting:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.meeting_create(
        actor=actors["secretariat"].user, org_slug=sco.slug, body="chs", start=today, end=today
    )


def _object(actors, doc: Document, iso3: str = "BLR") -> None:  # type: ignore[no-untyped-def]
    services.position_set(
        actor=actors[f"head-{iso3.lower()}"].user,
        document_id=doc.pk,
        version_number=1,
        iso3=iso3,
        stand="objection",
        provisions=["p1"],
    )


def _adopt(api, actors, doc: Document, meeting_id: int):  # type: ignore[no-untyped-def]
    return api.post(
        f"/documents/{doc.pk}/versions/1/actions/adopt",
        actors["secretariat"],
        {"meeting": meeting_id},
    )


# 1. backdated (and future) adoption -----------------------------------------------------


def test_1_a_meeting_cannot_be_entered_in_the_past(api, actors, sco) -> None:
    r = api.post(
        "/orgs/sco/meetings",
        actors["secretariat"],
        {"body": "chs", "start": "2024-01-10", "end": "2024-01-10"},
    )
    assert r.status_code == 422 and r.json()["field"] == "start"
    assert not Meeting.objects.filter(start="2024-01-10").exists()


def test_1_adoption_at_a_historical_meeting_before_the_version_is_refused(api, actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=OTHERS)
    _object(actors, doc)  # Belarus, a member since 2024-07-04, objects
    old = Meeting.objects.filter(organization=sco, body__slug="chs", start__year=2024).first()
    assert old is not None and old.start < timezone.localdate()
    r = _adopt(api, actors, doc, old.pk)
    assert r.status_code == 409 and "precedes" in r.json()["detail"]
    doc.refresh_from_db()
    assert doc.stage != Stage.ADOPTED


def test_1_adoption_dated_in_the_future_is_refused(api, actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=MEMBERS)
    later = timezone.localdate() + timedelta(days=30)
    meeting = services.meeting_create(
        actor=actors["secretariat"].user, org_slug=sco.slug, body="chs", start=later, end=later
    )
    r = _adopt(api, actors, doc, meeting.pk)
    assert r.status_code == 409 and "has not happened" in r.json()["detail"]
    assert _adopt(api, actors, doc, _meeting_today(actors, sco).pk).status_code == 200


# 2. acting for other states at submission -----------------------------------------------


def _submit(api, actor, **extra):  # type: ignore[no-untyped-def]
    body = {
        "symbol": "SCO/CHS/2026/DEC.5",
        "kind": "decision",
        "title": {"en": "A decision"},
        "body": "chs",
        "languages": ["en", "ru", "zh"],
        **extra,
    }
    return api.post("/orgs/sco/documents", actor, body)


@pytest.mark.parametrize("who", ["delegate-kaz", "head-kaz"])
def test_2_a_delegation_sponsors_and_pens_for_its_own_state_only(api, actors, sco, who) -> None:
    assert _submit(api, actors[who], sponsors=["KAZ", "RUS", "TUR"]).status_code == 403
    assert _submit(api, actors[who], sponsors=["KAZ"], penholder="RUS").status_code == 403
    assert not Document.objects.filter(symbol="SCO/CHS/2026/DEC.5").exists()
    assert _submit(api, actors[who], sponsors=["KAZ"]).status_code == 201


# 3. a silence procedure of two seconds --------------------------------------------------


def test_3_silence_runs_at_least_the_bodys_minimum_and_says_so(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    url = f"/documents/{doc.pk}/versions/1/actions/open-silence"
    soon = (timezone.now() + timedelta(seconds=2)).isoformat()
    r = api.post(url, actors["secretariat"], {"deadline": soon})
    assert r.status_code == 422 and "72" in r.json()["detail"]
    assert not SilenceProcedure.objects.filter(version__document=doc).exists()
    later = (timezone.now() + timedelta(hours=73)).isoformat()
    r = api.post(url, actors["secretariat"], {"deadline": later})
    assert r.status_code == 201 and r.json()["minimum_hours"] == 72


def test_3_the_minimum_is_configurable_per_body(api, actors, sco, settings) -> None:
    settings.CONCORD_SILENCE_MIN_HOURS = {"*": 72, "chs": 240}
    doc = factories.document(actors, sco)
    later = (timezone.now() + timedelta(hours=100)).isoformat()
    r = api.post(
        f"/documents/{doc.pk}/versions/1/actions/open-silence",
        actors["secretariat"],
        {"deadline": later},
    )
    assert r.status_code == 422 and "240" in r.json()["detail"]


# 4. a partner holding the pen -----------------------------------------------------------


@pytest.mark.parametrize("penholder", ["MNG", "TUR"])
def test_4_the_pen_goes_only_to_a_member(api, actors, sco, penholder) -> None:
    assert _submit(api, actors["secretariat"], penholder=penholder).status_code == 403
    assert _submit(api, actors["secretariat"], penholder="KAZ").status_code == 201


# 5. a delegate (not the head) of the penholder withdrawing ------------------------------


def test_5_only_the_head_of_the_penholders_delegation_withdraws(api, actors, sco) -> None:
    doc = factories.document(actors, sco)  # penned by Kazakhstan
    url = f"/documents/{doc.pk}/actions/withdraw"
    assert api.post(url, actors["delegate-kaz"], {"reason": "No."}).status_code == 403
    assert api.post(url, actors["head-rus"], {"reason": "No."}).status_code == 403
    doc.refresh_from_db()
    assert doc.stage != Stage.WITHDRAWN
    assert api.post(url, actors["head-kaz"], {"reason": "Withdrawn."}).status_code == 200


# 8. the stage says "agreed" while a member objects --------------------------------------


def test_8_an_expired_silence_does_not_make_an_objected_text_agreed(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=OTHERS)
    _object(actors, doc)
    deadline = timezone.now() + timedelta(hours=73)
    services.silence_open(
        actor=actors["secretariat"].user, document_id=doc.pk, version_number=1, deadline=deadline
    )
    assert services.silence_expire_due(now=deadline + timedelta(seconds=1)) == 1
    doc.refresh_from_db()
    assert doc.stage == Stage.NEGOTIATION


# 9. adoption of texts nobody agreed to --------------------------------------------------


def test_9_every_language_must_be_verified_or_the_refusal_names_the_waiting(
    api, actors, sco
) -> None:
    doc = factories.document(actors, sco)
    kaz = actors["head-kaz"].user
    items = factories.provisions(3)
    changed = [
        services.ProvisionIn(p.key, p.kind, {"en": p.texts["en"] + " Changed."}) for p in items
    ]
    services.version_create(actor=kaz, document_id=doc.pk, provisions=changed)
    for iso3 in MEMBERS:
        services.position_set(
            actor=actors[f"head-{iso3.lower()}"].user,
            document_id=doc.pk,
            version_number=2,
            iso3=iso3,
            stand="support",
        )
    meeting = _meeting_today(actors, sco)
    url = f"/documents/{doc.pk}/versions/2/actions/adopt"
    r = api.post(url, actors["secretariat"], {"meeting": meeting.pk})
    assert r.status_code == 409
    assert r.json()["params"]["waiting_languages"] == ["ru", "zh"]
    for item in items:
        for lang in ("ru", "zh"):
            services.translation_verify(
                actor=actors["secretariat"].user,
                document_id=doc.pk,
                version_number=2,
                key=item.key,
                lang=lang,
            )
    assert api.post(url, actors["secretariat"], {"meeting": meeting.pk}).status_code == 200


# 10. an objection during silence -------------------------------------------------------


def test_10_a_members_objection_breaks_the_silence(api, actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=OTHERS)
    deadline = timezone.now() + timedelta(hours=73)
    services.silence_open(
        actor=actors["secretariat"].user, document_id=doc.pk, version_number=1, deadline=deadline
    )
    _object(actors, doc)
    row = SilenceProcedure.objects.get(version__document=doc)
    assert (row.outcome, row.broken_by.iso3) == ("broken", "BLR")
    doc.refresh_from_db()
    assert doc.stage == Stage.NEGOTIATION
    # After the deadline nothing is deemed: the adoption is still refused.
    services.silence_expire_due(now=deadline + timedelta(seconds=1))
    assert _adopt(api, actors, doc, _meeting_today(actors, sco).pk).status_code == 409


def test_10_an_observers_objection_does_not_break_the_silence(actors, sco) -> None:
    doc = factories.document(actors, sco, shared=True)
    deadline = timezone.now() + timedelta(hours=73)
    services.silence_open(
        actor=actors["secretariat"].user, document_id=doc.pk, version_number=1, deadline=deadline
    )
    _object(actors, doc, "MNG")
    assert SilenceProcedure.objects.get(version__document=doc).outcome == "running"
