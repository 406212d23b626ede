"""Reads for negotiation: every query here is bounded (no per-row queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.common.errors import NotFound
from concord.consensus import rules
from concord.consensus import silence as pure_silence
from concord.consensus.languages import waiting_languages
from concord.consensus.membership import Status, Timeline
from concord.consensus.positions import Position as PurePosition
from concord.negotiation.compute import pure_procedure
from concord.negotiation.models import (
    Amendment,
    Bracket,
    Document,
    Position,
    Provision,
    ProvisionText,
    SilenceProcedure,
    Version,
)
from concord.organization import selectors as organization_selectors
from concord.organization.models import Meeting, Organization, timeline_of


def document_list(actor: Actor, org: Organization) -> QuerySet[Document]:
    return (
        Document.objects.filter(organization=org)
        .filter(access.documents_visible_to(actor, org))
        .select_related("body", "meeting", "penholder", "organization")
        .order_by("-created_at", "-id")
    )


def versions_of(document: Document) -> list[Version]:
    return list(Version.objects.filter(document=document).order_by("number"))


def version_get(document: Document, number: int) -> Version:
    version = Version.objects.filter(document=document, number=number).first()
    if version is None:
        raise NotFound(_("No version %(number)s of this document."), field="version", number=number)
    version.document = document
    return version


def provisions_of(version: Version) -> list[Provision]:
    """Provisions in order with their texts and brackets: three queries whatever the size."""
    return list(
        Provision.objects.filter(version=version)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "texts",
                queryset=ProvisionText.objects.order_by("language").prefetch_related(
                    Prefetch("brackets", queryset=Bracket.objects.order_by("start", "-end"))
                ),
            )
        )
        .order_by("order")
    )


def bracketed_keys(version: Version) -> tuple[str, ...]:
    return tuple(
        sorted(
            set(
                Bracket.objects.filter(text__provision__version=version).values_list(
                    "text__provision__key", flat=True
                )
            )
        )
    )


def timeline_of_document(document: Document) -> Timeline:
    return organization_selectors.timeline(document.organization_id)


def current_positions(version: Version) -> dict[str, Position]:
    """Each state's latest position row on ``version`` (append-only history, one query)."""
    latest: dict[str, Position] = {}
    for row in (
        Position.objects.filter(version=version).select_related("state", "by").order_by("id")
    ):
        latest[row.state.iso3] = row
    return latest


def position_history(version: Version) -> list[Position]:
    return list(
        Position.objects.filter(version=version).select_related("state", "by").order_by("-id")
    )


def latest_silence(version: Version) -> SilenceProcedure | None:
    return (
        SilenceProcedure.objects.filter(version=version)
        .select_related("broken_by")
        .order_by("-opened_at", "-id")
        .first()
    )


def silence_outcome(
    row: SilenceProcedure | None, now: datetime
) -> pure_silence.SilenceOutcome | None:
    if row is None:
        return None
    return pure_silence.outcome(pure_procedure(row), now)


def verdict_from(
    *,
    timeline: Timeline,
    on: date,
    positions: dict[str, Position],
    bracketed: tuple[str, ...],
    silence: pure_silence.SilenceOutcome | None,
) -> rules.Verdict:
    pure = {
        iso3: PurePosition(iso3, row.stand, row.text, tuple(row.provisions))  # type: ignore[arg-type]
        for iso3, row in positions.items()
    }
    return rules.consensus(
        timeline=timeline, on=on, positions=pure, bracketed=bracketed, silence=silence
    )


def verdict_of(version: Version, *, on: date, now: datetime | None = None) -> rules.Verdict:
    """Consensus on ``version`` at ``on`` (four queries)."""
    now = now or timezone.now()
    return verdict_from(
        timeline=timeline_of_document(version.document),
        on=on,
        positions=current_positions(version),
        bracketed=bracketed_keys(version),
        silence=silence_outcome(latest_silence(version), now),
    )


#: The verdict sentence in the request's language (rules.explain, translated at the edge).
TRANSLATED = rules.Words(gettext=_, ngettext=ngettext, join=", ".join)


def explain(verdict: rules.Verdict, *, on: date, timeline: Timeline | None = None) -> str:
    """The verdict in the user's language, from its structured reasons."""
    return rules.explain(verdict.reasons, timeline=timeline, on=on, words=TRANSLATED)


@dataclass(frozen=True)
class Consensus:
    verdict: rules.Verdict
    explanation: str
    on: date


def consensus_for(version: Version, *, on: date) -> Consensus:
    timeline = timeline_of_document(version.document)
    verdict = verdict_from(
        timeline=timeline,
        on=on,
        positions=current_positions(version),
        bracketed=bracketed_keys(version),
        silence=silence_outcome(latest_silence(version), timezone.now()),
    )
    return Consensus(verdict, explain(verdict, on=on, timeline=timeline), on)


def amendments_of(document: Document) -> list[Amendment]:
    return list(
        Amendment.objects.filter(document=document)
        .select_related("state", "version", "proposed_by", "decided_by", "applied_in")
        .order_by("id")
    )


def unverified_languages(version: Version) -> list[str]:
    return sorted(
        set(
            ProvisionText.objects.filter(provision__version=version, stale=True).values_list(
                "language", flat=True
            )
        )
    )


@dataclass(frozen=True)
class ReadinessRow:
    document: Document
    version: Version | None
    verdict: rules.Verdict | None
    objecting: tuple[str, ...]
    unverified: tuple[str, ...]


def readiness(actor: Actor, meeting: Meeting) -> list[ReadinessRow]:
    """Every visible document on the meeting's agenda with what still stands in its way.

    A fixed number of queries whatever the number of documents: documents, their latest
    versions, positions, brackets, stale texts, silence procedures and the timeline."""
    org = meeting.organization
    documents = list(
        Document.objects.filter(organization=org, meeting=meeting)
        .filter(access.documents_visible_to(actor, org))
        .select_related("body", "organization")
        .order_by("symbol")
    )
    latest: dict[int, Version] = {}
    for v in Version.objects.filter(document__in=documents).order_by("document_id", "number"):
        latest[v.document_id] = v
    version_ids = [v.pk for v in latest.values()]
    positions: dict[int, dict[str, Position]] = defaultdict(dict)
    for p in (
        Position.objects.filter(version_id__in=version_ids).select_related("state").order_by("id")
    ):
        positions[p.version_id][p.state.iso3] = p
    bracketed: dict[int, set[str]] = defaultdict(set)
    for vid, key in Bracket.objects.filter(text__provision__version_id__in=version_ids).values_list(
        "text__provision__version_id", "text__provision__key"
    ):
        bracketed[vid].add(key)
    stale: dict[int, set[str]] = defaultdict(set)
    for vid, lang in ProvisionText.objects.filter(
        provision__version_id__in=version_ids, stale=True
    ).values_list("provision__version_id", "language"):
        stale[vid].add(lang)
    silences: dict[int, SilenceProcedure] = {}
    for s in (
        SilenceProcedure.objects.filter(version_id__in=version_ids)
        .select_related("broken_by")
        .order_by("opened_at", "id")
    ):
        silences[s.version_id] = s
    timeline = organization_selectors.timeline(org)
    now = timezone.now()
    rows = []
    for document in documents:
        version = latest.get(document.pk)
        if version is None:
            rows.append(ReadinessRow(document, None, None, (), ()))
            continue
        verdict = verdict_from(
            timeline=timeline,
            on=meeting.start,
            positions=positions[version.pk],
            bracketed=tuple(sorted(bracketed[version.pk])),
            silence=silence_outcome(silences.get(version.pk), now),
        )
        objecting = tuple(
            sorted(iso3 for iso3, p in positions[version.pk].items() if p.stand == "objection")
        )
        rows.append(
            ReadinessRow(document, version, verdict, objecting, tuple(sorted(stale[version.pk])))
        )
    return rows


def meeting_get(org_id: int | None, meeting_id: int) -> Meeting:
    qs = Meeting.objects.select_related("body", "organization", "host")
    if org_id is not None:
        qs = qs.filter(organization_id=org_id)
    meeting = qs.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No meeting %(id)s."), field="meeting", id=meeting_id)
    return meeting


# --- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateRow:
    iso3: str
    name: str
    status: str
    position: Position | None
    blocking: bool


@dataclass(frozen=True)
class DocumentPage:
    document: Document
    versions: list[Version]
    version: Version | None
    provisions: list[Provision]
    lang: str
    consensus: Consensus | None
    states: list[StateRow]
    silence: SilenceProcedure | None
    silence_state: str | None
    amendments: list[Amendment]
    sponsors: list[Any]
    adoption: Any
    #: Official languages whose text of the version waits for verification: adoption
    #: refuses while any does (``consensus.languages``, the rule adoption applies).
    waiting_languages: tuple[str, ...] = ()

    @property
    def adoptable(self) -> bool:
        reached = bool(self.consensus and self.consensus.verdict.reached)
        return reached and not self.waiting_languages

    @property
    def others(self) -> list[StateRow]:
        """Observers' and partners' rows: recorded, never blocking."""
        return [row for row in self.states if row.status != Status.MEMBER]


def ui_language(document: Document, lang: str | None) -> str:
    """The document language to show for the UI language (``zh-hans`` reads ``zh``)."""
    short = (lang or "en").split("-")[0]
    if short in document.languages:
        return short
    return "en" if "en" in document.languages else document.languages[0]


def document_page(document: Document, *, lang: str, on: date | None = None) -> DocumentPage:
    """Everything the document page shows, in a fixed number of queries whatever the number
    of provisions, states or positions."""
    from concord.negotiation.models import Adoption, Sponsorship

    on = on or timezone.localdate()
    versions = versions_of(document)
    version = versions[-1] if versions else None
    memberships = list(organization_selectors.membership_history(document.organization_id))
    timeline = timeline_of(memberships)
    provisions: list[Provision] = []
    consensus = None
    positions: dict[str, Position] = {}
    silence_row = None
    silence_state = None
    if version is not None:
        version.document = document
        provisions = provisions_of(version)
        positions = current_positions(version)
        silence_row = latest_silence(version)
        outcome = silence_outcome(silence_row, timezone.now())
        silence_state = outcome.value if outcome else None
        bracketed = tuple(
            sorted({p.key for p in provisions if any(t.brackets.all() for t in p.texts.all())})
        )
        verdict = verdict_from(
            timeline=timeline, on=on, positions=positions, bracketed=bracketed, silence=outcome
        )
        consensus = Consensus(verdict, explain(verdict, on=on, timeline=timeline), on)
    blocking = set(consensus.verdict.blocking) if consensus else set()
    names = {m.state.iso3: m.state.name_in(lang) for m in memberships}
    states = sorted(
        (
            StateRow(
                span.state,
                names[span.state],
                span.status.value,
                positions.get(span.state),
                span.state in blocking,
            )
            for span in timeline.states_on(on)
        ),
        key=lambda r: (r.status != Status.MEMBER.value, r.iso3),
    )
    return DocumentPage(
        document=document,
        versions=versions,
        version=version,
        provisions=provisions,
        lang=ui_language(document, lang),
        consensus=consensus,
        states=states,
        silence=silence_row,
        silence_state=silence_state,
        amendments=amendments_of(document),
        sponsors=list(
            Sponsorship.objects.filter(document=document).select_related("state").order_by("id")
        ),
        adoption=Adoption.objects.filter(document=document).select_related("meeting").first(),
        waiting_languages=waiting_languages(
            ((t.language, t.stale, t.text) for p in provisions for t in p.texts.all()),
            document.languages,
        ),
    )


def meeting_agenda_counts(actor: Actor, org: Organization) -> dict[int, int]:
    """How many documents ``actor`` may read on each meeting's agenda (one query)."""
    from django.db.models import Count

    rows = (
        Document.objects.filter(organization=org, meeting__isnull=False)
        .filter(access.documents_visible_to(actor, org))
        .values("meeting_id")
        .annotate(n=Count("id"))
        .values_list("meeting_id", "n")
    )
    return dict(rows)


# ------------------------------------------------ fetches by a user-given key
# Each returns the row if the actor may see it, else NotFound (missing and forbidden alike);
# the decision is access.py's. With ``for_update`` the row is locked (inside atomic).


def document_for_actor(actor: Actor, document_id: int, *, for_update: bool = False) -> Document:
    """The document if ``actor`` may read it, else ``NotFound`` (missing and forbidden alike).

    With ``for_update`` the row is locked (call inside ``transaction.atomic``)."""
    qs = Document.objects.select_related("organization", "body", "meeting", "penholder")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    document = qs.filter(pk=document_id).first()
    if document is None or not access.may_read_document(actor, document):
        raise NotFound(_("No document %(id)s."), field="document", id=document_id)
    return document


def amendment_for_actor(actor: Actor, amendment_id: int, *, for_update: bool = False) -> Amendment:
    qs = Amendment.objects.select_related("document", "document__organization", "version")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    amendment = qs.filter(pk=amendment_id).first()
    if amendment is None or not access.may_read_document(actor, amendment.document):
        raise NotFound(_("No amendment %(id)s."), field="amendment", id=amendment_id)
    return amendment


def citations_of(document: Any) -> Any:
    """The consultation statements that cite ``document``'s provisions (one query).

    The ``Citation`` row belongs to the consultation app and points at the document; this
    reads it through the reverse relation, so negotiation never imports consultation."""
    return document.consultation_citations.select_related(
        "statement", "statement__consultation"
    ).order_by("provision", "id")
