"""Guards and lifecycle details not covered by the end-to-end test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils.timezone import localdate as timezone_today

from concord.audit.models import Event
from concord.common.errors import Conflict
from concord.negotiation import services
from concord.negotiation.models import Document, ProvisionText, SilenceProcedure, Sponsorship
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db


def test_database_guards_hold_without_the_services(actors, sco) -> None:
    doc = factories.document(actors, sco)
    version = doc.versions.get()
    now = datetime.now(UTC)
    SilenceProcedure.objects.create(
        version=version,
        opened_by=actors["secretariat"].user,
        opened_at=now,
        deadline=now + timedelta(days=1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SilenceProcedure.objects.create(
            version=version,
            opened_by=actors["secretariat"].user,
            opened_at=now,
            deadline=now + timedelta(days=2),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            organization=sco, symbol=doc.symbol, kind="decision", body=doc.body, created_at=now
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Sponsorship.objects.create(document=doc, state=doc.penholder, joined_at=now)


def test_stale_write_with_if_match_gets_409(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    kaz = actors["head-kaz"]
    r = api.put(
        f"/documents/{doc.pk}/versions/1/positions/KAZ",
        kaz,
        {"stand": "support"},
        HTTP_IF_MATCH=str(doc.revision - 1),
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = api.put(
        f"/documents/{doc.pk}/versions/1/positions/KAZ",
        kaz,
        {"stand": "support"},
        HTTP_IF_MATCH=str(doc.revision),
    )
    assert r.status_code == 200


def test_worker_expires_only_due_procedures_and_is_idempotent(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=("KAZ",))
    deadline = datetime.now(UTC) + timedelta(hours=73)
    services.silence_open(
        actor=actors["secretariat"].user, document_id=doc.pk, version_number=1, deadline=deadline
    )
    assert services.silence_expire_due(now=deadline - timedelta(seconds=1)) == 0
    assert services.silence_expire_due(now=deadline) == 1
    assert services.silence_expire_due(now=deadline + timedelta(days=1)) == 0
    doc.refresh_from_db()
    assert doc.stage == "agreed"
    assert Event.objects.filter(act="silence.expire").count() == 1


def test_a_new_version_asks_for_reconfirmation_and_marks_translations_stale(actors, sco) -> None:
    doc = factories.document(actors, sco, supporters=MEMBERS)
    doc.refresh_from_db()
    assert doc.stage == "agreed"
    items = factories.provisions(3)
    items[0] = services.ProvisionIn(
        key="p1",
        kind="preamble",
        texts={"en": "Changed.", "ru": items[0].texts["ru"], "zh": items[0].texts["zh"]},
    )
    services.version_create(actor=actors["head-kaz"].user, document_id=doc.pk, provisions=items)
    doc.refresh_from_db()
    assert doc.stage == "negotiation"
    stale = set(
        ProvisionText.objects.filter(provision__version__number=2, stale=True).values_list(
            "provision__key", "language"
        )
    )
    assert stale == {("p1", "ru"), ("p1", "zh")}
    text = services.translation_verify(
        actor=actors["secretariat"].user,
        document_id=doc.pk,
        version_number=2,
        key="p1",
        lang="ru",
    )
    assert not text.stale and text.verified_by == actors["secretariat"].user


def test_sponsors_join_and_leave_with_history(api, actors, sco) -> None:
    doc = factories.document(actors, sco)
    assert api.post(f"/documents/{doc.pk}/sponsors/IND", actors["head-ind"]).status_code == 201
    assert api.post(f"/documents/{doc.pk}/sponsors/IND", actors["head-ind"]).status_code == 409
    assert api.post(f"/documents/{doc.pk}/sponsors/CHN", actors["head-ind"]).status_code == 403
    assert (
        api.call("DELETE", f"/documents/{doc.pk}/sponsors/IND", actors["head-ind"]).status_code
        == 200
    )
    assert api.post(f"/documents/{doc.pk}/sponsors/IND", actors["head-ind"]).status_code == 201
    body = api.get(f"/documents/{doc.pk}", actors["head-ind"]).json()
    assert body["sponsors"] == ["IND", "KAZ"]
    assert [h["state"] for h in body["sponsor_history"]] == ["KAZ", "IND", "IND"]
    assert body["sponsor_history"][1]["left_at"] is not None


def test_adoption_is_refused_on_a_bracketed_version_with_the_reason(actors, sco) -> None:
    doc = factories.document(actors, sco, bracket_first=True, supporters=MEMBERS)
    meeting = services.meeting_create(
        actor=actors["secretariat"].user,
        org_slug=sco.slug,
        body="chs",
        start=timezone_today(),
        end=timezone_today(),
    )
    with pytest.raises(Conflict) as exc:
        services.adoption_record(
            actor=actors["secretariat"].user,
            document_id=doc.pk,
            version_number=1,
            meeting_id=meeting.pk,
        )
    assert "p1 carries brackets" in exc.value.detail


def test_withdrawn_is_final(actors, sco) -> None:
    doc = factories.document(actors, sco)
    services.document_withdraw(actor=actors["secretariat"].user, document_id=doc.pk, reason="Moot")
    with pytest.raises(Conflict):
        services.position_set(
            actor=actors["head-kaz"].user,
            document_id=doc.pk,
            version_number=1,
            iso3="KAZ",
            stand="support",
        )
