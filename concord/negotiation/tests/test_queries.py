"""The document page, the consensus endpoint, the document endpoint and readiness run a
fixed number of queries whatever the number of provisions (10 or 200) and positions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate as timezone_today

from concord.accounts.testing import login_verified
from concord.negotiation.tests import factories
from concord.negotiation.tests.conftest import MEMBERS

# Meetings are entered on their real day (issue 10): never in the past.
TODAY = timezone_today().isoformat()

pytestmark = pytest.mark.django_db

#: Upper bounds (the counts must also be equal at both sizes).
PAGE_QUERIES = 20
CONSENSUS_QUERIES = 10


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _docs(actors, sco):
    small = factories.document(
        actors, sco, n=10, symbol="SCO/CHS/2025/DEC.10", bracket_first=True, supporters=MEMBERS[:3]
    )
    large = factories.document(
        actors, sco, n=200, symbol="SCO/CHS/2025/DEC.200", bracket_first=True, supporters=MEMBERS
    )
    return small, large


def test_document_page_queries_do_not_grow(actors, sco, django_assert_max_num_queries) -> None:
    small, large = _docs(actors, sco)
    client = Client()
    login_verified(client, actors["head-ind"].user)
    client.get(f"/documents/{small.pk}/")  # warm the session and caches alike
    counts = []
    for doc in (small, large):
        with django_assert_max_num_queries(PAGE_QUERIES):
            counts.append(_count(lambda doc=doc: client.get(f"/documents/{doc.pk}/")))
    assert counts[0] == counts[1], counts


def test_consensus_endpoint_queries_do_not_grow(
    api, actors, sco, django_assert_max_num_queries
) -> None:
    small, large = _docs(actors, sco)
    kaz = actors["head-kaz"]
    counts = []
    for doc in (small, large):
        with django_assert_max_num_queries(CONSENSUS_QUERIES):
            counts.append(
                _count(lambda doc=doc: api.get(f"/documents/{doc.pk}/versions/1/consensus", kaz))
            )
    assert counts[0] == counts[1], counts


def test_document_and_version_endpoints_queries_do_not_grow(api, actors, sco) -> None:
    small, large = _docs(actors, sco)
    kaz = actors["head-kaz"]
    for path in ("/documents/{id}", "/documents/{id}/versions/1"):
        counts = [
            _count(lambda d=d, p=path: api.get(p.format(id=d.pk), kaz)) for d in (small, large)
        ]
        assert counts[0] == counts[1], (path, counts)


def test_readiness_queries_do_not_grow_with_documents(api, actors, sco) -> None:
    sec = actors["secretariat"]
    meeting = api.post(
        "/orgs/sco/meetings", sec, {"body": "chs", "start": TODAY, "end": TODAY}
    ).json()["id"]
    counts = []
    for batch, n in ((1, 2), (2, 12)):
        for i in range(n - (2 if batch == 2 else 0)):
            doc = factories.document(actors, sco, n=5, symbol=f"SCO/CHS/2026/D.{batch}{i}")
            doc.meeting_id = meeting
            doc.save(update_fields=["meeting"])
        counts.append(_count(lambda: api.get(f"/meetings/{meeting}/readiness", sec)))
    assert counts[0] == counts[1], counts
