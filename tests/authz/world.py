"""The authorization matrix's world: one SCO with a member delegation on each side of a
document, an observer, a partner, the secretariat, documents in the stages the rows need, a
consultation with a participant token, and implementation data. Built once per module
through the services (no shortcuts around the rules), inside a transaction the module rolls
back at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from concord.accounts.models import ApiToken, Role, User
from concord.accounts.services import token_issue, user_upsert
from concord.accounts.testing import login_verified
from concord.negotiation import services as negotiation
from concord.negotiation.models import Document
from concord.organization.models import Meeting, Membership, Organization, State

MEMBERS = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")
OWN = "KAZ"  # the penholder and sponsor of every test document
OTHER = "CHN"  # another member
OBSERVER = "XOB"  # a state made an observer for the test (the SCO has none since 2025)
PARTNER = "TUR"

# Roles, in the order of every row's expectations (see matrix.py).
ROLES = (
    "anon",  # no session, no token
    "participant",  # a consultation's participant token (API bearer, page cookie)
    "m_del_own",  # delegate of the penholder member (Kazakhstan)
    "m_head_own",  # head of the penholder member
    "m_del_oth",  # delegate of another member (China)
    "m_head_oth",  # head of another member
    "obs_del",  # delegate of an observer state
    "obs_head",  # head of an observer state
    "par_del",  # delegate of a partner state (Türkiye)
    "par_head",  # head of a partner state
    "sec",  # the secretariat
)
USERS = {
    "m_del_own": (Role.DELEGATE, OWN),
    "m_head_own": (Role.HEAD, OWN),
    "m_del_oth": (Role.DELEGATE, OTHER),
    "m_head_oth": (Role.HEAD, OTHER),
    "obs_del": (Role.DELEGATE, OBSERVER),
    "obs_head": (Role.HEAD, OBSERVER),
    "par_del": (Role.DELEGATE, PARTNER),
    "par_head": (Role.HEAD, PARTNER),
    "sec": (Role.SECRETARIAT, None),
}


@dataclass
class World:
    org: Organization
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)

    def state_of(self, role: str) -> str:
        """The state a role acts for (the penholder's for roles without one)."""
        entry = USERS.get(role)
        return (entry[1] if entry else None) or OWN


def _heads(org: Organization) -> dict[str, User]:
    return {
        iso3: user_upsert(
            username=f"authz-head-{iso3.lower()}",
            role=Role.HEAD,
            organization=org,
            state=State.objects.get(iso3=iso3),
        )
        for iso3 in MEMBERS
    }


def _document(world: World, heads: dict[str, User], symbol: str, **kw: Any) -> Document:
    from concord.negotiation.tests.factories import provisions

    pen = world.users["m_head_own"]
    doc = negotiation.document_submit(
        actor=pen,
        org_slug=world.org.slug,
        symbol=symbol,
        kind="declaration",
        titles={"en": "A test declaration", "ru": "Декларация", "zh": "宣言"},
        body="chs",
        languages=["en", "ru", "zh"],
        sponsors=[OWN],
        classification=kw.pop("classification", "restricted"),
        shared_with_partners=kw.pop("shared", False),
    )
    negotiation.version_create(actor=pen, document_id=doc.pk, provisions=provisions(3))
    for iso3 in kw.pop("supporters", ()):
        negotiation.position_set(
            actor=heads[iso3], document_id=doc.pk, version_number=1, iso3=iso3, stand="support"
        )
    doc.refresh_from_db()
    return doc


def pen_head(world: World) -> User:
    return world.users["m_head_own"]


def build() -> World:
    """Every object a row names, by key in ``World.ids`` (see matrix.DEFAULTS)."""
    from concord.consultation import services as consultation
    from concord.consultation.tokens import token_for
    from concord.implementation import services as implementation
    from concord.implementation.reference import load_areas

    org = Organization.objects.get(slug="sco")
    world = World(org=org)
    xob, _ = State.objects.get_or_create(
        iso3=OBSERVER, defaults={"names": {"en": "Observer State", "ru": "Наблюдатель"}}
    )
    Membership.objects.get_or_create(
        organization=org, state=xob, start=date(2020, 1, 1), defaults={"status": "observer"}
    )
    for role, (kind, iso3) in USERS.items():
        state = State.objects.get(iso3=iso3) if iso3 else None
        user = user_upsert(username=f"authz-{role}", role=kind, organization=org, state=state)
        world.users[role] = user
        world.tokens[role] = token_issue(user=user)
        # One session per role, made once: each case sends its cookie from a fresh client
        # (a case that signs out is rolled back with everything else).
        client = Client()
        login_verified(client, user)  # past the second factor, for roles that need one
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    heads = _heads(org)
    heads[OWN] = world.users["m_head_own"]
    heads[OTHER] = world.users["m_head_oth"]
    sec = world.users["sec"]
    today = timezone.localdate()

    doc = _document(world, heads, "SCO/CHS/AUTHZ/1", supporters=(OTHER,))
    ready = _document(world, heads, "SCO/CHS/AUTHZ/READY", supporters=MEMBERS)
    shared = _document(world, heads, "SCO/CHS/AUTHZ/SHARED", shared=True)
    adopted = _document(
        world, heads, "SCO/CHS/AUTHZ/ADOPTED", classification="public", supporters=MEMBERS
    )
    meeting = negotiation.meeting_create(
        actor=sec, org_slug=org.slug, body="chs", start=today, end=today
    )
    negotiation.adoption_record(
        actor=sec, document_id=adopted.pk, version_number=1, meeting_id=meeting.pk
    )
    # Attack 9: an amendment changes the English text of a consensual document; the Russian
    # and Chinese texts of the new version wait for verification.
    stale = _document(world, heads, "SCO/CHS/AUTHZ/STALE")
    from concord.negotiation.tests.factories import provisions

    changed = provisions(3)
    changed[1] = negotiation.ProvisionIn(
        key="p2", kind="operative", texts={"en": "Changed English only."}
    )
    negotiation.version_create(actor=heads[OWN], document_id=stale.pk, provisions=changed)
    for iso3 in MEMBERS:
        negotiation.position_set(
            actor=heads[iso3], document_id=stale.pk, version_number=2, iso3=iso3, stand="support"
        )
    amendment = negotiation.amendment_propose(
        actor=world.users["m_head_oth"],
        document_id=doc.pk,
        version_number=1,
        provision="p2",
        op="replace",
        texts={"en": "Replaced by China."},
        reason="clarity",
    )
    # An accepted amendment not yet in a version (the desk's "version from amendments").
    accepted_amendment = negotiation.amendment_propose(
        actor=world.users["m_head_oth"],
        document_id=doc.pk,
        version_number=1,
        provision="p1",
        op="replace",
        texts={"en": "Accepted from China."},
        reason="clarity",
    )
    negotiation.amendment_accept(actor=pen_head(world), amendment_id=accepted_amendment.pk)
    silent = _document(world, heads, "SCO/CHS/AUTHZ/SILENCE")
    now = timezone.now()
    negotiation.silence_open(
        actor=sec, document_id=silent.pk, version_number=1, deadline=now + timedelta(hours=80)
    )
    future = today + timedelta(days=30)
    later = negotiation.meeting_create(
        actor=sec, org_slug=org.slug, body="chs", start=future, end=future
    )
    old = Meeting.objects.filter(organization=org, body__slug="chs", start__year=2024).first()
    assert old is not None

    load_areas("sco")
    c = consultation.consultation_create(
        actor=sec, org_slug=org.slug, slug="authz", title={"en": "Authz consultation"}
    )
    accepted = consultation.statement_submit(
        actor=sec, slug=c.slug, participant=None, text="A seed statement to vote on", seed=True
    )
    participant = consultation.participant_create(actor=None, slug=c.slug)
    pending = consultation.statement_submit(
        actor=None, slug=c.slug, participant=participant, text="A participant's statement"
    )
    # A statement the moderators rejected: only they still see it.
    rejected = consultation.statement_submit(
        actor=None, slug=c.slug, participant=participant, text="A statement turned down"
    )
    consultation.statement_moderate(actor=sec, statement_id=rejected.pk, decision="rejected")
    # The consultation is about the adopted document (so "unlink" has a link to remove).
    consultation.consultation_link_document(actor=sec, slug=c.slug, document_id=adopted.pk)
    commitment = implementation.commitment_create(
        actor=sec,
        org_slug=org.slug,
        document_id=adopted.pk,
        provision="p2",
        area="security",
        lead_states=[OWN],
        due=date(2027, 1, 1),
    )
    cycle = implementation.cycle_create(
        actor=sec,
        org_slug=org.slug,
        slug="authz-2026",
        kind="interim",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    activity = implementation.activity_create(
        actor=sec,
        org_slug=org.slug,
        kind="project",
        titles={"en": "An activity"},
        states=[(OWN, "lead")],
        commitments=[commitment.pk],
        start=date(2026, 1, 1),
        end=date(2027, 6, 30),
    )
    indicator = implementation.indicator_create(
        actor=sec,
        org_slug=org.slug,
        names={"en": "People trained"},
        unit="people",
        scope="state",
        direction="higher",
    )
    world.ids.update(
        org="sco",
        doc=doc.pk,
        doc_ready=ready.pk,
        doc_shared=shared.pk,
        doc_adopted=adopted.pk,
        doc_stale=stale.pk,
        doc_silence=silent.pk,
        deadline_ok=(now + timedelta(hours=80)).isoformat(),
        deadline_2s=(now + timedelta(seconds=2)).isoformat(),
        amendment=amendment.pk,
        amendment_accepted=accepted_amendment.pk,
        deadline_form=(now + timedelta(hours=80)).strftime("%Y-%m-%dT%H:%M"),
        # The live API token of one user (m_del_own): only its owner may revoke it.
        token_own=ApiToken.objects.get(user=world.users["m_del_own"], revoked_at__isnull=True).pk,
        meeting=meeting.pk,
        meeting_future=later.pk,
        meeting_old=old.pk,
        slug=c.slug,
        statement=accepted.pk,
        # Accepted on submission (the consultation is post-moderated), by the participant.
        statement_pending=pending.pk,
        statement_rejected=rejected.pk,
        participant_token=token_for(participant.pk, c.pk),
        commitment=commitment.pk,
        cycle=cycle.pk,
        cycle_slug=cycle.slug,
        activity=activity.pk,
        indicator=indicator.pk,
        today=today.isoformat(),
    )
    return world
