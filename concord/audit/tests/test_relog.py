"""`concord audit relog-existing`: a database made before memberships, users and tokens
were audited gets one event per such row, marked as recorded after the fact; tampering is
never laundered by it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from concord.accounts.models import ApiToken, Role, User
from concord.accounts.services import token_issue, user_upsert
from concord.audit.models import Event, Head
from concord.audit.services import chain_verify, relog_existing
from concord.cli import main
from concord.organization.models import Membership, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_database(sco):  # type: ignore[no-untyped-def]
    """The SCO timeline, a secretariat, a head of Kazakhstan with a token and a revoked
    one: the rows a database made before issue 10 holds, with a log that never recorded
    them (older logs began with negotiation acts only)."""
    kaz = State.objects.get(iso3="KAZ")
    user_upsert(username="old-secretariat", role=Role.SECRETARIAT, organization=sco)
    head = user_upsert(username="old-head-kaz", role=Role.HEAD, organization=sco, state=kaz)
    token_issue(user=head)
    token_issue(user=head)  # revokes the first
    Event.objects.all().delete()
    Head.objects.all().delete()
    return sco


def test_an_old_database_fails_verify_then_passes_after_relog_and_a_rerun_writes_nothing(
    old_database, capsys
) -> None:
    before = chain_verify()
    assert not before.ok
    assert any("membership timeline is not in the log" in p for p in before.problems)
    assert any("old-head-kaz: role head is not in the log" in p for p in before.problems)
    assert main(["audit", "verify"]) == 1

    assert main(["audit", "relog-existing", "--dry-run"]) == 0
    assert "would write" in capsys.readouterr().out
    assert not Event.objects.exists()  # a dry run writes nothing

    assert main(["audit", "relog-existing"]) == 0
    out = capsys.readouterr().out
    assert "reference.load organization.organization:sco" in out
    assert "user.upsert accounts.user" in out and "token.revoke" in out
    assert chain_verify().ok
    assert main(["audit", "verify"]) == 0
    marks = {e.payload["relogged"]["note"] for e in Event.objects.all()}
    assert marks == {"recorded after the fact"}

    count = Event.objects.count()
    again = relog_existing()
    assert (again.written, again.refused) == ((), False)
    assert Event.objects.count() == count


def test_tampering_after_relog_is_still_detected_and_never_relogged(old_database) -> None:
    relog_existing()
    user = User.objects.get(username="old-head-kaz")
    User.objects.filter(pk=user.pk).update(state=State.objects.get(iso3="RUS"))
    span = Membership.objects.filter(organization=old_database).order_by("pk").first()
    Membership.objects.filter(pk=span.pk).update(start=span.start - timedelta(days=1))
    count = Event.objects.count()

    result = relog_existing()
    assert result.refused and result.written == ()  # nothing new is absent: refused as is
    assert any("role or state differs from the log" in p for p in result.problems)
    assert any("membership timeline differs" in p for p in result.problems)
    assert Event.objects.count() == count
    assert main(["audit", "relog-existing"]) == 1
    assert not chain_verify().ok


def test_a_row_inserted_around_the_services_after_the_log_began_is_not_absence(
    old_database,
) -> None:
    relog_existing()
    later = timezone.now() + timedelta(seconds=1)
    User.objects.create(username="forged", role=Role.HEAD, state=State.objects.get(iso3="RUS"))
    User.objects.filter(username="forged").update(date_joined=later)
    ApiToken.objects.create(user=User.objects.get(username="forged"), digest="f" * 64)
    count = Event.objects.count()
    result = relog_existing()
    assert result.refused
    assert any("forged: role head is not in the log" in p for p in result.problems)
    assert any("was never issued" in p for p in result.problems)
    assert Event.objects.count() == count


def test_a_rewritten_log_is_refused_before_anything_is_written(old_database) -> None:
    relog_existing()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET actor_label = 'someone' WHERE seq = 2")
    count = Event.objects.count()
    result = relog_existing()
    assert result.refused and "event #2" in result.problems[0]
    assert Event.objects.count() == count
