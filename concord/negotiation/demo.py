"""An illustrative negotiation for a newcomer's first look (``concord load-demo``).

Every text here is ILLUSTRATIVE, written for the demo: it is not the text of any real SCO
document. The documents are flagged ``illustrative`` and their titles say "(demo text)".
They are built through the services, as users would, so the audit log records every act.
Idempotent: a document whose symbol exists is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from datetime import timezone as dt_timezone

from django.db import transaction
from django.utils import timezone

from concord.accounts.models import User
from concord.negotiation import services
from concord.negotiation.models import Document
from concord.organization.models import Meeting, Organization

# The Council of Heads of State met on 2024-07-04, the day Belarus became the tenth member:
# its agreement is needed for what that meeting adopts (and Belarus signed the declaration).
MEMBERS_2024 = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
ASTANA = dt_timezone(timedelta(hours=5), "Astana")


def _t(en: str, ru: str, zh: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "zh": zh}


DECLARATION = [
    (
        "pre1",
        "preamble",
        _t(
            "The Heads of the Member States, meeting in Astana (illustrative demo text),",
            "Главы государств-членов, собравшись в Астане (иллюстративный демонстрационный текст),",
            "成员国元首在阿斯塔纳举行会议（示例演示文本），",
        ),
    ),
    (
        "pre2",
        "preamble",
        _t(
            "Guided by the Charter of the Organization,",
            "Руководствуясь Хартией Организации,",
            "遵循本组织宪章，",
        ),
    ),
    (
        "op1",
        "operative",
        _t(
            "Reaffirm their commitment to security and stability in the region.",
            "Подтверждают приверженность безопасности и стабильности в регионе.",
            "重申致力于地区安全与稳定。",
        ),
    ),
    (
        "op2",
        "operative",
        _t(
            "Will expand trade and economic ties among the Member States.",
            "Будут расширять торгово-экономические связи между государствами-членами.",
            "将扩大成员国之间的经贸联系。",
        ),
    ),
    (
        "op3",
        "operative",
        _t(
            "Support cooperation in energy, the digital sphere and ecology.",
            "Поддерживают сотрудничество в энергетике, цифровой сфере и экологии.",
            "支持能源、数字领域和生态合作。",
        ),
    ),
    (
        "op4",
        "operative",
        _t(
            "Will strengthen culture, education and humanitarian ties.",
            "Будут укреплять культурные, образовательные и гуманитарные связи.",
            "将加强文化、教育和人文联系。",
        ),
    ),
]


def _provisions(
    items: list[tuple[str, str, dict[str, str]]],
    brackets: dict[str, tuple[str, tuple[str, ...]]] | None = None,
) -> list[services.ProvisionIn]:
    """``brackets`` maps a key to (an English phrase to bracket, the states holding it)."""
    result = []
    for key, kind, texts in items:
        spans: tuple[services.BracketIn, ...] = ()
        if brackets and key in brackets:
            phrase, held = brackets[key]
            start = texts["en"].index(phrase)
            spans = (services.BracketIn(start, start + len(phrase), held, "en"),)
        result.append(services.ProvisionIn(key=key, kind=kind, texts=texts, brackets=spans))
    return result


def _adopted_declaration(org: Organization, u: Callable[[str], User]) -> str:
    """The Astana Declaration (demo text), adopted at the real Astana summit of 2024."""
    meeting = Meeting.objects.filter(
        organization=org, body__slug="chs", start__lte="2024-07-04", end__gte="2024-07-04"
    ).first()
    doc = services.document_submit(
        actor=u("head-kaz"),
        org_slug=org.slug,
        symbol="SCO/CHS/2024/DEMO.1",
        kind="declaration",
        titles=_t(
            "Astana Declaration (demo text)",
            "Астанинская декларация (демонстрационный текст)",
            "阿斯塔纳宣言（演示文本）",
        ),
        body="chs",
        languages=["en", "ru", "zh"],
        meeting=meeting.pk if meeting else None,
        sponsors=["KAZ"],
        classification="public",
        illustrative=True,
    )
    services.version_create(
        actor=u("head-kaz"),
        document_id=doc.pk,
        provisions=_provisions(DECLARATION, {"op3": ("the digital sphere", ("IND",))}),
        note="First draft circulated by the penholder (illustrative).",
    )
    a1 = services.amendment_propose(
        actor=u("head-ind"),
        document_id=doc.pk,
        version_number=1,
        provision="op3",
        op="replace",
        texts=_t(
            "Support cooperation in energy, digital development and ecology.",
            "Поддерживают сотрудничество в энергетике, цифровом развитии и экологии.",
            "支持能源、数字发展和生态合作。",
        ),
        reason="Compromise wording that lifts the brackets (illustrative).",
    )
    services.amendment_accept(actor=u("head-kaz"), amendment_id=a1.pk)
    services.version_create(
        actor=u("head-kaz"),
        document_id=doc.pk,
        from_amendments=[a1.pk],
        note="Consolidated after amendment (illustrative).",
    )
    for iso3 in MEMBERS_2024:
        if iso3 == "IND":
            services.position_set(
                actor=u("head-ind"),
                document_id=doc.pk,
                version_number=2,
                iso3="IND",
                stand="reservation",
                text="India reads paragraph 3 as not prejudging bilateral arrangements "
                "(illustrative).",
            )
        else:
            services.position_set(
                actor=u(f"head-{iso3.lower()}"),
                document_id=doc.pk,
                version_number=2,
                iso3=iso3,
                stand="support",
            )
    if meeting is not None:
        services.adoption_record(
            actor=u("secretariat"),
            document_id=doc.pk,
            version_number=2,
            meeting_id=meeting.pk,
            reference_load=True,
        )
    return f"demo: {doc.symbol} adopted at {meeting}" if meeting else f"demo: {doc.symbol}"


def _in_negotiation(org: Organization, u: Callable[[str], User]) -> str:
    """A declaration still under negotiation: brackets, amendments, a member's objection."""
    doc = services.document_submit(
        actor=u("head-rus"),
        org_slug=org.slug,
        symbol="SCO/CHS/2026/DEMO.2",
        kind="statement",
        titles=_t(
            "Statement on digital cooperation (demo text)",
            "Заявление о цифровом сотрудничестве (демонстрационный текст)",
            "关于数字合作的声明（演示文本）",
        ),
        body="chs",
        languages=["en", "ru", "zh"],
        sponsors=["RUS"],
        # Public so that a newcomer sees a live negotiation before signing in; a real
        # draft would usually be restricted (the tests cover restricted documents).
        classification="public",
        shared_with_partners=True,
        illustrative=True,
    )
    # China co-sponsors by its own act: a delegation sponsors for its own state only.
    services.sponsor_join(actor=u("head-chn"), document_id=doc.pk, iso3="CHN")
    items = [
        (
            "pre1",
            "preamble",
            _t(
                "Noting the rapid growth of the digital economy (illustrative demo text),",
                "Отмечая быстрый рост цифровой экономики (иллюстративный текст),",
                "注意到数字经济快速发展（示例文本），",
            ),
        ),
        (
            "op1",
            "operative",
            _t(
                "Agree to develop common standards for cross-border data flows.",
                "Договариваются разработать общие стандарты трансграничных потоков данных.",
                "同意制定跨境数据流动共同标准。",
            ),
        ),
        (
            "op2",
            "operative",
            _t(
                "Will establish a joint centre for cybersecurity research.",
                "Создадут совместный центр исследований кибербезопасности.",
                "将建立网络安全联合研究中心。",
            ),
        ),
    ]
    services.version_create(
        actor=u("head-rus"),
        document_id=doc.pk,
        provisions=_provisions(items, {"op1": ("common standards", ("IND", "PAK"))}),
        note="Draft with disputed wording in brackets (illustrative).",
    )
    services.amendment_propose(
        actor=u("head-ind"),
        document_id=doc.pk,
        version_number=1,
        provision="op1",
        op="replace",
        texts={"en": "Agree to exchange views on cross-border data flows."},
        reason="Standards are premature (illustrative).",
    )
    services.amendment_propose(
        actor=u("head-kaz"),
        document_id=doc.pk,
        version_number=1,
        provision="op3",
        op="insert",
        after="op2",
        texts={"en": "Encourage training of digital specialists."},
        reason="Capacity building (illustrative).",
    )
    for iso3 in ("BLR", "CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"):
        services.position_set(
            actor=u(f"head-{iso3.lower()}"),
            document_id=doc.pk,
            version_number=1,
            iso3=iso3,
            stand="support",
        )
    services.position_set(
        actor=u("head-ind"),
        document_id=doc.pk,
        version_number=1,
        iso3="IND",
        stand="objection",
        provisions=["op1"],
        text="India cannot accept binding common standards at this stage (illustrative).",
    )
    services.position_set(
        actor=u("head-mng"),
        document_id=doc.pk,
        version_number=1,
        iso3="MNG",
        stand="objection",
        provisions=["op2"],
        text="Recorded, but a partner's objection does not block (illustrative).",
    )
    return f"demo: {doc.symbol} under negotiation (brackets, amendments, an objection)"


def _in_silence(org: Organization, u: Callable[[str], User]) -> str:
    """A decision of the Council of Foreign Ministers under a running silence procedure."""
    doc = services.document_submit(
        actor=u("secretariat"),
        org_slug=org.slug,
        symbol="SCO/CFM/2026/DEMO.3",
        kind="decision",
        titles=_t(
            "Decision on the cultural exchange year (demo text)",
            "Решение о годе культурных обменов (демонстрационный текст)",
            "关于文化交流年的决定（演示文本）",
        ),
        body="cfm",
        languages=["en", "ru", "zh"],
        classification="public",
        illustrative=True,
    )
    services.version_create(
        actor=u("secretariat"),
        document_id=doc.pk,
        provisions=_provisions(
            [
                (
                    "art1",
                    "article",
                    _t(
                        "A year of cultural exchanges is declared (illustrative demo text).",
                        "Объявляется год культурных обменов (иллюстративный текст).",
                        "宣布举办文化交流年（示例文本）。",
                    ),
                ),
                (
                    "art2",
                    "article",
                    _t(
                        "The Secretariat shall coordinate the programme.",
                        "Секретариат координирует программу.",
                        "秘书处负责协调该方案。",
                    ),
                ),
            ]
        ),
        note="Circulated under silence (illustrative).",
    )
    for iso3 in ("KAZ", "CHN", "RUS"):
        services.position_set(
            actor=u(f"head-{iso3.lower()}"),
            document_id=doc.pk,
            version_number=1,
            iso3=iso3,
            stand="support",
        )
    deadline = (timezone.now() + timedelta(days=30)).astimezone(ASTANA)
    services.silence_open(
        actor=u("secretariat"), document_id=doc.pk, version_number=1, deadline=deadline
    )
    return f"demo: {doc.symbol} under a silence procedure until {deadline:%Y-%m-%d %H:%M %Z}"


BUILDERS: list[tuple[str, Callable[[Organization, Callable[[str], User]], str]]] = [
    ("SCO/CHS/2024/DEMO.1", _adopted_declaration),
    ("SCO/CHS/2026/DEMO.2", _in_negotiation),
    ("SCO/CFM/2026/DEMO.3", _in_silence),
]


def load_demo(org_slug: str = "sco") -> list[str]:
    """Build each demo document that is missing; returns lines to print."""
    org = Organization.objects.filter(slug=org_slug).first()
    if org is None:
        return ["demo negotiation: no organization loaded (run: concord load-reference sco)"]
    users: dict[str, User] = {}

    def u(name: str) -> User:
        if name not in users:
            users[name] = User.objects.select_related("state").get(username=name)
        return users[name]

    lines = []
    for symbol, build in BUILDERS:
        if Document.objects.filter(organization=org, symbol=symbol).exists():
            lines.append(f"demo: {symbol} present")
            continue
        with transaction.atomic():
            lines.append(build(org, u))
    lines.append(
        "demo negotiation texts are ILLUSTRATIVE, not real SCO documents: see /orgs/sco/documents/"
    )
    return lines
