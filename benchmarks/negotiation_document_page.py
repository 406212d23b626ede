"""Server time of the document page at 200 provisions x 12 states (prints figures only).

Usage:
    .venv/bin/python benchmarks/negotiation_document_page.py [--provisions 200] [--runs 30]

Builds a scratch SQLite database in a temporary directory (or uses DATABASE_URL when set:
then point it at a throw-away database), loads the SCO reference data, creates a document
with the given number of provisions (three languages each, a bracket in the first), the
positions of all 12 states (10 members, Mongolia, Türkiye), and times GET of the
document page and of the consensus endpoint through Django's test client (no network),
after one warm-up request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from concord.accounts.testing import login_verified

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provisions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["CONCORD_VAR_DIR"] = tempfile.mkdtemp(prefix="concord-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from concord.accounts.services import user_upsert
    from concord.negotiation import services
    from concord.negotiation.tests.factories import provisions
    from concord.organization.models import Organization, State
    from concord.reference.loader import load_reference

    call_command("migrate", verbosity=0)
    load_reference("sco")
    org = Organization.objects.get(slug="sco")
    states = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB", "MNG", "TUR")
    heads = {
        iso3: user_upsert(
            username=f"bench-head-{iso3.lower()}",
            role="head",
            organization=org,
            state=State.objects.get(iso3=iso3),
        )
        for iso3 in states
    }
    symbol = f"SCO/CHS/2026/BENCH.{int(time.time())}"
    doc = services.document_submit(
        actor=heads["KAZ"],
        org_slug=org.slug,
        symbol=symbol,
        kind="declaration",
        titles={"en": "Benchmark declaration"},
        body="chs",
        languages=["en", "ru", "zh"],
        classification="restricted",
        shared_with_partners=True,
    )
    services.version_create(
        actor=heads["KAZ"],
        document_id=doc.pk,
        provisions=provisions(args.provisions, bracket_first=True),
    )
    for iso3, user in heads.items():
        objection = iso3 in ("IND", "MNG")
        services.position_set(
            actor=user,
            document_id=doc.pk,
            version_number=1,
            iso3=iso3,
            stand="objection" if objection else "support",
            provisions=["p2"] if objection else [],
        )

    client = Client()
    login_verified(client, heads["IND"])

    def timed(path: str) -> tuple[list[float], int, int]:
        client.get(path)  # warm-up
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        return times, len(ctx.captured_queries), len(response.content)

    print(
        f"document {symbol}: {args.provisions} provisions x 3 languages, "
        f"{len(states)} states' positions, database {connection.vendor}"
    )
    for label, path in (
        ("document page", f"/documents/{doc.pk}/"),
        ("consensus API", f"/api/v1/documents/{doc.pk}/versions/1/consensus"),
    ):
        times, queries, size = timed(path)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:14s} runs={args.runs} median={statistics.median(times):.1f} ms "
            f"p95={p95:.1f} ms min={times[0]:.1f} ms queries={queries} bytes={size}"
        )


if __name__ == "__main__":
    main()
