"""Reads of the views marked @replica_reads go to the read replica; everything else, every
write and every read after a write, goes to the primary (concord/common/dbrouting.py).

The replica here is a second connection to the test database (``TEST: {"MIRROR":
"default"}``, as settings declare it for DATABASE_REPLICA_URL): what it reads is committed
data, so these tests commit (transactional tests), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from concord.accounts.models import Role, User
from concord.accounts.services import user_upsert
from concord.accounts.testing import login_verified
from concord.common.dbrouting import REPLICA, replica_reads
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import Consultation, Vote
from concord.consultation.tests.factories import (
    ConsultationFactory,
    ParticipantFactory,
    StatementFactory,
)
from concord.organization.models import Organization
from tests.settings_probe import settings_from

ROOT = Path(__file__).resolve().parents[1]
BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="class")
def replica_alias(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A ``replica`` alias for this class's tests: a mirror of the test database, as a test
    run with DATABASE_REPLICA_URL set would have it."""
    assert connections.settings is settings.DATABASES
    settings.DATABASES[REPLICA] = {
        **connections["default"].settings_dict,
        "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
    }
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        del connections[REPLICA]
        del settings.DATABASES[REPLICA]


def _consultation_with_map(org: Organization) -> Consultation:
    consultation = ConsultationFactory(organization=org, slug="jwf")
    statements = StatementFactory.create_batch(6, consultation=consultation)
    rnd = random.Random(1)
    for i in range(20):
        p = ParticipantFactory(consultation=consultation)
        Vote.objects.bulk_create(
            Vote(
                consultation=consultation,
                participant=p,
                statement=s,
                value=(1 if (j % 2 == i % 2) else -1) if rnd.random() > 0.1 else 0,
                updated_at=consultation.created_at,
            )
            for j, s in enumerate(statements)
        )
    snapshot_compute(consultation)
    return consultation


class Queries:
    """The SQL each connection ran inside the block."""

    def __init__(self) -> None:
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])

    def __enter__(self) -> Queries:
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def _sql(ctx: CaptureQueriesContext) -> list[str]:
        return [q["sql"].lower() for q in ctx.captured_queries]

    def on_primary(self, table: str = "") -> list[str]:
        return [q for q in self._sql(self.primary) if table in q]

    def on_replica(self, table: str = "") -> list[str]:
        return [q for q in self._sql(self.replica) if table in q]


@pytest.mark.usefixtures("replica_alias")
class TestWithReplica:
    @BOTH
    def test_map_api_reads_the_replica(self, sco):
        _consultation_with_map(sco)
        with Queries() as q:
            r = Client().get("/api/v1/consultations/jwf/map")
        assert r.status_code == 200, r.content
        assert r.json()["participants"] == 20
        assert q.on_replica("consultation_consultation")
        assert q.on_replica("consultation_opinionmapsnapshot")
        assert q.on_primary() == []

    @BOTH
    def test_marked_pages_read_the_replica(self, sco):
        _consultation_with_map(sco)
        for path in ("/consultations/jwf/map/", "/consultations/", "/orgs/sco/"):
            with Queries() as q:
                assert Client().get(path).status_code == 200, path
            assert q.on_replica(), path
            assert q.on_primary() == [], (path, q.on_primary())

    @BOTH
    def test_vote_and_unmarked_page_never_touch_the_replica(self, sco):
        consultation = _consultation_with_map(sco)
        statement = consultation.statements.first()
        client = Client()
        with Queries() as q:
            join = client.post("/api/v1/consultations/jwf/participants")
            token = join.json()["participant_token"]
            vote = client.post(
                "/api/v1/consultations/jwf/votes",
                data=json.dumps({"statement": statement.pk, "vote": 1}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            page = Client().get("/consultations/jwf/")  # the voting page reads its own votes
        assert (join.status_code, vote.status_code, page.status_code) == (201, 201, 200)
        assert q.on_replica() == []
        assert q.on_primary("consultation_vote")
        assert Vote.objects.filter(statement=statement, value=1).count() >= 1

    @BOTH
    def test_signed_in_visitors_read_the_primary(self, sco):
        _consultation_with_map(sco)
        user = user_upsert(username="sec", role=Role.SECRETARIAT, organization=sco)
        client = login_verified(Client(), user)
        with Queries() as q:
            assert client.get("/consultations/jwf/map/").status_code == 200
        assert q.on_replica() == []
        assert q.on_primary("consultation_opinionmapsnapshot")

    @BOTH
    def test_a_write_sends_the_rest_of_the_request_to_the_primary(self, sco):
        @replica_reads
        def view(request: object) -> list[str]:
            seen = [Organization.objects.get(slug="sco").slug]
            ConsultationFactory(organization=sco, slug="written")
            seen.append(Consultation.objects.get(slug="written").slug)
            return seen

        with Queries() as q:
            assert view(RequestFactory().get("/")) == ["sco", "written"]
        assert q.on_replica("organization_organization")
        assert q.on_replica("consultation_consultation") == []
        assert q.on_primary("insert into")
        assert [s for s in q.on_primary("consultation_consultation") if "select" in s]

    @BOTH
    def test_security_state_and_transactions_read_the_primary(self, sco):
        from django.db import transaction

        user_upsert(username="someone", role=Role.PARTICIPANT, organization=None)

        @replica_reads
        def view(request: object) -> None:
            User.objects.get(username="someone")
            with transaction.atomic():
                Organization.objects.get(slug="sco")

        with Queries() as q:
            view(RequestFactory().get("/"))
            replica_reads(lambda request: Organization.objects.count())(RequestFactory().post("/"))
        assert q.on_replica() == []
        assert q.on_primary("accounts_user")
        assert len(q.on_primary("organization_organization")) == 2


@pytest.mark.django_db
def test_without_a_replica_everything_reads_the_primary(sco, django_assert_num_queries):
    assert REPLICA not in connections
    _consultation_with_map(sco)
    with CaptureQueriesContext(connections["default"]) as ctx:
        assert Client().get("/api/v1/consultations/jwf/map").status_code == 200
    assert any("consultation_opinionmapsnapshot" in q["sql"] for q in ctx.captured_queries)


def _databases_with(env: dict[str, str]) -> dict[str, dict[str, object]]:
    databases: dict[str, dict[str, object]] = settings_from(env, "DATABASES")["DATABASES"]
    return databases


def test_database_replica_url_adds_the_replica_alias():
    primary = "postgres://concord@primary:5432/concord"
    replica = "postgres://concord_ro@replica:5432/concord"
    with_replica = _databases_with({"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica})
    assert set(with_replica) == {"default", "replica"}
    assert with_replica["replica"]["HOST"] == "replica"
    assert with_replica["replica"]["USER"] == "concord_ro"
    assert with_replica["replica"]["OPTIONS"] == with_replica["default"]["OPTIONS"]
    assert with_replica["replica"]["TEST"]["MIRROR"] == "default"
    without = _databases_with({"DATABASE_URL": primary, "DATABASE_REPLICA_URL": ""})
    assert set(without) == {"default"}
