"""Writes for consultations: every act is one of these functions.

Each is keyword-only, checks access through ``concord.accounts.access``, writes in one
transaction and appends an audit event for the decision-relevant acts (creating, closing,
moderating, citing). Voting is not audited one vote at a time (that would serialise every
vote on the audit chain's head row): its history is the append-only ``VoteEvent`` table.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.audit.services import event_append
from concord.common.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from concord.common.models import validated
from concord.consultation import ratelimit, selectors
from concord.consultation.models import (
    STATEMENT_MAX_CHARS,
    Citation,
    Consultation,
    Moderation,
    ModerationMode,
    Participant,
    Statement,
    StatementTranslation,
    normalize_text,
    same_language,
)
from concord.consultation.tokens import ParticipantClaim
from concord.negotiation import selectors as negotiation_selectors
from concord.organization.selectors import organization_get

SLUG_MAX = 100
TITLE_MAX = 300
DESCRIPTION_MAX = 10_000


def _languages(languages: Any) -> list[str]:
    if not isinstance(languages, list) or not languages:
        raise InvalidInput(_("Give at least one language code."), field="languages")
    out = []
    for code in languages:
        if not isinstance(code, str) or not 2 <= len(code) <= 10:
            raise InvalidInput(
                _("%(value)s is not a language code."), field="languages", value=str(code)[:20]
            )
        out.append(code.lower())
    return list(dict.fromkeys(out))


def _texts(value: Any, *, field: str, limit: int, required: bool) -> dict[str, str]:
    if isinstance(value, str):
        value = {"en": value}
    if value is None:
        value = {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInput(_("Give %(field)s as a text per language code."), field=field)
    texts = {k.lower(): v.strip() for k, v in value.items() if v.strip()}
    if required and not texts:
        raise InvalidInput(_("%(field)s is required."), field=field)
    if any(len(v) > limit for v in texts.values()):
        raise InvalidInput(
            _("%(field)s is longer than %(limit)s characters."), field=field, limit=limit
        )
    return texts


@transaction.atomic
def consultation_create(
    *,
    actor: Actor,
    org_slug: str,
    slug: str,
    title: dict[str, str] | str,
    description: dict[str, str] | str | None = None,
    languages: list[str] | None = None,
    moderation_mode: str = ModerationMode.POST,
    initiative: str = "",
    source: dict[str, Any] | None = None,
) -> Consultation:
    """Open a consultation of the organization ``org_slug`` (its secretariat only;
    ``actor=None`` is the system, e.g. an import or the demo)."""
    organization = organization_get(org_slug)
    if actor is not None:
        access.require_secretariat(actor, organization)
    if moderation_mode not in ModerationMode.values:
        raise InvalidInput(
            _("Moderation is one of %(choices)s."),
            field="moderation_mode",
            choices=", ".join(ModerationMode.values),
        )
    consultation = Consultation(
        slug=slug,
        organization=organization,
        titles=_texts(title, field="title", limit=TITLE_MAX, required=True),
        descriptions=_texts(
            description, field="description", limit=DESCRIPTION_MAX, required=False
        ),
        languages=_languages(languages if languages is not None else ["en"]),
        moderation_mode=moderation_mode,
        initiative=initiative,
        source=source or {},
        created_by=actor if access.is_authenticated(actor) else None,
    )
    if Consultation.objects.filter(slug=slug).exists():
        raise Conflict(_("A consultation %(slug)s exists already."), field="slug", slug=slug)
    validated(consultation)
    consultation.save()
    event_append(
        actor=actor,
        act="consultation.create",
        obj=consultation,
        payload={"slug": slug, "organization": organization.slug, "mode": moderation_mode},
    )
    return consultation


@transaction.atomic
def consultation_close(*, actor: Actor, slug: str) -> Consultation:
    """Close a consultation: no more statements or votes. Its secretariat only."""
    locked = selectors.consultation_for_actor(actor, slug, for_update=True)
    access.require_consultation_moderator(actor, locked)
    if not locked.is_open:
        raise Conflict(_("The consultation is closed already."))
    locked.is_open = False
    locked.closed_at = timezone.now()
    locked.save(update_fields=["is_open", "closed_at"])
    event_append(actor=actor, act="consultation.close", obj=locked, payload={"slug": locked.slug})
    return locked


def participant_create(*, actor: Actor, slug: str, client: str = "") -> Participant:
    """A participant of the open consultation ``slug``: the signed-in ``actor``'s own one
    (created once) or a new anonymous one. ``client`` (the caller's address) is
    rate-limited."""
    consultation = selectors.consultation_for_actor(actor, slug)
    if not consultation.is_open:
        raise Conflict(_("The consultation is closed."), slug=consultation.slug)
    from concord.consultation.privacy import user_pseudonym

    key = user_pseudonym(actor, consultation) if access.is_authenticated(actor) else None
    if key is not None:
        existing = Participant.objects.filter(consultation=consultation, user_pseudonym=key).first()
        if existing is not None:
            return existing
    else:
        ratelimit.hit("participant", client or "unknown", scope=str(consultation.pk))
    try:
        with transaction.atomic():
            participant = Participant(consultation=consultation, user_pseudonym=key)
            validated(participant)
            participant.save()
    except IntegrityError:
        # Two first requests of one user raced; the other one created it.
        return Participant.objects.get(consultation=consultation, user_pseudonym=key)
    return participant


def _statement_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(_("Write the statement's text."), field="text")
    text = " ".join(text.split())
    if len(text) > STATEMENT_MAX_CHARS:
        raise InvalidInput(
            _("A statement has at most %(limit)s characters; this one has %(length)s."),
            field="text",
            limit=STATEMENT_MAX_CHARS,
            length=len(text),
        )
    return text


def statement_submit(
    *,
    actor: Actor,
    slug: str,
    participant: Participant | None,
    text: str,
    lang: str = "en",
    seed: bool = False,
) -> Statement:
    """A participant's statement (pending under pre-moderation, accepted under
    post-moderation), or with ``seed`` a moderator's seed statement (accepted at once).

    Duplicates (same text once normalised) are refused with 409. ``participant`` is the
    writer's own (from its token, cookie or account), never one named by the caller.
    """
    consultation = selectors.consultation_for_actor(actor, slug)
    if seed:
        access.require_consultation_moderator(actor, consultation)
    elif participant is None or participant.consultation_id != consultation.pk:
        raise NotAuthenticated(_("Join the consultation first."))
    text = _statement_text(text)
    if not isinstance(lang, str) or not 2 <= len(lang) <= 10:
        raise InvalidInput(_("%(value)s is not a language code."), field="lang", value=str(lang))
    if not seed and participant is not None:
        ratelimit.hit("statement", f"p{participant.pk}")
    with transaction.atomic():
        locked = selectors.consultation_for_actor(actor, slug, for_update=True)
        if not locked.is_open:
            raise Conflict(_("The consultation is closed."), slug=locked.slug)
        normalized = normalize_text(text)
        if not normalized:
            raise InvalidInput(_("Write the statement's text."), field="text")
        if Statement.objects.filter(consultation=locked, normalized=normalized).exists():
            raise Conflict(_("This statement has been written already."), field="text")
        accepted = seed or locked.moderation_mode == ModerationMode.POST
        statement = Statement(
            consultation=locked,
            author=participant,
            text=text,
            normalized=normalized,
            lang=lang.lower(),
            moderation=Moderation.ACCEPTED if accepted else Moderation.PENDING,
            is_seed=seed,
        )
        validated(statement, exclude=["author", "consultation"])
        statement.save()
        # A participant's statement is evidence too (who said what enters the map and may
        # be cited into a draft): the log records it, seeded or submitted.
        payload: dict[str, Any] = {
            "consultation": locked.slug,
            "text": text,
            "lang": statement.lang,
        }
        if not seed and participant is not None:
            payload["participant"] = participant.pk
        event_append(
            actor=actor,
            act="statement.seed" if seed else "statement.submit",
            obj=statement,
            payload=payload,
        )
    return statement


@transaction.atomic
def statement_moderate(
    *, actor: Actor, statement_id: int, decision: str, reason: str = ""
) -> Statement:
    """Accept or reject a statement (the consultation's secretariat); audited."""
    locked = selectors.statement_for_actor(actor, statement_id, for_update=True)
    access.require_consultation_moderator(actor, locked.consultation)
    if decision not in (Moderation.ACCEPTED, Moderation.REJECTED):
        raise InvalidInput(_("Decide accepted or rejected."), field="decision")
    if locked.moderation == decision:
        raise Conflict(_("The statement is %(state)s already."), state=decision, field="moderation")
    previous = locked.moderation
    locked.moderation = decision
    locked.save(update_fields=["moderation"])
    event_append(
        actor=actor,
        act=f"statement.{'accept' if decision == Moderation.ACCEPTED else 'reject'}",
        obj=locked,
        payload={
            "consultation": locked.consultation.slug,
            "from": previous,
            "to": decision,
            "reason": reason[:1000],
        },
    )
    return locked


def _lang_code(lang: Any, field: str = "lang") -> str:
    if not isinstance(lang, str) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?", lang):
        raise InvalidInput(
            _("%(value)s is not a language code."), field=field, value=str(lang)[:20]
        )
    return lang.lower().replace("_", "-")


@transaction.atomic
def statement_translate(
    *,
    actor: Actor,
    statement_id: int,
    lang: str,
    text: str,
    participant: Participant | None = None,
) -> tuple[StatementTranslation, bool]:
    """Add (or replace) the statement's text in ``lang``: its consultation's moderators, or
    its author (``participant``, the caller's own, or the user it belongs to). Returns the
    translation and whether it is new. The original stays as written; audited."""
    statement = selectors.statement_for_actor(actor, statement_id, for_update=True)
    access.require_statement_translator(actor, statement, participant)
    code = _lang_code(lang)
    if same_language(code, statement.lang):
        # 409: the statement's own language is the database's, not a rule on the input.
        raise Conflict(
            _("The statement was written in %(lang)s: a translation is in another language."),
            field="lang",
            lang=statement.lang,
        )
    text = _statement_text(text)
    locked = statement
    translation = StatementTranslation.objects.filter(statement=locked, lang=code).first()
    new = translation is None
    user = actor if access.is_authenticated(actor) else None
    if translation is None:
        translation = StatementTranslation(statement=locked, lang=code, text=text, created_by=user)
    elif translation.text == text:
        raise Conflict(_("The statement has this translation already."), field="text")
    else:
        translation.text = text
        translation.created_by = user
    validated(translation, exclude=["statement", "created_by"])
    translation.save()
    payload: dict[str, Any] = {
        "consultation": statement.consultation.slug,
        "lang": code,
        "text": text,
        "replaced": not new,
    }
    if participant is not None and user is None:
        payload["participant"] = participant.pk
    event_append(actor=user, act="statement.translate", obj=locked, payload=payload)
    return translation, new


@transaction.atomic
def consultation_link_document(*, actor: Actor, slug: str, document_id: Any) -> Consultation:
    """Say which negotiation document the consultation is about (its secretariat; the
    document must be one of the consultation's organization and visible to the actor)."""
    locked = selectors.consultation_for_actor(actor, slug, for_update=True)
    access.require_consultation_moderator(actor, locked)
    if isinstance(document_id, bool) or not isinstance(document_id, int):
        raise InvalidInput(_("Name the document by its id."), field="document")
    if not 0 < document_id < 2**63:
        raise NotFound(_("No document %(id)s."), id=document_id, field="document")
    try:
        document = negotiation_selectors.document_for_actor(actor, document_id)
    except NotFound:
        raise NotFound(_("No document %(id)s."), id=document_id, field="document") from None
    if document.organization_id != locked.organization_id:
        raise NotFound(_("No document %(id)s."), id=document_id, field="document")
    if locked.document_id == document.pk:
        raise Conflict(
            _("The consultation is linked to %(symbol)s already."),
            field="document",
            symbol=document.symbol,
        )
    previous = locked.document_id
    locked.document = document
    locked.save(update_fields=["document"])
    event_append(
        actor=actor,
        act="consultation.link",
        obj=locked,
        payload={"slug": locked.slug, "document": document.pk, "previous": previous},
    )
    return locked


@transaction.atomic
def consultation_unlink_document(*, actor: Actor, slug: str) -> Consultation:
    """The consultation is no longer about a document (its secretariat)."""
    locked = selectors.consultation_for_actor(actor, slug, for_update=True)
    access.require_consultation_moderator(actor, locked)
    if locked.document_id is None:
        raise Conflict(_("The consultation is not linked to a document."), field="document")
    previous = locked.document_id
    locked.document = None
    locked.save(update_fields=["document"])
    event_append(
        actor=actor,
        act="consultation.unlink",
        obj=locked,
        payload={"slug": locked.slug, "previous": previous},
    )
    return locked


# --------------------------------------------------------------------------- voting

_VOTE_TARGET = (
    "SELECT s.consultation_id, s.moderation, c.is_open, c.slug, "
    "EXISTS (SELECT 1 FROM consultation_participant p WHERE p.id = %s "
    "AND p.tokens_revoked_at >= %s) "
    "FROM consultation_statement s JOIN consultation_consultation c ON c.id = s.consultation_id "
    "WHERE s.id = %s"
)
_VOTE_UPSERT = (
    "INSERT INTO consultation_vote "
    "(consultation_id, participant_id, statement_id, value, revision, updated_at) "
    "VALUES (%s, %s, %s, %s, 1, %s) "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, "
    "revision = consultation_vote.revision + 1, updated_at = excluded.updated_at "
    "RETURNING revision"
)
_VOTE_EVENT = (
    "INSERT INTO consultation_voteevent (consultation_id, participant_id, statement_id, value, at)"
    " VALUES (%s, %s, %s, %s, %s)"
)


_VOTE_ONE = (
    "WITH target AS (SELECT s.consultation_id FROM consultation_statement s "
    "JOIN consultation_consultation c ON c.id = s.consultation_id "
    "WHERE s.id = %(s)s AND c.id = %(c)s AND c.slug = %(slug)s "
    "AND s.moderation = %(accepted)s AND c.is_open AND NOT EXISTS ("
    "SELECT 1 FROM consultation_participant p WHERE p.id = %(p)s "
    "AND p.tokens_revoked_at >= %(issued)s)), "
    "up AS (INSERT INTO consultation_vote "
    "(consultation_id, participant_id, statement_id, value, revision, updated_at) "
    "SELECT consultation_id, %(p)s, %(s)s, %(v)s, 1, %(now)s FROM target "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, "
    "revision = consultation_vote.revision + 1, updated_at = excluded.updated_at "
    "RETURNING revision), "
    "ev AS (INSERT INTO consultation_voteevent "
    "(consultation_id, participant_id, statement_id, value, at) "
    "SELECT consultation_id, %(p)s, %(s)s, %(v)s, %(now)s FROM target) "
    "SELECT revision FROM up"
)


def _vote_value(vote: Any) -> int:
    if isinstance(vote, bool) or not isinstance(vote, int) or vote not in (-1, 0, 1):
        raise InvalidInput(
            _("A vote is 1 (agree), -1 (disagree) or 0 (pass)."), field="vote", value=str(vote)
        )
    return vote


def vote_cast(*, claim: ParticipantClaim, slug: str, statement_id: int, vote: int) -> bool:
    """Record ``claim``'s vote on a statement; True when it is the participant's first vote
    on it (201), False when it replaces an earlier one (200; the history keeps both).

    The hot path of the platform, so it speaks SQL directly: one read of the statement and
    its consultation, then in one transaction an upsert of the current vote
    (``INSERT .. ON CONFLICT DO UPDATE .. RETURNING``: no read-then-write race) and the
    history row; plus one rate-limit upsert when limits are on. The participant is trusted
    from its signed token; a participant deleted since fails the foreign key and reads as
    not found.
    """
    value = _vote_value(vote)
    if isinstance(statement_id, bool) or not isinstance(statement_id, int):
        raise InvalidInput(_("Name the statement by its id."), field="statement")
    ratelimit.hit("vote", f"p{claim.participant_id}")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A token issued up to the second of its participant's revocation is refused, in the
    # same statement (the hot path makes no separate participant read).
    issued = (
        None
        if claim.issued_at is None
        else connection.ops.adapt_datetimefield_value(
            datetime.fromtimestamp(claim.issued_at, tz=UTC)
        )
    )
    if connection.vendor == "postgresql":
        named = {
            "c": claim.consultation_id,
            "p": claim.participant_id,
            "s": statement_id,
            "v": value,
            "now": now,
            "slug": slug,
            "accepted": Moderation.ACCEPTED,
            "issued": issued,
        }
        try:
            with connection.cursor() as cursor:  # one statement: atomic in autocommit
                cursor.execute(_VOTE_ONE, named)
                row = cursor.fetchone()
        except IntegrityError:
            raise NotFound(_("Unknown participant; join the consultation again.")) from None
        if row is not None:
            return int(row[0]) == 1
    with connection.cursor() as cursor:
        cursor.execute(_VOTE_TARGET, [claim.participant_id, issued, statement_id])
        target = cursor.fetchone()
    if target is not None and target[4]:
        raise NotAuthenticated(_("The participant token was revoked."))
    if target is None or target[3] != slug or target[0] != claim.consultation_id:
        raise NotFound(_("No statement %(id)s in this consultation."), id=statement_id)
    if target[1] != Moderation.ACCEPTED:
        raise InvalidInput(
            _("Statement %(id)s is not open for voting."), field="statement", id=statement_id
        )
    if not target[2]:
        raise Conflict(_("The consultation is closed."), slug=slug)
    params = [claim.consultation_id, claim.participant_id, statement_id, value, now]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_VOTE_UPSERT, params)
            row = cursor.fetchone()
            cursor.execute(_VOTE_EVENT, params)
    except IntegrityError:
        raise NotFound(_("Unknown participant; join the consultation again.")) from None
    return row is not None and int(row[0]) == 1


@transaction.atomic
def citation_add(*, actor: Actor, statement_id: int, document_id: int, provision: str) -> Citation:
    """Record that a document provision cites the statement (the secretariat); audited.
    The statement is read, not changed: no lock."""
    statement = selectors.statement_for_actor(actor, statement_id)
    access.require_consultation_moderator(actor, statement.consultation)
    if statement.moderation != Moderation.ACCEPTED:
        # 409: the statement's moderation is a state (a pending one may be accepted later).
        raise Conflict(_("Only an accepted statement can be cited."), field="statement")
    if not isinstance(provision, str) or not provision.strip() or len(provision) > 100:
        raise InvalidInput(_("Name the provision by its key."), field="provision")
    _document_check(document_id, provision.strip(), statement.consultation.organization_id)
    if Citation.objects.filter(
        statement=statement, document_id=document_id, provision=provision
    ).exists():
        raise Conflict(_("This provision cites the statement already."))
    citation = Citation(
        statement=statement,
        document_id=document_id,
        provision=provision.strip(),
        created_by=access.user_of(actor),
    )
    validated(citation, exclude=["statement", "document", "created_by"])
    citation.save()
    event_append(
        actor=actor,
        act="statement.cite",
        obj=statement,
        payload={"document": document_id, "provision": citation.provision},
    )
    return citation


def _document_check(document_id: int, provision: str, organization_id: int) -> None:
    """The document must be one of the consultation's organization and have the provision
    (provision keys are stable across versions)."""
    from concord.negotiation.models import Document, Provision

    if not isinstance(document_id, int) or isinstance(document_id, bool):
        raise InvalidInput(_("Name the document by its id."), field="document")
    document = Document.objects.filter(pk=document_id, organization_id=organization_id).first()
    if document is None:
        raise NotFound(_("No document %(id)s."), id=document_id, field="document")
    if not Provision.objects.filter(version__document=document, key=provision).exists():
        raise NotFound(
            _("Document %(id)s has no provision %(key)s."),
            id=document_id,
            key=provision,
            field="provision",
        )
