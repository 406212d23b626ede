"""The demo consultation: "Just World Formula (demo)" under the SCO, with SYNTHETIC voters.

300 synthetic participants (``is_synthetic``; labelled so on every page through the title
and description) from three planted opinion groups vote on 40 statements with a fixed
numpy seed, so the first map, computed at load, shows groups at once. Idempotent: when the
consultation exists nothing changes.

Real conversations come in with ``concord polis import``, e.g.
``concord polis import tests/data/polis/brexit-consensus --consultation brexit-consensus``.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone

from concord.consultation.maps import snapshot_compute
from concord.consultation.models import (
    Consultation,
    Moderation,
    ModerationMode,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    normalize_text,
)
from concord.organization.models import Organization

SLUG = "just-world-formula"
SEED = 20250901
N_PARTICIPANTS = 300

TITLE = {
    "en": "Just World Formula (demo)",
    "ru": "Формула справедливого мира (демо)",
    "zh": "公正世界公式（演示）",
}
DESCRIPTION = {
    "en": "A demonstration consultation with 300 SYNTHETIC participants from three planted "
    "opinion groups; their votes are generated at random with a fixed seed. What would a "
    "just world order look like? Vote on the statements and add your own.",
    "ru": "Демонстрационная консультация: 300 СИНТЕТИЧЕСКИХ участников из трёх заданных "
    "групп мнений; их голоса сгенерированы случайно с фиксированным зерном.",
    "zh": "演示用的公众咨询：300 名来自三个预设意见群体的合成参与者，其投票由固定随机种子生成。",
}

# (text, language, affinity of groups A, B, C: +1 tends to agree, -1 to disagree, 0 split)
STATEMENTS: list[tuple[str, str, tuple[float, float, float]]] = [
    ("Every state, large or small, should have an equal voice in decisions.", "en", (1, 1, 1)),
    ("Disputes between states must be settled by negotiation, never by force.", "en", (1, 1, 1)),
    ("Clean drinking water is a right for every person.", "en", (1, 1, 1)),
    ("Young people should be heard before decisions about their future.", "en", (1, 1, 0.5)),
    ("Cultural exchange between our peoples should be funded more.", "en", (1, 0.5, 1)),
    ("Trade rules should protect small producers, not only large companies.", "en", (1, -1, 0.5)),
    ("Tariffs between member states should be abolished.", "en", (-1, 1, 0)),
    ("Foreign investment is the fastest way out of poverty.", "en", (-1, 1, 0)),
    ("A common development bank should lend without political conditions.", "en", (1, 0, -1)),
    ("Richer states should pay more into common funds.", "en", (1, -1, 0)),
    ("Each state should decide its own economic model without outside pressure.", "en", (0, 1, 1)),
    ("Sanctions hurt ordinary people more than governments.", "en", (1, 0, 1)),
    ("Climate commitments should be binding on every member.", "en", (1, -1, -1)),
    ("Energy security matters more than cutting emissions quickly.", "en", (-1, 1, 1)),
    ("Nuclear power is part of a just energy transition.", "en", (-1, 1, 0)),
    ("Glaciers and rivers of Central Asia need a joint protection treaty.", "en", (1, 0.5, 1)),
    ("Internet governance should be decided by states, not companies.", "en", (0, -1, 1)),
    ("Personal data must never leave the country where it was collected.", "en", (0, -1, 1)),
    ("Open-source software should be preferred by governments.", "en", (1, 0, 0)),
    ("Artificial intelligence in weapons should be banned by treaty.", "en", (1, 0, -1)),
    ("Labour migrants should have the same rights as citizens at work.", "en", (1, 0, -1)),
    ("Visa-free travel between member states would benefit everyone.", "en", (1, 1, -1)),
    ("Borders must be controlled more strictly against trafficking.", "en", (-1, 0, 1)),
    ("Terrorism can only be defeated by addressing poverty and injustice.", "en", (1, -1, 0)),
    ("Security cooperation must respect human rights.", "en", (1, 0, -1)),
    ("Non-interference in internal affairs is the foundation of peace.", "en", (-1, 0.5, 1)),
    ("International courts should be able to judge any state.", "en", (1, -1, -1)),
    ("The United Nations Security Council should be reformed.", "en", (1, 0.5, 1)),
    ("Food reserves should be shared in a crisis between neighbours.", "en", (1, 1, 0.5)),
    ("Universities should offer joint degrees across member states.", "en", (1, 1, 1)),
    ("Women should hold at least a third of seats in every delegation.", "en", (1, -1, -1)),
    ("Local communities should have a say on large infrastructure projects.", "en", (1, -1, 0)),
    ("Big infrastructure projects matter more than local objections.", "en", (-1, 1, 0.5)),
    ("Debts of the poorest countries should be cancelled.", "en", (1, -1, 0)),
    ("Public health systems should cooperate on pandemics from day one.", "en", (1, 1, 1)),
    ("Tourism should be made easier with a common visa.", "en", (0.5, 1, -1)),
    ("Справедливый мир начинается с уважения к каждому народу.", "ru", (1, 1, 1)),
    ("Национальные валюты должны заменить доллар во взаимной торговле.", "ru", (-1, 0, 1)),
    ("各国应当平等分享发展机遇。", "zh", (1, 1, 1)),
    ("数字经济的规则应当由各国共同制定。", "zh", (0, 1, 1)),
]


def _votes(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant index, statement index, vote) triples from three planted groups."""
    n_s = len(STATEMENTS)
    affinity = np.array([a for _t, _l, a in STATEMENTS], dtype=float)  # (S, 3)
    group = rng.integers(0, 3, size=N_PARTICIPANTS)
    rows, cols, vals = [], [], []
    for p in range(N_PARTICIPANTS):
        seen = rng.random(n_s) < rng.uniform(0.45, 0.95)
        for s in np.flatnonzero(seen):
            lean = affinity[s, group[p]]
            p_agree = 0.5 + 0.4 * lean
            u = rng.random()
            if u < 0.12:
                vote = 0
            elif rng.random() < p_agree:
                vote = 1
            else:
                vote = -1
            rows.append(p)
            cols.append(int(s))
            vals.append(vote)
    return np.array(rows), np.array(cols), np.array(vals)


def load_demo() -> list[str]:
    if Consultation.objects.filter(slug=SLUG).exists():
        return [f"consultation demo: present (/consultations/{SLUG}/)"]
    org = Organization.objects.filter(slug="sco").first()
    if org is None:
        return ["consultation demo: skipped (load the SCO reference data first)"]
    with transaction.atomic():
        consultation = _create(org)
    snapshot = snapshot_compute(consultation)
    groups = len(snapshot.map["groups"]) if snapshot else 0
    return [
        f"consultation demo: '{TITLE['en']}' with {N_PARTICIPANTS} synthetic participants, "
        f"{len(STATEMENTS)} statements, first map with {groups} groups "
        f"(/consultations/{SLUG}/)"
    ]


def _create(org: Organization) -> Consultation:
    from concord.consultation.services import consultation_create

    consultation = consultation_create(
        actor=None,
        org_slug=org.slug,
        slug=SLUG,
        title=TITLE,
        description=DESCRIPTION,
        languages=["en", "ru", "zh"],
        moderation_mode=ModerationMode.PRE,
        source={"kind": "synthetic", "seed": SEED, "note": "synthetic demo participants"},
    )
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            Participant(consultation=consultation, number=i, is_synthetic=True)
            for i in range(N_PARTICIPANTS)
        ]
    )
    participants = list(
        Participant.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list("id", flat=True)
    )
    Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                text=text,
                normalized=normalize_text(text),
                lang=lang,
                moderation=Moderation.ACCEPTED,
                is_seed=True,
                number=i,
            )
            for i, (text, lang, _a) in enumerate(STATEMENTS)
        ]
    )
    statements = list(
        Statement.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list("id", flat=True)
    )
    rows, cols, vals = _votes(np.random.default_rng(SEED))
    current = [
        Vote(
            consultation=consultation,
            participant_id=participants[p],
            statement_id=statements[s],
            value=int(v),
            updated_at=now,
        )
        for p, s, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True)
    ]
    Vote.objects.bulk_create(current, batch_size=5000)
    VoteEvent.objects.bulk_create(
        [
            VoteEvent(
                consultation=consultation,
                participant_id=v.participant_id,
                statement_id=v.statement_id,
                value=v.value,
                at=now,
            )
            for v in current
        ],
        batch_size=5000,
    )
    return consultation
