"""Amendments: proposed by a delegation, decided by the penholder or the secretariat.

Rules (checks in ``accounts/access.py``):

- ``amendment_propose``: a member state's delegation, on the latest version, with a reason,
  not while a silence procedure runs. An insert names a new key (and optionally the
  provision it follows); a replace or delete names an existing provision; a deletion
  carries no text; texts are in the document's languages.
- ``amendment_accept``/``amendment_reject``: the penholder or the secretariat, once, while
  the document is open. Accepting does not change the text: ``version_create`` with
  ``from_amendments`` applies accepted amendments.

Lock order: the document first, then the amendment (as ``version_create`` does).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import Conflict, InvalidInput
from concord.common.models import validated
from concord.negotiation import selectors
from concord.negotiation.models import (
    Amendment,
    AmendmentOp,
    AmendmentStatus,
    Provision,
    ProvisionKind,
    Stage,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    clean_texts,
    latest_version,
    non_blank,
    require_open,
    time_now,
)


@transaction.atomic
def amendment_propose(
    *,
    actor: Actor,
    document_id: int,
    version_number: int,
    provision: str,
    op: str,
    texts: dict[str, str] | None,
    reason: str,
    kind: str = "",
    after: str = "",
    expected_revision: int | None = None,
) -> Amendment:
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_amendment_proposer(actor, document)
    require_open(document)
    check_revision(document, expected_revision)
    if document.stage == Stage.SILENCE:
        raise Conflict(_("A silence procedure is running: the text is closed to amendments."))
    version = latest_version(document, version_number)
    if op not in AmendmentOp.values:
        raise InvalidInput(_("op must be insert, replace or delete."), field="op")
    reason = non_blank(reason, field="reason")
    keys = set(Provision.objects.filter(version=version).values_list("key", flat=True))
    provision = (provision or "").strip()
    if not provision or len(provision) > 60:
        raise InvalidInput(_("Name the provision (1-60 characters)."), field="provision")
    if op == AmendmentOp.INSERT:
        if provision in keys:
            raise InvalidInput(
                _("Provision %(key)s exists already; choose a new key."),
                field="provision",
                key=provision,
            )
        if after and after not in keys:
            raise InvalidInput(_("No provision %(key)s."), field="after", key=after)
        kind = kind or ProvisionKind.OPERATIVE
        if kind not in ProvisionKind.values:
            raise InvalidInput(_("Unknown provision kind."), field="kind")
    elif provision not in keys:
        raise InvalidInput(_("No provision %(key)s."), field="provision", key=provision)
    if op == AmendmentOp.DELETE:
        if texts:
            raise InvalidInput(_("A deletion carries no text."), field="texts")
        new_texts: dict[str, str] = {}
    else:
        new_texts = clean_texts(document, texts or {}, field="texts")
    state = access.acting_state(actor)
    assert state is not None
    amendment = Amendment(
        document=document,
        version=version,
        provision_key=provision,
        op=op,
        kind=kind if op == AmendmentOp.INSERT else "",
        after=after if op == AmendmentOp.INSERT else "",
        texts=new_texts,
        reason=reason,
        state=state,
        proposed_by=access.user_of(actor),
        proposed_at=time_now(),
    )
    validated(amendment)
    amendment.save()
    audit(
        actor,
        "amendment.propose",
        amendment,
        {
            "document": document.pk,
            "version": version.number,
            "provision": provision,
            "op": op,
            "texts": new_texts,
            "reason": reason,
            "state": state.iso3,
        },
    )
    bump(document)
    return amendment


def _amendment_decide(*, actor: Actor, amendment_id: int, accept: bool) -> Amendment:
    # Lock order everywhere: the document first, then the rows under it (no deadlock with
    # version_create, which locks the document and then the amendments it applies).
    found = selectors.amendment_for_actor(actor, amendment_id)
    document = selectors.document_for_actor(actor, found.document_id, for_update=True)
    amendment = selectors.amendment_for_actor(actor, amendment_id, for_update=True)
    access.require_amendment_decider(actor, document)
    require_open(document)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise Conflict(
            _("Amendment %(id)s was already %(status)s."),
            id=amendment.pk,
            status=amendment.status,
        )
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.decided_by = access.user_of(actor)
    amendment.decided_at = time_now()
    amendment.save(update_fields=["status", "decided_by", "decided_at"])
    audit(
        actor,
        "amendment.accept" if accept else "amendment.reject",
        amendment,
        {"document": document.pk, "status": amendment.status},
    )
    bump(document)
    return amendment


@transaction.atomic
def amendment_accept(*, actor: Actor, amendment_id: int) -> Amendment:
    return _amendment_decide(actor=actor, amendment_id=amendment_id, accept=True)


@transaction.atomic
def amendment_reject(*, actor: Actor, amendment_id: int) -> Amendment:
    return _amendment_decide(actor=actor, amendment_id=amendment_id, accept=False)
