"""How long one vote takes through Concord's API, in process (no network, no server).

    .venv/bin/python benchmarks/consultation_vote_path.py [--votes N]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/consultation_vote_path.py

Prints the queries one vote runs (the hot path: one read, then upsert + history in one
transaction, plus one rate-limit counter upsert when limits are on) and the mean and p99
time of the whole request through Django's test client (URL routing, middleware, ninja
parsing, signature check, SQL). Uses a throwaway database (``CONCORD_VAR_DIR`` or a
database named by ``DATABASE_URL`` with a ``_votebench`` suffix). The load test with
concurrent clients against ``concord serve`` is benchmarks/vote_intake (vote-load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--votes", type=int, default=2000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url:
        os.environ["DATABASE_URL"] = url.rstrip("/") + "_votebench"
    else:
        os.environ["CONCORD_VAR_DIR"] = tempfile.mkdtemp(prefix="concord-votebench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        return _run(args.votes, settings, connection, CaptureQueriesContext)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


def _run(n: int, settings, connection, capture) -> int:  # type: ignore[no-untyped-def]
    from django.test import Client

    from concord.consultation.models import Consultation, Statement, normalize_text
    from concord.organization.models import Organization

    org = Organization.objects.create(slug="bench", name="Bench", abbreviation="B")
    c = Consultation.objects.create(slug="bench", organization=org, titles={"en": "Bench"})
    statements = [
        Statement.objects.create(
            consultation=c, text=f"s{i}", normalized=normalize_text(f"s{i}"), moderation="accepted"
        )
        for i in range(100)
    ]
    client = Client()
    for limits in (False, True):
        settings.CONCORD_RATE_LIMITS = limits
        settings.CONCORD_CONSULTATION_RATE_LIMITS = {"vote": (10**9, 60)}
        token = client.post(f"/api/v1/consultations/{c.slug}/participants").json()[
            "participant_token"
        ]
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        with capture(connection) as q:
            client.post(
                "/api/v1/consultations/bench/votes",
                data={"statement": statements[0].pk, "vote": 1},
                content_type="application/json",
                **auth,
            )
        print(f"rate limits {'on' if limits else 'off'}: {len(q.captured_queries)} queries")
        for query in q.captured_queries:
            print("   ", query["sql"][:110])
        times = []
        for i in range(n):
            body = {"statement": statements[i % 100].pk, "vote": (i % 3) - 1}
            t0 = time.perf_counter()
            r = client.post(
                "/api/v1/consultations/bench/votes",
                data=body,
                content_type="application/json",
                **auth,
            )
            times.append(time.perf_counter() - t0)
            assert r.status_code in (200, 201), r.content
        times.sort()
        print(
            f"    {n} votes: mean {statistics.mean(times) * 1000:.2f} ms, "
            f"p99 {times[int(0.99 * (n - 1))] * 1000:.2f} ms, "
            f"{n / sum(times):.0f} votes/s in one thread ({connection.vendor})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
