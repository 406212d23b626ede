"""Illustrative implementation data for a newcomer's first look (``concord load-demo``).

Every item here is ILLUSTRATIVE: commitments confirmed from the demo declaration (itself a
demo text), activities, reports, scores and indicator values invented for the demo. Each
row is flagged ``illustrative`` and its text says so; no figure is a real one. Built
through the services, as users would, so the audit log records every act. Idempotent: when
the demo commitments exist, nothing is added.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from concord.accounts.models import User
from concord.implementation import services
from concord.implementation.models import Commitment
from concord.implementation.reference import load_areas
from concord.negotiation.models import Document
from concord.organization.models import Organization

DECLARATION = "SCO/CHS/2024/DEMO.1"
NOTE = " (illustrative demo)"
SOURCE = "Illustrative demo figure, not real data"


def _t(en: str, ru: str, zh: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "zh": zh}


def load_demo(org_slug: str = "sco") -> list[str]:
    org = Organization.objects.filter(slug=org_slug).first()
    if org is None:
        return ["demo implementation: no organization loaded"]
    users = {u.username: u for u in User.objects.select_related("state")}
    sec = users.get("secretariat")
    load_areas(org_slug, actor=sec)
    document = Document.objects.filter(organization=org, symbol=DECLARATION).first()
    if document is None or sec is None or not hasattr(document, "adoption"):
        return ["demo implementation: the adopted demo declaration is missing; skipped"]
    if Commitment.objects.filter(document=document).exists():
        return ["demo implementation: present"]
    with transaction.atomic():
        return _build(org, document, users)


def _build(org: Organization, document: Document, users: dict[str, User]) -> list[str]:
    sec = users["secretariat"]
    trade = services.commitment_create(
        actor=sec,
        org_slug=org.slug,
        document_id=document.pk,
        provision="op2",
        area="trade",
        lead_states=["KAZ", "CHN"],
        due=date(2027, 6, 30),
        external_id="demo-trade",
        illustrative=True,
    )
    culture = services.commitment_create(
        actor=sec,
        org_slug=org.slug,
        document_id=document.pk,
        provision="op4",
        area="culture",
        lead_states=["KAZ"],
        due=date(2026, 11, 15),
        external_id="demo-culture",
        illustrative=True,
    )
    security = services.commitment_create(
        actor=sec,
        org_slug=org.slug,
        document_id=document.pk,
        provision="op1",
        area="security",
        lead_states=["RUS"],
        due=date(2026, 12, 20),
        external_id="demo-security",
        illustrative=True,
    )
    programme = services.activity_create(
        actor=sec,
        org_slug=org.slug,
        kind="project",
        titles=_t(
            "Culture and education programme" + NOTE,
            "Программа по культуре и образованию (иллюстративный пример)",
            "文化和教育方案（示例）",
        ),
        states=[("KAZ", "lead")],
        commitments=[culture.pk],
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        status="ongoing",
        external_id="demo-programme",
        illustrative=True,
    )
    exchange = services.activity_create(
        actor=sec,
        org_slug=org.slug,
        kind="exchange",
        titles=_t(
            "Student exchange between universities" + NOTE,
            "Студенческий обмен между университетами (иллюстративный пример)",
            "大学间学生交流（示例）",
        ),
        states=[
            ("KAZ", "lead"),
            ("CHN", "participant"),
            ("RUS", "participant"),
            ("UZB", "participant"),
        ],
        commitments=[culture.pk],
        start=date(2025, 9, 1),
        end=date(2026, 12, 20),
        place="Astana",
        parent=programme.pk,
        weight=2,
        status="ongoing",
        external_id="demo-exchange",
        illustrative=True,
    )
    festival = services.activity_create(
        actor=sec,
        org_slug=org.slug,
        kind="event",
        titles=_t(
            "Cultural festival" + NOTE,
            "Фестиваль культуры (иллюстративный пример)",
            "文化节（示例）",
        ),
        states=[("CHN", "lead"), ("KGZ", "participant")],
        commitments=[culture.pk],
        start=date(2026, 6, 15),
        end=date(2026, 6, 20),
        place="Qingdao",
        parent=programme.pk,
        weight=1,
        status="completed",
        external_id="demo-festival",
        illustrative=True,
    )
    research = services.activity_create(
        actor=sec,
        org_slug=org.slug,
        kind="research",
        titles=_t(
            "Joint research on trade facilitation" + NOTE,
            "Совместное исследование по упрощению торговли (иллюстративный пример)",
            "贸易便利化联合研究（示例）",
        ),
        states=[("RUS", "lead"), ("IND", "participant"), ("KAZ", "funder")],
        commitments=[trade.pk],
        start=date(2025, 3, 1),
        end=date(2027, 2, 28),
        status="ongoing",
        external_id="demo-research",
        illustrative=True,
    )
    reports: list[tuple[str, dict[str, Any]]] = [
        ("head-kaz", {"activity_id": exchange.pk, "state": "KAZ", "status": "on_track"}),
        ("head-chn", {"activity_id": festival.pk, "state": "CHN", "status": "done"}),
        ("head-rus", {"activity_id": research.pk, "state": "RUS", "status": "delayed"}),
        ("head-kaz", {"commitment_id": culture.pk, "state": "KAZ", "status": "on_track"}),
        ("head-chn", {"commitment_id": trade.pk, "state": "CHN", "status": "on_track"}),
    ]
    for actor, kwargs in reports:
        services.report_create(
            actor=users[actor],
            narrative="Illustrative demo report, not a real one.",
            illustrative=True,
            **kwargs,
        )
    services.cycle_create(
        actor=sec,
        org_slug=org.slug,
        slug="demo-2025-interim",
        kind="interim",
        period_start=date(2024, 7, 4),
        period_end=date(2025, 7, 3),
        illustrative=True,
    )
    scores = {
        trade.pk: {"KAZ": 1, "CHN": 1, "RUS": 0, "IND": 0, "UZB": -1},
        culture.pk: {"KAZ": 1, "CHN": 1, "KGZ": 0, "PAK": -1, "RUS": 1},
        security.pk: {"RUS": 0, "TJK": 0, "IRN": -1},
    }
    for commitment_id, by_state in scores.items():
        for iso3, score in by_state.items():
            services.score_set(
                actor=sec,
                commitment_id=commitment_id,
                iso3=iso3,
                cycle="demo-2025-interim",
                score=score,
                text="Illustrative demo score, not a real assessment.",
                illustrative=True,
            )
    students = services.indicator_create(
        actor=sec,
        org_slug=org.slug,
        names=_t(
            "Students exchanged" + NOTE,
            "Студенты по обмену (иллюстративный пример)",
            "交流学生（示例）",
        ),
        unit="students",
        scope="state",
        direction="higher",
        activity=exchange.pk,
        baseline=0,
        baseline_year=2025,
        target=400,
        illustrative=True,
    )
    for month in range(12):
        day = date(2025 + (8 + month) // 12, (8 + month) % 12 + 1, 1)
        for k, iso3 in enumerate(("KAZ", "CHN", "RUS", "UZB")):
            services.value_add(
                actor=sec,
                indicator_id=students.pk,
                state=iso3,
                on=day,
                value=float((month + 1) * (6 + 2 * k)),
                source=SOURCE,
                illustrative=True,
            )
    return [
        "demo implementation: 3 commitments, 4 activities, 5 reports, 13 scores, "
        "48 indicator values (ILLUSTRATIVE, not real figures): see /orgs/sco/implementation/"
    ]
