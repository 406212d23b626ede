"""Meetings, adoption and explanations of position.

Rules (checks in ``accounts/access.py``):

- ``meeting_create``: the secretariat, for a body of its organization; a meeting ends on
  or after its start.
- ``adoption_record``: the secretariat, at a meeting of the document's body, on the latest
  version, dated the meeting's first day; a procedure expired by then counts. Refused with
  409 and the explanation when consensus does not hold on that date. The adoption's audit
  event seals the chain before it (its hash is stored on the adoption).
- ``explanation_add``: after adoption, a head of delegation explains its state's position;
  it never enters the adopted text.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from concord.common.models import Verification, validated
from concord.consensus import dates as pure_dates
from concord.consensus.languages import waiting_languages
from concord.negotiation import selectors
from concord.negotiation.models import (
    Adoption,
    Explanation,
    ProvisionText,
    SilenceProcedure,
    SilenceStatus,
    Stage,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    latest_version,
    non_blank,
    require_open,
    states_by_code,
    time_now,
)
from concord.negotiation.services.silence import expire_if_past
from concord.organization.models import Body, Meeting
from concord.organization.selectors import organization_get


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    org_slug: str,
    body: str,
    start: date,
    end: date,
    city: str = "",
    host: str | None = None,
    title: str = "",
) -> Meeting:
    org = organization_get(org_slug)
    access.require_secretariat(actor, org)
    body_obj = Body.objects.filter(organization=org, slug=body).first()
    if body_obj is None:
        raise NotFound(_("No body %(body)s in this organization."), field="body", body=body)
    if end < start:
        raise InvalidInput(_("A meeting ends on or after its start."), field="end")
    grace = settings.CONCORD_MEETING_PAST_GRACE_DAYS
    if pure_dates.meeting_date_problem(start=start, today=timezone.localdate(), grace_days=grace):
        raise InvalidInput(
            _(
                "A meeting entered now starts at most %(days)s day(s) before today; "
                "past meetings come with the reference data."
            ),
            field="start",
            days=grace,
        )
    host_obj = states_by_code([host], field="host")[host.upper()] if host else None
    meeting = Meeting(
        organization=org,
        body=body_obj,
        start=start,
        end=end,
        city=city.strip(),
        host=host_obj,
        title=title.strip(),
        # Typed in by the secretariat, not researched: never shown as "verified" beside
        # the sourced summits.
        verification=Verification.ENTERED,
    )
    validated(meeting)
    meeting.save()
    audit(
        actor,
        "meeting.create",
        meeting,
        {"body": body, "start": start.isoformat(), "end": end.isoformat(), "city": city},
    )
    return meeting


@transaction.atomic
def meeting_agenda_set(*, actor: Actor, meeting_id: int, documents: list[int]) -> list[int]:
    """The secretariat sets a meeting's agenda: the open documents of the meeting's body
    that target it. A document taken off the agenda no longer targets any meeting. Returns
    the agenda's document ids."""
    from concord.negotiation.models import Document

    meeting = Meeting.objects.select_related("body", "organization").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No meeting %(id)s."), field="meeting", id=meeting_id)
    access.require_secretariat(actor, meeting.organization)
    wanted = list(dict.fromkeys(int(d) for d in documents))
    rows = {
        d.pk: d
        for d in Document.objects.select_for_update()
        .filter(organization=meeting.organization, pk__in=wanted)
        .select_related("body")
    }
    missing = [d for d in wanted if d not in rows]
    if missing:
        raise NotFound(
            _("No document %(ids)s in this organization."),
            field="agenda",
            ids=", ".join(map(str, missing)),
        )
    for d in rows.values():
        if d.body_id != meeting.body_id:
            # 409: which body adopts a document is the database's, not the request's.
            raise Conflict(
                _("%(symbol)s is adopted by %(body)s, not by this meeting's body."),
                field="agenda",
                symbol=d.symbol,
                body=d.body.name,
            )
        if d.stage in (Stage.ADOPTED, Stage.WITHDRAWN):
            raise Conflict(
                _("%(symbol)s is %(stage)s; its agenda is closed."),
                field="agenda",
                symbol=d.symbol,
                stage=d.get_stage_display(),
            )
    dropped = list(
        Document.objects.select_for_update()
        .filter(meeting=meeting)
        .exclude(pk__in=wanted)
        .exclude(stage__in=(Stage.ADOPTED, Stage.WITHDRAWN))
    )
    for d in dropped:
        bump(d, meeting=None)
    for d in rows.values():
        if d.meeting_id != meeting.pk:
            bump(d, meeting=meeting)
    audit(
        actor,
        "meeting.agenda",
        meeting,
        {"documents": sorted(wanted), "removed": sorted(d.pk for d in dropped)},
    )
    return sorted(wanted)


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def adoption_record(
    *,
    actor: Actor,
    document_id: int,
    version_number: int,
    meeting_id: int,
    expected_revision: int | None = None,
    reference_load: bool = False,
) -> Adoption:
    """Record adoption at ``meeting`` (of the document's body) on the meeting's first day.

    Refused with 409 and the explanation when consensus does not hold on that date."""
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    require_open(document)
    check_revision(document, expected_revision)
    version = latest_version(document, version_number)
    meeting = (
        Meeting.objects.select_related("body")
        .filter(organization=document.organization, pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("No meeting %(id)s."), field="meeting", id=meeting_id)
    if meeting.body_id != document.body_id:
        raise Conflict(
            _("%(meeting)s is a meeting of %(body)s; this document is adopted by %(adopter)s."),
            field="meeting",
            meeting=str(meeting),
            body=meeting.body.name,
            adopter=document.body.name,
        )
    now = time_now()
    for row in (
        SilenceProcedure.objects.select_for_update(of=("self",))
        .select_related("version")
        .filter(version=version, outcome=SilenceStatus.RUNNING)
    ):
        expire_if_past(row, now)
    on = meeting.start
    problem = pure_dates.decision_date_problem(
        on=on, version_made=timezone.localdate(version.created_at), today=timezone.localdate()
    )
    if problem is pure_dates.DateProblem.IN_FUTURE:
        raise Conflict(
            _("The meeting of %(on)s has not happened yet; adoption is recorded on its day."),
            field="meeting",
            on=on.isoformat(),
        )
    # A loader reproducing history (the demo's adopted declaration) enters today a text
    # adopted long ago: only it may, never the API, and its event says so.
    if problem is pure_dates.DateProblem.BEFORE_VERSION and not reference_load:
        raise Conflict(
            _("The meeting of %(on)s precedes version %(number)s (made on %(made)s)."),
            field="meeting",
            on=on.isoformat(),
            number=version.number,
            made=timezone.localdate(version.created_at).isoformat(),
        )
    verdict = selectors.verdict_of(version, on=on, now=now)
    if not verdict.reached:
        raise Conflict(
            _("No consensus on %(on)s: %(explanation)s"),
            field="version",
            on=on.isoformat(),
            explanation=selectors.explain(verdict, on=on),
            blocking=list(verdict.blocking),
            pending=list(verdict.pending),
            bracketed=list(verdict.bracketed),
        )
    # What is adopted is every language's text: one still waiting for its translator's
    # confirmation (stale after another language changed, or missing) is not agreed text.
    waiting = list(
        waiting_languages(
            ProvisionText.objects.filter(provision__version=version)
            .filter(Q(stale=True) | Q(text=""))
            .values_list("language", "stale", "text"),
            document.languages,
        )
    )
    if waiting:
        raise Conflict(
            _("Not adoptable yet: the %(languages)s text(s) await verification."),
            field="version",
            languages=", ".join(waiting),
            waiting_languages=waiting,
        )
    adoption = Adoption(
        document=document,
        version=version,
        meeting=meeting,
        on=on,
        at=now,
        recorded_by=access.user_of(actor),
        audit_head="",
    )
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError:
        raise Conflict(_("The document was adopted already.")) from None
    bump(document, stage=Stage.ADOPTED)
    head = audit(
        actor,
        "document.adopt",
        adoption,
        {
            "document": document.pk,
            "symbol": version.symbol,
            "version": version.number,
            "meeting": meeting.pk,
            "on": on.isoformat(),
            "deemed_by_silence": list(verdict.deemed),
            "reference_load": reference_load,
        },
    )
    # The chain head at adoption is the adoption's own event: it seals everything before it.
    adoption.audit_head = head
    adoption.save(update_fields=["audit_head"])
    return adoption


@transaction.atomic
def explanation_add(*, actor: Actor, document_id: int, text: str) -> Explanation:
    """An explanation of position after adoption: a statement linked to the decision, by the
    state's head of delegation; it never enters the adopted text."""
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    state = access.acting_state(actor)
    if state is None:
        raise PermissionDenied(_("Only a head of delegation explains its state's position."))
    access.require_position_setter(actor, document, state)
    adoption = Adoption.objects.filter(document=document).first()
    if adoption is None:
        raise Conflict(_("Explanations of position follow adoption; this is not adopted."))
    row = Explanation(
        adoption=adoption,
        state=state,
        text=non_blank(text, field="text"),
        by=access.user_of(actor),
        at=time_now(),
    )
    validated(row)
    row.save()
    audit(actor, "explanation.add", row, {"document": document.pk, "state": state.iso3})
    return row
