"""Indicator CSV import speed and dashboard server time (prints figures only).

Usage:
    .venv/bin/python benchmarks/implementation_dashboard.py [--commitments 500]
        [--activities 2000] [--values 50000] [--runs 20]

Builds a scratch SQLite database in a temporary directory (or uses DATABASE_URL when set:
then point it at a throw-away database), loads the SCO reference data, adopts a document
with one operative provision per commitment, confirms the commitments through the
services, writes the activities (with participants, links to commitments, a report each)
and one score per bound state with bulk inserts (setup only, not what is measured), and
imports the indicator values through the CSV import in files of 10,000 rows (timed:
rows per second). Then times GET of the dashboard API and the dashboard page through
Django's test client (no network), after one warm-up request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=500)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--values", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=20)
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
    from django.utils import timezone

    from concord.accounts.services import user_upsert
    from concord.implementation import csvio, services
    from concord.implementation.models import (
        Activity,
        Cycle,
        Participation,
        Report,
        Score,
    )
    from concord.implementation.reference import load_areas
    from concord.negotiation import services as negotiation
    from concord.negotiation.tests.factories import provisions
    from concord.organization.models import Organization, State
    from concord.reference.loader import load_reference

    call_command("migrate", verbosity=0)
    load_reference("sco")
    load_areas("sco")
    org = Organization.objects.get(slug="sco")
    members = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
    tag = int(time.time())
    sec = user_upsert(username=f"bench-sec-{tag}", role="secretariat", organization=org)
    heads = {
        iso3: user_upsert(
            username=f"bench-{tag}-{iso3.lower()}",
            role="head",
            organization=org,
            state=State.objects.get(iso3=iso3),
        )
        for iso3 in members
    }
    doc = negotiation.document_submit(
        actor=heads["KAZ"],
        org_slug=org.slug,
        symbol=f"SCO/CHS/BENCH.{tag}",
        kind="declaration",
        titles={"en": "Benchmark declaration"},
        body="chs",
        languages=["en", "ru", "zh"],
        classification="public",
    )
    negotiation.version_create(
        actor=heads["KAZ"], document_id=doc.pk, provisions=provisions(args.commitments + 1)
    )
    for iso3, user in heads.items():
        negotiation.position_set(
            actor=user, document_id=doc.pk, version_number=1, iso3=iso3, stand="support"
        )
    meeting = negotiation.meeting_create(
        actor=sec, org_slug=org.slug, body="chs", start=date(2025, 8, 31), end=date(2025, 8, 31)
    )
    negotiation.adoption_record(
        actor=sec, document_id=doc.pk, version_number=1, meeting_id=meeting.pk
    )
    areas = ["security", "trade", "energy", "digital", "ecology", "culture"]
    start = time.perf_counter()
    commitments = [
        services.commitment_create(
            actor=sec,
            org_slug=org.slug,
            document_id=doc.pk,
            provision=f"p{i + 2}",
            area=areas[i % 6],
            lead_states=["KAZ"],
            due=date(2025, 6, 1) + timedelta(days=i * 3),
        )
        for i in range(args.commitments)
    ]
    confirm_s = time.perf_counter() - start

    now = timezone.now()
    states = {s.iso3: s for s in State.objects.filter(iso3__in=members)}
    activities = Activity.objects.bulk_create(
        Activity(
            organization=org,
            kind=["project", "exchange", "event", "research"][i % 4],
            titles={"en": f"Benchmark activity {i}"},
            start=date(2025, 1, 1) + timedelta(days=i % 365),
            end=date(2026, 1, 1) + timedelta(days=i % 700),
            status="ongoing",
            created_at=now,
        )
        for i in range(args.activities)
    )
    Participation.objects.bulk_create(
        Participation(activity=a, state=states[members[i % 10]], role="lead")
        for i, a in enumerate(activities)
    )
    link = Activity.commitments.through
    link.objects.bulk_create(
        link(activity_id=a.pk, commitment_id=commitments[i % len(commitments)].pk)
        for i, a in enumerate(activities)
    )
    Report.objects.bulk_create(
        Report(
            organization=org,
            activity=a,
            state=states[members[i % 10]],
            status=["on_track", "delayed", "done", "not_started"][i % 4],
            by=sec,
            at=now,
        )
        for i, a in enumerate(activities)
    )
    Report.objects.bulk_create(
        Report(
            organization=org,
            commitment=c,
            state=states["KAZ"],
            status=["on_track", "delayed", "done", "not_started"][i % 4],
            by=sec,
            at=now,
        )
        for i, c in enumerate(commitments)
    )
    cycle = Cycle.objects.create(
        organization=org,
        slug=f"bench-{tag}",
        kind="interim",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    Score.objects.bulk_create(
        Score(commitment=c, state=states[iso3], cycle=cycle, score=(i + k) % 3 - 1, by=sec, at=now)
        for i, c in enumerate(commitments)
        for k, iso3 in enumerate(members)
    )

    indicators = [
        services.indicator_create(
            actor=sec,
            org_slug=org.slug,
            names={"en": f"Benchmark indicator {k}"},
            unit="units",
            scope="state",
            direction="higher",
        )
        for k in range(max(args.values // 10000, 1))
    ]
    per_file = args.values // len(indicators)
    rates = []
    for k, indicator in enumerate(indicators):
        lines = ["state,date,value,source"]
        lines += [
            f"{members[i % 10]},{date(2020, 1, 1) + timedelta(days=i // 10)},{i * 0.5 + k},bench"
            for i in range(per_file)
        ]
        text = "\n".join(lines) + "\n"
        start = time.perf_counter()
        result = csvio.values_import(actor=sec, indicator_id=indicator.pk, text=text)
        elapsed = time.perf_counter() - start
        assert result.created == per_file
        rates.append(per_file / elapsed)

    print(
        f"database {connection.vendor}: {args.commitments} commitments "
        f"(confirmed through the service in {confirm_s:.1f} s), {args.activities} activities, "
        f"{len(commitments) * len(members)} scores, {per_file * len(indicators)} indicator values"
    )
    print(
        f"CSV import of {per_file} rows per file, {len(rates)} files: "
        f"median {statistics.median(rates):,.0f} rows/s (min {min(rates):,.0f}, "
        f"max {max(rates):,.0f})"
    )

    client = Client()

    def timed(path: str) -> tuple[list[float], int, int]:
        client.get(path)  # warm-up
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                begin = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.status_code
        return times, len(ctx.captured_queries), len(response.content)

    for label, path in (
        ("dashboard API", "/api/v1/orgs/sco/dashboard"),
        ("dashboard API ?state=KAZ", "/api/v1/orgs/sco/dashboard?state=KAZ"),
        ("dashboard page", "/orgs/sco/implementation/"),
        ("compliance API", f"/api/v1/orgs/sco/compliance?cycle=bench-{tag}"),
    ):
        times, queries, size = timed(path)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:25s} runs={args.runs} median={statistics.median(times):.1f} ms "
            f"p95={p95:.1f} ms min={times[0]:.1f} ms queries={queries} bytes={size}"
        )


if __name__ == "__main__":
    main()
