"""A document's birth, sponsors and withdrawal.

Rules (checks in ``accounts/access.py``):

- ``document_submit``: the secretariat, or a member state's delegation. The symbol follows
  the organization's pattern and is unique; an addendum or corrigendum symbol names an
  existing parent; the adopting body and target meeting belong to the organization and the
  meeting to that body; titles are in the document's languages. The penholder is given or
  defaults to the submitting state (none for the secretariat's own drafts). A document
  starts as a draft.
- ``sponsor_join``/``sponsor_leave``: a state's own head of delegation, or the secretariat,
  while the document is open; a state sponsors once at a time.
- ``document_withdraw``: the secretariat or the penholder's head of delegation, before
  adoption, with a reason; a running silence procedure ends broken.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.classification import Classification
from concord.common.errors import Conflict, InvalidInput, NotFound
from concord.common.models import validated
from concord.negotiation import selectors, symbols
from concord.negotiation.models import (
    Document,
    Kind,
    SilenceProcedure,
    SilenceStatus,
    Sponsorship,
    Stage,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    non_blank,
    require_open,
    states_by_code,
    time_now,
)
from concord.organization.models import Body, Meeting
from concord.organization.selectors import organization_get


@transaction.atomic
def document_submit(
    *,
    actor: Actor,
    org_slug: str,
    symbol: str,
    kind: str,
    titles: dict[str, str],
    body: str,
    languages: Sequence[str],
    meeting: int | None = None,
    sponsors: Sequence[str] = (),
    classification: str = Classification.RESTRICTED,
    penholder: str | None = None,
    shared_with_partners: bool = False,
    illustrative: bool = False,
) -> Document:
    org = organization_get(org_slug)
    access.require_document_submitter(actor, org)
    symbol = (symbol or "").strip()
    if not symbols.is_valid(symbol):
        raise InvalidInput(
            _("%(symbol)s does not follow the symbol pattern (e.g. SCO/CHS/2024/DEC.1)."),
            field="symbol",
            symbol=symbol,
        )
    if kind not in Kind.values:
        raise InvalidInput(
            _("kind must be one of %(choices)s."), field="kind", choices=", ".join(Kind.values)
        )
    if classification not in Classification.values:
        raise InvalidInput(
            _("classification must be public or restricted."), field="classification"
        )
    official = list(org.official_languages or [])
    langs = list(dict.fromkeys(languages or official))
    allowed = {"en", "ru", "zh", *official}
    if not langs or any(lang not in allowed for lang in langs):
        raise InvalidInput(
            _("languages must be among %(allowed)s."),
            field="languages",
            allowed=", ".join(sorted(allowed)),
        )
    titles = {k: v.strip() for k, v in (titles or {}).items() if isinstance(v, str) and v.strip()}
    if not titles or any(k not in langs for k in titles):
        raise InvalidInput(_("Give a title in the document's languages."), field="title")
    body_obj = Body.objects.filter(organization=org, slug=body).first()
    if body_obj is None:
        raise NotFound(_("No body %(body)s in this organization."), field="body", body=body)
    meeting_obj = None
    if meeting is not None:
        meeting_obj = Meeting.objects.filter(organization=org, pk=meeting).first()
        if meeting_obj is None:
            raise NotFound(_("No meeting %(id)s."), field="meeting", id=meeting)
        if meeting_obj.body_id != body_obj.pk:
            raise InvalidInput(
                _("The target meeting is not a meeting of the adopting body."), field="meeting"
            )
    sponsor_states = states_by_code(sponsors, field="sponsors")
    own = access.acting_state(actor)
    penholder_obj = (
        states_by_code([penholder], field="penholder")[penholder.upper()] if penholder else own
    )
    access.require_sponsors_and_pen(
        actor, org, sponsors=list(sponsor_states.values()), penholder=penholder_obj
    )
    parent = None
    parent_symbol = symbols.addendum_parent(symbol)
    if parent_symbol is not None:
        parent = Document.objects.filter(organization=org, symbol=parent_symbol).first()
        if parent is None:
            raise NotFound(
                _("%(parent)s, which this symbol adds to or corrects, does not exist."),
                field="symbol",
                parent=parent_symbol,
            )
    if Document.objects.filter(organization=org, symbol=symbol).exists():
        raise Conflict(_("A document %(symbol)s exists already."), field="symbol", symbol=symbol)
    now = time_now()
    document = Document(
        organization=org,
        symbol=symbol,
        parent=parent,
        titles=titles,
        kind=kind,
        body=body_obj,
        meeting=meeting_obj,
        penholder=penholder_obj,
        classification=classification,
        shared_with_partners=shared_with_partners,
        languages=langs,
        stage=Stage.DRAFT,
        illustrative=illustrative,
        created_by=access.user_of(actor),
        created_at=now,
    )
    validated(document)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise Conflict(
            _("A document %(symbol)s exists already."), field="symbol", symbol=symbol
        ) from None
    Sponsorship.objects.bulk_create(
        Sponsorship(document=document, state=s, joined_at=now)
        for _code, s in sorted(sponsor_states.items())
    )
    audit(
        actor,
        "document.submit",
        document,
        {
            "symbol": symbol,
            "kind": kind,
            "body": body,
            "classification": classification,
            "sponsors": sorted(sponsor_states),
            "penholder": penholder_obj.iso3 if penholder_obj else None,
        },
    )
    return document


@transaction.atomic
def sponsor_join(*, actor: Actor, document_id: int, iso3: str) -> Sponsorship:
    """A state joins the sponsors: its own head of delegation, or the secretariat."""
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    require_open(document)
    state = states_by_code([iso3], field="state")[iso3.upper()]
    if not access.is_secretariat(actor, document.organization):
        access.require_head_of(actor, state)
    if Sponsorship.objects.filter(document=document, state=state, left_at__isnull=True).exists():
        raise Conflict(_("%(state)s already sponsors this document."), state=state.iso3)
    row = Sponsorship.objects.create(document=document, state=state, joined_at=time_now())
    audit(actor, "document.sponsor_join", document, {"state": state.iso3})
    bump(document)
    return row


@transaction.atomic
def sponsor_leave(*, actor: Actor, document_id: int, iso3: str) -> Sponsorship:
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    require_open(document)
    state = states_by_code([iso3], field="state")[iso3.upper()]
    if not access.is_secretariat(actor, document.organization):
        access.require_head_of(actor, state)
    row = (
        Sponsorship.objects.select_for_update()
        .filter(document=document, state=state, left_at__isnull=True)
        .first()
    )
    if row is None:
        raise Conflict(_("%(state)s does not sponsor this document."), state=state.iso3)
    row.left_at = time_now()
    row.save(update_fields=["left_at"])
    audit(actor, "document.sponsor_leave", document, {"state": state.iso3})
    bump(document)
    return row


@transaction.atomic
def document_withdraw(
    *, actor: Actor, document_id: int, reason: str, expected_revision: int | None = None
) -> Document:
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_withdrawer(actor, document)
    require_open(document)
    check_revision(document, expected_revision)
    reason = non_blank(reason, field="reason")
    SilenceProcedure.objects.filter(
        version__document=document, outcome=SilenceStatus.RUNNING
    ).update(outcome=SilenceStatus.BROKEN, closed_at=time_now())
    bump(document, stage=Stage.WITHDRAWN, withdrawn_reason=reason)
    audit(actor, "document.withdraw", document, {"reason": reason})
    return document
