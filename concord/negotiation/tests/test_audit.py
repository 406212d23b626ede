"""``concord audit verify`` passes on an honest chain and names the altered event."""

from __future__ import annotations

import pytest
from django.db import connection

from concord import cli
from concord.audit.models import Event
from concord.negotiation.tests import factories

pytestmark = pytest.mark.django_db


def test_verify_passes_then_names_the_altered_event(actors, sco, capsys, api) -> None:
    factories.document(actors, sco, supporters=("KAZ", "CHN", "IND"))
    assert cli.main(["audit", "verify"]) == 0
    assert "audit chain ok" in capsys.readouterr().out

    # Someone edits a stored position event behind the application's back.
    event = Event.objects.filter(act="position.set").order_by("seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_event SET payload = %s WHERE id = %s",
            ['{"stand": "objection", "state": "CHN"}', event.pk],
        )
    assert cli.main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"event #{event.seq} (position.set)" in err
    assert "payload does not match its digest" in err

    r = api.get("/audit/verify", actors["secretariat"]).json()
    assert r["ok"] is False and f"#{event.seq}" in r["problem"]


def test_verify_names_an_event_whose_actor_was_rewritten(actors, sco, capsys) -> None:
    factories.document(actors, sco, supporters=("KAZ",))
    event = Event.objects.get(act="version.create")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_event SET actor_label = %s WHERE id = %s", ["someone@RUS", event.pk]
        )
    assert cli.main(["audit", "verify"]) == 1
    assert f"event #{event.seq} (version.create)" in capsys.readouterr().err


def test_audit_verify_endpoint_needs_a_signed_in_caller(api, actors, sco) -> None:
    assert api.get("/audit/verify").status_code == 401
    assert api.get("/audit/verify", actors["head-mng"]).json()["ok"] is True
