"""The hash-chained audit log and `concord audit verify`."""

from __future__ import annotations

import pytest
from django.db import connection

from concord.audit.models import Event
from concord.audit.services import chain_head, chain_verify, event_append
from concord.cli import main

pytestmark = pytest.mark.django_db


def append(n: int) -> None:
    for i in range(n):
        event_append(actor=None, act="test.act", obj=("thing", i), payload={"i": i, "text": "中文"})


def test_an_intact_chain_verifies_and_its_head_is_the_last_hash(capsys):
    before = Event.objects.count()  # the reference data load is logged too
    append(5)
    result = chain_verify()
    assert (result.ok, result.events) == (True, before + 5)
    assert result.head == chain_head() == Event.objects.order_by("-seq").first().hash
    assert main(["audit", "verify"]) == 0
    assert f"audit chain ok: {before + 5} events" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "value"),
    [("payload", '{"i": 99, "text": "中文"}'), ("act", "test.forged"), ("actor_label", "someone")],
)
def test_altering_one_stored_row_is_found_and_named(capsys, column, value):
    append(5)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_event SET {column} = %s WHERE seq = 4", [value])  # noqa: S608
    result = chain_verify()
    assert not result.ok and result.broken_seq == 4
    assert main(["audit", "verify"]) == 1
    assert "event #4" in capsys.readouterr().err


def test_deleting_a_row_breaks_the_chain_at_the_gap():
    append(4)
    Event.objects.filter(seq=3).delete()
    result = chain_verify()
    assert not result.ok and result.broken_seq == 4


def test_a_failed_act_leaves_no_event():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        event_append(actor=None, act="test.act", obj=("thing", 1), payload={})
        raise RuntimeError("the act itself failed")
    assert not Event.objects.filter(act="test.act").exists()
    assert chain_verify().ok
