"""Every rule of a document's lifecycle, in one place.

    draft --version_create--> negotiation --silence_open--> silence --(expired)--> agreed
      ^                          |   ^                        |                      |
      |                          |   +----silence_break-------+                      |
      |                          +--position_set (all members accept)--> agreed -----+
      |                                                                              v
      +-- any stage but adopted --document_withdraw--> withdrawn      adoption_record -> adopted

Who may do what (checks in ``accounts/access.py``):

- ``document_submit``: the secretariat, or a member state's delegation; the penholder is
  given or defaults to the submitting state (none for the secretariat's own drafts).
- ``version_create``: the penholder's delegation alone (the secretariat when the document
  has no penholder); explicit provisions or accepted amendments of the latest version;
  not while a silence procedure runs; a new version asks every state to reconfirm
  (positions are per version) and puts an agreed document back into negotiation.
- ``amendment_propose``: a member state's delegation, on the latest version;
  ``amendment_accept``/``amendment_reject``: the penholder or the secretariat, once.
- ``position_set``: only the head of delegation of its own state, on the latest version;
  observers' and partners' positions are recorded and never block (the pure rules decide).
- ``silence_open``: the secretariat (for the chair), on a clean latest version, with a
  deadline carrying an explicit time zone; ``silence_break``: a member's head of
  delegation, before the deadline, with a reason; ``silence_expire_due`` (also the worker's
  ``tasks.expire_silence_procedures``): an unbroken procedure past its deadline makes the
  version agreed.
- ``adoption_record``: the secretariat, at a meeting of the document's body, on the latest
  version when consensus holds on the meeting's date (409 with the explanation otherwise).
- ``document_withdraw``: the secretariat or the penholder's head of delegation, before
  adoption. ``translation_verify``: the secretariat's translators.

Every service runs in one transaction, locks the document row before reading what it is
about to change, checks an optional ``expected_revision`` (409 on a stale write), and
appends an audit event for every decision-relevant act.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.audit import chain
from concord.audit.services import event_append
from concord.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from concord.common.models import Verification, validated
from concord.consensus import brackets as pure_brackets
from concord.consensus import silence as pure_silence
from concord.consensus.errors import RuleError
from concord.consensus.positions import Position as PurePosition
from concord.consensus.positions import PositionError
from concord.negotiation import selectors, symbols
from concord.negotiation.models import (
    FINAL_STAGES,
    Adoption,
    Amendment,
    AmendmentOp,
    AmendmentStatus,
    Bracket,
    Classification,
    Document,
    Explanation,
    Kind,
    Position,
    Provision,
    ProvisionKind,
    ProvisionText,
    SilenceProcedure,
    SilenceStatus,
    Sponsorship,
    Stage,
    Stand,
    Version,
)
from concord.organization.models import Body, Meeting, Organization, State

# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BracketIn:
    start: int
    end: int
    held_by: tuple[str, ...]
    lang: str = ""


@dataclass(frozen=True)
class ProvisionIn:
    key: str
    kind: str
    texts: dict[str, str]
    brackets: tuple[BracketIn, ...] = ()
    parent: str = ""


@dataclass
class _Draft:
    """A provision being assembled for a new version (internal)."""

    key: str
    kind: str
    parent: str
    texts: dict[str, str]
    brackets: list[BracketIn] = field(default_factory=list)


# --- helpers -------------------------------------------------------------------------------

#: Translated messages for the pure rules' refusals, keyed on their stable codes.
_RULE_ERRORS: dict[str, tuple[type[DomainError], Any]] = {
    "silence_naive_datetime": (InvalidInput, _("The deadline must carry an explicit time zone.")),
    "silence_deadline_not_in_future": (InvalidInput, _("The deadline must be in the future.")),
    "silence_version_not_clean": (
        Conflict,
        _("A silence procedure can only be opened on a version without brackets."),
    ),
    "silence_breaker_not_member": (
        PermissionDenied,
        _("Only a member state may break silence; %(state)s is not a member on that date."),
    ),
    "silence_not_running": (Conflict, _("The silence procedure is no longer running.")),
    "silence_reason_required": (InvalidInput, _("Breaking silence requires a reason.")),
    "reservation_without_text": (InvalidInput, _("A reservation needs its text.")),
    "objection_without_provisions": (
        InvalidInput,
        _("An objection names the provisions it concerns."),
    ),
    "provisions_without_objection": (InvalidInput, _("Only an objection names provisions.")),
    "bracket_out_of_range": (
        InvalidInput,
        _("A bracket must be a non-empty span inside its provision's text."),
    ),
    "bracket_without_states": (InvalidInput, _("A bracket names the states holding it.")),
    "brackets_cross": (InvalidInput, _("Two brackets cross; they may only nest or be apart.")),
}


def _from_rule(exc: RuleError, *, field: str | None = None) -> DomainError:
    error_class, message = _RULE_ERRORS.get(exc.code, (InvalidInput, _("%(detail)s")))
    params = {k: v for k, v in exc.params.items() if isinstance(v, str | int) and k != "field"}
    return error_class(message, field=field, detail=exc.message, **params)


def _now() -> datetime:
    return timezone.now()


def _check_revision(document: Document, expected: int | None) -> None:
    if expected is not None and expected != document.revision:
        raise Conflict(
            _(
                "The document changed meanwhile (revision %(current)s, you sent %(sent)s); "
                "reload it and try again."
            ),
            field="revision",
            current=document.revision,
            sent=expected,
        )


def _bump(document: Document, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(document, name, value)
    document.revision += 1
    document.save(update_fields=["revision", *fields])


def _require_open(document: Document) -> None:
    if document.stage in FINAL_STAGES:
        raise Conflict(
            _("The document is %(stage)s; nothing about it changes any more."),
            stage=document.stage,
        )


def _latest(document: Document, number: int) -> Version:
    """Version ``number`` of ``document``, which must be its latest (409 if superseded)."""
    versions = list(Version.objects.filter(document=document).order_by("-number")[:1])
    version = Version.objects.filter(document=document, number=number).first()
    if version is None:
        raise NotFound(_("No version %(number)s of this document."), field="version", number=number)
    if versions and versions[0].number != number:
        raise Conflict(
            _("Version %(number)s was superseded by version %(latest)s."),
            field="version",
            number=number,
            latest=versions[0].number,
        )
    version.document = document
    return version


def _states(codes: Sequence[str], *, field: str) -> dict[str, State]:
    wanted = {c.upper() for c in codes}
    found = {s.iso3: s for s in State.objects.filter(iso3__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise InvalidInput(
            _("Unknown state code(s): %(codes)s."), field=field, codes=", ".join(missing)
        )
    return found


def _non_blank(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("%(field)s must not be blank."), field=field)
    return value


def _texts(document: Document, texts: dict[str, str], *, field: str) -> dict[str, str]:
    if not texts:
        raise InvalidInput(_("Give the text in at least one language."), field=field)
    unknown = sorted(set(texts) - set(document.languages))
    if unknown:
        raise InvalidInput(
            _("The document is not in %(languages)s (its languages: %(allowed)s)."),
            field=field,
            languages=", ".join(unknown),
            allowed=", ".join(document.languages),
        )
    for lang, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(_("The %(lang)s text is blank."), field=field, lang=lang)
    return {lang: text.strip() for lang, text in texts.items()}


def _audit(actor: Any, act: str, obj: Any, payload: dict[str, Any]) -> str:
    return event_append(actor=actor, act=act, obj=obj, payload=payload).hash


# --- meetings ------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    org: Organization,
    body: str,
    start: date,
    end: date,
    city: str = "",
    host: str | None = None,
    title: str = "",
) -> Meeting:
    access.require_secretariat(actor, org)
    body_obj = Body.objects.filter(organization=org, slug=body).first()
    if body_obj is None:
        raise InvalidInput(_("No body %(body)s in this organization."), field="body", body=body)
    if end < start:
        raise InvalidInput(_("A meeting ends on or after its start."), field="end")
    host_obj = _states([host], field="host")[host.upper()] if host else None
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
    _audit(
        actor,
        "meeting.create",
        meeting,
        {"body": body, "start": start.isoformat(), "end": end.isoformat(), "city": city},
    )
    return meeting


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def document_submit(
    *,
    actor: Any,
    org: Organization,
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
        raise InvalidInput(_("No body %(body)s in this organization."), field="body", body=body)
    meeting_obj = None
    if meeting is not None:
        meeting_obj = Meeting.objects.filter(organization=org, pk=meeting).first()
        if meeting_obj is None:
            raise InvalidInput(_("No meeting %(id)s."), field="meeting", id=meeting)
        if meeting_obj.body_id != body_obj.pk:
            raise InvalidInput(
                _("The target meeting is not a meeting of the adopting body."), field="meeting"
            )
    sponsor_states = _states(sponsors, field="sponsors")
    own = access.acting_state(actor)
    penholder_obj = _states([penholder], field="penholder")[penholder.upper()] if penholder else own
    parent = None
    parent_symbol = symbols.addendum_parent(symbol)
    if parent_symbol is not None:
        parent = Document.objects.filter(organization=org, symbol=parent_symbol).first()
        if parent is None:
            raise InvalidInput(
                _("%(parent)s, which this symbol adds to or corrects, does not exist."),
                field="symbol",
                parent=parent_symbol,
            )
    if Document.objects.filter(organization=org, symbol=symbol).exists():
        raise Conflict(_("A document %(symbol)s exists already."), field="symbol", symbol=symbol)
    now = _now()
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
        created_by=actor,
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
    _audit(
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
def sponsor_join(*, actor: Any, document_id: int, iso3: str) -> Sponsorship:
    """A state joins the sponsors: its own head of delegation, or the secretariat."""
    document = access.document_for_actor(actor, document_id, for_update=True)
    _require_open(document)
    state = _states([iso3], field="state")[iso3.upper()]
    if not access.is_secretariat(actor, document.organization):
        access.require_head_of(actor, state)
    if Sponsorship.objects.filter(document=document, state=state, left_at__isnull=True).exists():
        raise Conflict(_("%(state)s already sponsors this document."), state=state.iso3)
    row = Sponsorship.objects.create(document=document, state=state, joined_at=_now())
    _audit(actor, "document.sponsor_join", document, {"state": state.iso3})
    _bump(document)
    return row


@transaction.atomic
def sponsor_leave(*, actor: Any, document_id: int, iso3: str) -> Sponsorship:
    document = access.document_for_actor(actor, document_id, for_update=True)
    _require_open(document)
    state = _states([iso3], field="state")[iso3.upper()]
    if not access.is_secretariat(actor, document.organization):
        access.require_head_of(actor, state)
    row = (
        Sponsorship.objects.select_for_update()
        .filter(document=document, state=state, left_at__isnull=True)
        .first()
    )
    if row is None:
        raise Conflict(_("%(state)s does not sponsor this document."), state=state.iso3)
    row.left_at = _now()
    row.save(update_fields=["left_at"])
    _audit(actor, "document.sponsor_leave", document, {"state": state.iso3})
    _bump(document)
    return row


@transaction.atomic
def document_withdraw(
    *, actor: Any, document_id: int, reason: str, expected_revision: int | None = None
) -> Document:
    document = access.document_for_actor(actor, document_id, for_update=True)
    if not access.is_secretariat(actor, document.organization):
        access.require_amendment_decider(actor, document)
    _require_open(document)
    _check_revision(document, expected_revision)
    reason = _non_blank(reason, field="reason")
    SilenceProcedure.objects.filter(
        version__document=document, outcome=SilenceStatus.RUNNING
    ).update(outcome=SilenceStatus.BROKEN, closed_at=_now())
    _bump(document, stage=Stage.WITHDRAWN, withdrawn_reason=reason)
    _audit(actor, "document.withdraw", document, {"reason": reason})
    return document


# --- versions ------------------------------------------------------------------------------


def _provisions_from_input(document: Document, items: Sequence[ProvisionIn]) -> list[_Draft]:
    if not items:
        raise InvalidInput(_("A version has at least one provision."), field="provisions")
    seen: set[str] = set()
    drafts = []
    for i, item in enumerate(items):
        where = f"provisions.{i}"
        key = (item.key or "").strip()
        if not key or len(key) > 60:
            raise InvalidInput(_("Each provision has a key of 1-60 characters."), field=where)
        if key in seen:
            raise InvalidInput(_("The key %(key)s is used twice."), field=where, key=key)
        if item.kind not in ProvisionKind.values:
            raise InvalidInput(
                _("kind must be one of %(choices)s."),
                field=f"{where}.kind",
                choices=", ".join(ProvisionKind.values),
            )
        if item.parent and item.parent not in seen:
            raise InvalidInput(
                _("The parent %(parent)s must come before its children."),
                field=f"{where}.parent",
                parent=item.parent,
            )
        seen.add(key)
        texts = _texts(document, item.texts, field=f"{where}.texts")
        drafts.append(_Draft(key, item.kind, item.parent, texts, list(item.brackets)))
    return drafts


def _provisions_from_amendments(
    document: Document, latest: Version, amendments: list[Amendment]
) -> list[_Draft]:
    drafts = [
        _Draft(
            p.key,
            p.kind,
            p.parent.key if p.parent else "",
            {t.language: t.text for t in p.texts.all()},
            [
                BracketIn(b.start, b.end, tuple(b.held_by), t.language)
                for t in p.texts.all()
                for b in t.brackets.all()
            ],
        )
        for p in selectors.provisions_of(latest)
    ]
    for amendment in amendments:
        keys = [d.key for d in drafts]
        if amendment.op == AmendmentOp.INSERT:
            if amendment.provision_key in keys:
                raise Conflict(
                    _("Amendment %(id)s inserts %(key)s, which exists already."),
                    id=amendment.pk,
                    key=amendment.provision_key,
                )
            at = keys.index(amendment.after) + 1 if amendment.after in keys else 0
            drafts.insert(
                at,
                _Draft(
                    amendment.provision_key,
                    amendment.kind or ProvisionKind.OPERATIVE,
                    "",
                    dict(amendment.texts),
                ),
            )
            continue
        if amendment.provision_key not in keys:
            raise Conflict(
                _("Amendment %(id)s concerns %(key)s, which another amendment removed."),
                id=amendment.pk,
                key=amendment.provision_key,
            )
        draft = drafts[keys.index(amendment.provision_key)]
        if amendment.op == AmendmentOp.DELETE:
            drafts.remove(draft)
            for other in drafts:
                if other.parent == draft.key:
                    other.parent = draft.parent
        else:
            draft.texts = {**draft.texts, **amendment.texts}
            # A replaced language loses its brackets: the amendment's text is the new text.
            draft.brackets = [b for b in draft.brackets if b.lang not in amendment.texts]
    if not drafts:
        raise InvalidInput(_("The amendments would leave no provision."), field="from_amendments")
    return drafts


@transaction.atomic
def version_create(
    *,
    actor: Any,
    document_id: int,
    provisions: Sequence[ProvisionIn] | None = None,
    from_amendments: Sequence[int] | None = None,
    note: str = "",
    expected_revision: int | None = None,
) -> Version:
    """Issue the next consolidated version (the penholder alone).

    Either ``provisions`` (the full text) or ``from_amendments`` (ids of accepted amendments
    of the latest version, applied in the order given) is given. A language left out of a
    provision keeps its previous text, marked stale; a language whose text did not change
    while another did is marked stale too (its translation must be confirmed)."""
    document = access.document_for_actor(actor, document_id, for_update=True)
    access.require_penholder(actor, document)
    _require_open(document)
    _check_revision(document, expected_revision)
    if (provisions is None) == (from_amendments is None):
        raise InvalidInput(
            _("Give either provisions or from_amendments, not both or neither."),
            field="provisions",
        )
    if document.stage == Stage.SILENCE:
        raise Conflict(
            _("A silence procedure is running on this document; no new version meanwhile.")
        )
    previous = Version.objects.filter(document=document).order_by("-number").first()
    amendments: list[Amendment] = []
    if from_amendments is not None:
        if previous is None:
            raise Conflict(_("There is no version to amend yet."))
        ids = list(dict.fromkeys(from_amendments))
        if not ids:
            raise InvalidInput(_("Name at least one amendment."), field="from_amendments")
        found = {
            a.pk: a
            for a in Amendment.objects.select_for_update().filter(document=document, pk__in=ids)
        }
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(
                _("No amendment %(ids)s of this document."),
                field="from_amendments",
                ids=", ".join(map(str, missing)),
            )
        amendments = [found[i] for i in ids]
        for a in amendments:
            if a.status != AmendmentStatus.ACCEPTED or a.applied_in_id is not None:
                raise Conflict(
                    _("Amendment %(id)s is not an accepted, unapplied amendment."), id=a.pk
                )
            if a.version_id != previous.pk:
                raise Conflict(_("Amendment %(id)s was made on an earlier version."), id=a.pk)
        drafts = _provisions_from_amendments(document, previous, amendments)
    else:
        assert provisions is not None
        drafts = _provisions_from_input(document, provisions)

    old: dict[str, dict[str, ProvisionText]] = {}
    if previous is not None:
        for p in selectors.provisions_of(previous):
            old[p.key] = {t.language: t for t in p.texts.all()}

    number = (previous.number if previous else 0) + 1
    now = _now()
    version = Version(
        document=document,
        number=number,
        symbol=symbols.of_version(document.symbol, number),
        note=(note or "").strip(),
        created_by=actor,
        created_at=now,
    )
    validated(version)
    version.save()

    rows = [
        Provision(version=version, key=d.key, kind=d.kind, order=i + 1)
        for i, d in enumerate(drafts)
    ]
    Provision.objects.bulk_create(rows)
    by_key = {p.key: p for p in rows}
    with_parent = []
    for d in drafts:
        if d.parent:
            by_key[d.key].parent = by_key[d.parent]
            with_parent.append(by_key[d.key])
    if with_parent:
        Provision.objects.bulk_update(with_parent, ["parent"])

    text_rows: list[ProvisionText] = []
    pending_brackets: list[tuple[ProvisionText, BracketIn]] = []
    all_states: set[str] = set()
    for i, d in enumerate(drafts):
        before = old.get(d.key, {})
        changed = {
            lang
            for lang, text in d.texts.items()
            if lang not in before or before[lang].text != text
        }
        by_lang: dict[str, list[BracketIn]] = {}
        default_lang = next(iter(d.texts))
        for b in d.brackets:
            by_lang.setdefault(b.lang or default_lang, []).append(b)
        for lang in document.languages:
            prior = before.get(lang)
            if lang in d.texts:
                text = d.texts[lang]
                # Unchanged while another language changed: the translation must be confirmed.
                stale = lang not in changed and bool(changed - {lang})
                if lang not in changed and not stale and prior is not None:
                    stale = prior.stale
            elif prior is not None:
                text, stale = prior.text, bool(changed) or prior.stale
            else:
                text, stale = "", True
            keep_verification = prior is not None and not stale and lang not in changed
            row = ProvisionText(
                provision=by_key[d.key],
                language=lang,
                text=text,
                stale=stale,
                verified_by=prior.verified_by if keep_verification and prior else None,
                verified_at=prior.verified_at if keep_verification and prior else None,
            )
            text_rows.append(row)
            spans = by_lang.pop(lang, [])
            try:
                checked = pure_brackets.validate_brackets(
                    text, [pure_brackets.Bracket(b.start, b.end, tuple(b.held_by)) for b in spans]
                )
            except RuleError as exc:
                raise _from_rule(exc, field=f"provisions.{i}.brackets") from None
            for span in checked:
                all_states.update(span.states)
                pending_brackets.append((row, BracketIn(span.start, span.end, span.states, lang)))
        if by_lang:
            raise InvalidInput(
                _("A bracket is in %(lang)s, which the document is not written in."),
                field=f"provisions.{i}.brackets",
                lang=", ".join(by_lang),
            )
    if all_states:
        _states(sorted(all_states), field="brackets.held_by")
    ProvisionText.objects.bulk_create(text_rows)
    Bracket.objects.bulk_create(
        Bracket(text=row, start=b.start, end=b.end, held_by=list(b.held_by))
        for row, b in pending_brackets
    )
    for a in amendments:
        a.applied_in = version
    if amendments:
        Amendment.objects.bulk_update(amendments, ["applied_in"])
    stage = Stage.NEGOTIATION if document.stage in (Stage.DRAFT, Stage.AGREED) else document.stage
    _bump(document, stage=stage)
    _audit(
        actor,
        "version.create",
        version,
        {
            "document": document.pk,
            "number": number,
            "symbol": version.symbol,
            "note": version.note,
            "from_amendments": [a.pk for a in amendments],
            "text_digest": chain.digest(
                [[d.key, d.kind, d.parent, sorted(d.texts.items())] for d in drafts]
            ),
            "brackets": [
                [row.provision.key, row.language, b.start, b.end, list(b.held_by)]
                for row, b in pending_brackets
            ],
        },
    )
    return version


@transaction.atomic
def translation_verify(
    *, actor: Any, document_id: int, version_number: int, key: str, lang: str
) -> ProvisionText:
    """A translator of the secretariat confirms one language of one provision."""
    document = access.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    _require_open(document)
    version = _latest(document, version_number)
    row = (
        ProvisionText.objects.select_for_update()
        .filter(provision__version=version, provision__key=key, language=lang)
        .first()
    )
    if row is None:
        raise NotFound(_("No %(lang)s text of provision %(key)s."), key=key, lang=lang)
    if not row.text.strip():
        raise Conflict(_("There is no %(lang)s text to verify yet."), lang=lang)
    row.stale = False
    row.verified_by = actor
    row.verified_at = _now()
    row.save(update_fields=["stale", "verified_by", "verified_at"])
    _audit(
        actor,
        "translation.verify",
        row,
        {"document": document.pk, "version": version.number, "key": key, "lang": lang},
    )
    _bump(document)
    return row


# --- amendments ----------------------------------------------------------------------------


@transaction.atomic
def amendment_propose(
    *,
    actor: Any,
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
    document = access.document_for_actor(actor, document_id, for_update=True)
    access.require_amendment_proposer(actor, document)
    _require_open(document)
    _check_revision(document, expected_revision)
    if document.stage == Stage.SILENCE:
        raise Conflict(_("A silence procedure is running: the text is closed to amendments."))
    version = _latest(document, version_number)
    if op not in AmendmentOp.values:
        raise InvalidInput(_("op must be insert, replace or delete."), field="op")
    reason = _non_blank(reason, field="reason")
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
        clean_texts: dict[str, str] = {}
    else:
        clean_texts = _texts(document, texts or {}, field="texts")
    state = access.acting_state(actor)
    assert state is not None
    amendment = Amendment(
        document=document,
        version=version,
        provision_key=provision,
        op=op,
        kind=kind if op == AmendmentOp.INSERT else "",
        after=after if op == AmendmentOp.INSERT else "",
        texts=clean_texts,
        reason=reason,
        state=state,
        proposed_by=actor,
        proposed_at=_now(),
    )
    validated(amendment)
    amendment.save()
    _audit(
        actor,
        "amendment.propose",
        amendment,
        {
            "document": document.pk,
            "version": version.number,
            "provision": provision,
            "op": op,
            "texts": clean_texts,
            "reason": reason,
            "state": state.iso3,
        },
    )
    _bump(document)
    return amendment


def _amendment_decide(*, actor: Any, amendment_id: int, accept: bool) -> Amendment:
    # Lock order everywhere: the document first, then the rows under it (no deadlock with
    # version_create, which locks the document and then the amendments it applies).
    found = access.amendment_for_actor(actor, amendment_id)
    document = access.document_for_actor(actor, found.document_id, for_update=True)
    amendment = access.amendment_for_actor(actor, amendment_id, for_update=True)
    access.require_amendment_decider(actor, document)
    _require_open(document)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise Conflict(
            _("Amendment %(id)s was already %(status)s."),
            id=amendment.pk,
            status=amendment.status,
        )
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.decided_by = actor
    amendment.decided_at = _now()
    amendment.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        actor,
        "amendment.accept" if accept else "amendment.reject",
        amendment,
        {"document": document.pk, "status": amendment.status},
    )
    _bump(document)
    return amendment


@transaction.atomic
def amendment_accept(*, actor: Any, amendment_id: int) -> Amendment:
    return _amendment_decide(actor=actor, amendment_id=amendment_id, accept=True)


@transaction.atomic
def amendment_reject(*, actor: Any, amendment_id: int) -> Amendment:
    return _amendment_decide(actor=actor, amendment_id=amendment_id, accept=False)


# --- positions -----------------------------------------------------------------------------


@transaction.atomic
def position_set(
    *,
    actor: Any,
    document_id: int,
    version_number: int,
    iso3: str,
    stand: str,
    text: str = "",
    provisions: Sequence[str] = (),
    expected_revision: int | None = None,
) -> Position:
    """Append the state's position on the latest version (its head of delegation only).

    A member's objection blocks; an observer's or partner's is recorded and never blocks
    (the pure ``consensus`` rule decides that, not this function). When every member now
    accepts, the document becomes agreed; when an agreed document loses that, it returns
    to negotiation."""
    document = access.document_for_actor(actor, document_id, for_update=True)
    state = State.objects.filter(iso3=(iso3 or "").upper()).first()
    if state is None:
        raise NotFound(_("No state %(iso3)s."), field="iso3", iso3=iso3)
    status = access.require_position_setter(actor, document, state)
    _require_open(document)
    _check_revision(document, expected_revision)
    if document.stage == Stage.DRAFT:
        raise Conflict(_("The draft has no version to take a position on yet."))
    version = _latest(document, version_number)
    if stand not in Stand.values:
        raise InvalidInput(_("stand must be support, reservation or objection."), field="stand")
    keys = set(Provision.objects.filter(version=version).values_list("key", flat=True))
    unknown = sorted(set(provisions) - keys)
    if unknown:
        raise InvalidInput(
            _("No provision %(keys)s in this version."), field="provisions", keys=", ".join(unknown)
        )
    try:
        pure = PurePosition(state.iso3, stand, (text or "").strip(), tuple(provisions))  # type: ignore[arg-type]
    except PositionError as exc:
        raise _from_rule(exc, field="stand") from None
    position = Position(
        version=version,
        state=state,
        stand=stand,
        text=pure.text,
        provisions=list(pure.provisions),
        by=actor,
        at=_now(),
        status_then=status.value,
    )
    validated(position)
    position.save()
    _audit(
        actor,
        "position.set",
        position,
        {
            "document": document.pk,
            "version": version.number,
            "state": state.iso3,
            "status": status.value,
            "stand": stand,
            "text": pure.text,
            "provisions": list(pure.provisions),
        },
    )
    stage = document.stage
    if stage in (Stage.NEGOTIATION, Stage.AGREED):
        verdict = selectors.verdict_of(version, on=timezone.localdate(), now=_now())
        stage = Stage.AGREED if verdict.reached else Stage.NEGOTIATION
    _bump(document, stage=stage)
    return position


# --- silence procedure ---------------------------------------------------------------------


def _pure_procedure(row: SilenceProcedure) -> pure_silence.SilenceProcedure:
    zone = dt_timezone(timedelta(minutes=row.deadline_offset_minutes))
    return pure_silence.SilenceProcedure(
        opened_at=row.opened_at,
        deadline=row.deadline.astimezone(zone),
        broken_by=row.broken_by.iso3 if row.broken_by else None,
        broken_at=row.broken_at,
        reason=row.reason,
    )


@transaction.atomic
def silence_open(
    *,
    actor: Any,
    document_id: int,
    version_number: int,
    deadline: datetime,
    expected_revision: int | None = None,
) -> SilenceProcedure:
    document = access.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    _require_open(document)
    _check_revision(document, expected_revision)
    if document.stage not in (Stage.NEGOTIATION, Stage.AGREED):
        raise Conflict(
            _("A silence procedure opens on a document under negotiation, not one %(stage)s."),
            stage=document.stage,
        )
    version = _latest(document, version_number)
    now = _now()
    clean = not selectors.bracketed_keys(version)
    try:
        proc = pure_silence.open_silence(now=now, deadline=deadline, clean=clean)
    except RuleError as exc:
        raise _from_rule(exc, field="deadline") from None
    offset = deadline.utcoffset() or timedelta(0)
    row = SilenceProcedure(
        version=version,
        opened_by=actor,
        opened_at=proc.opened_at,
        deadline=proc.deadline.astimezone(UTC),
        deadline_offset_minutes=int(offset.total_seconds() // 60),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(_("A silence procedure is already running on this version.")) from None
    _bump(document, stage=Stage.SILENCE)
    _audit(
        actor,
        "silence.open",
        row,
        {
            "document": document.pk,
            "version": version.number,
            "deadline": deadline.isoformat(),
        },
    )
    return row


def _running(version: Version) -> SilenceProcedure:
    row = (
        SilenceProcedure.objects.select_for_update()
        .filter(version=version, outcome=SilenceStatus.RUNNING)
        .first()
    )
    if row is None:
        raise Conflict(_("No silence procedure is running on this version."))
    return row


@transaction.atomic
def silence_break(
    *, actor: Any, document_id: int, version_number: int, reason: str
) -> SilenceProcedure:
    document = access.document_for_actor(actor, document_id, for_update=True)
    state = access.require_silence_breaker(actor, document)
    _require_open(document)
    version = _latest(document, version_number)
    row = _running(version)
    try:
        broken = pure_silence.break_silence(
            _pure_procedure(row),
            state=state.iso3,
            now=_now(),
            reason=reason or "",
            timeline=selectors.timeline_of_document(document),
        )
    except RuleError as exc:
        raise _from_rule(exc, field="reason") from None
    row.broken_by = state
    row.broken_by_user = actor
    row.broken_at = broken.broken_at
    row.reason = broken.reason
    row.outcome = SilenceStatus.BROKEN
    row.closed_at = broken.broken_at
    row.save(
        update_fields=["broken_by", "broken_by_user", "broken_at", "reason", "outcome", "closed_at"]
    )
    _bump(document, stage=Stage.NEGOTIATION)
    _audit(
        actor,
        "silence.break",
        row,
        {
            "document": document.pk,
            "version": version.number,
            "state": state.iso3,
            "reason": broken.reason,
        },
    )
    return row


def _expire(row: SilenceProcedure, now: datetime) -> bool:
    if pure_silence.outcome(_pure_procedure(row), now) is not pure_silence.SilenceOutcome.EXPIRED:
        return False
    row.outcome = SilenceStatus.EXPIRED
    row.closed_at = row.deadline
    row.save(update_fields=["outcome", "closed_at"])
    document = Document.objects.select_for_update().get(pk=row.version.document_id)
    if document.stage == Stage.SILENCE:
        _bump(document, stage=Stage.AGREED)
    _audit(
        None,
        "silence.expire",
        row,
        {
            "document": document.pk,
            "version": row.version.number,
            "deadline": row.deadline.isoformat(),
        },
    )
    return True


@transaction.atomic
def silence_expire_due(*, now: datetime | None = None) -> int:
    """Close every running procedure whose deadline has passed unbroken: the version is
    agreed. Safe to run in several workers at once (rows are locked; a closed one is skipped).
    Returns how many procedures expired."""
    now = now or _now()
    due = list(
        SilenceProcedure.objects.filter(outcome=SilenceStatus.RUNNING, deadline__lte=now)
        .order_by("deadline", "id")
        .values_list("pk", "version__document_id")
    )
    expired = 0
    for pk, document_id in due:
        with transaction.atomic():
            # The document first, then the procedure, as silence_break does.
            Document.objects.select_for_update().filter(pk=document_id).first()
            row = (
                SilenceProcedure.objects.select_for_update(of=("self",))
                .select_related("version")
                .filter(pk=pk, outcome=SilenceStatus.RUNNING)
                .first()
            )
            expired += bool(row is not None and _expire(row, now))
    return expired


# --- adoption ------------------------------------------------------------------------------


@transaction.atomic
def adoption_record(
    *,
    actor: Any,
    document_id: int,
    version_number: int,
    meeting_id: int,
    expected_revision: int | None = None,
) -> Adoption:
    """Record adoption at ``meeting`` (of the document's body) on the meeting's first day.

    Refused with 409 and the explanation when consensus does not hold on that date."""
    document = access.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    _require_open(document)
    _check_revision(document, expected_revision)
    version = _latest(document, version_number)
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
    now = _now()
    for row in (
        SilenceProcedure.objects.select_for_update(of=("self",))
        .select_related("version")
        .filter(version=version, outcome=SilenceStatus.RUNNING)
    ):
        _expire(row, now)
    on = meeting.start
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
    adoption = Adoption(
        document=document,
        version=version,
        meeting=meeting,
        on=on,
        at=now,
        recorded_by=actor,
        audit_head="",
    )
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError:
        raise Conflict(_("The document was adopted already.")) from None
    _bump(document, stage=Stage.ADOPTED)
    head = _audit(
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
        },
    )
    # The chain head at adoption is the adoption's own event: it seals everything before it.
    adoption.audit_head = head
    adoption.save(update_fields=["audit_head"])
    return adoption


@transaction.atomic
def explanation_add(*, actor: Any, document_id: int, text: str) -> Explanation:
    """An explanation of position after adoption: a statement linked to the decision, by the
    state's head of delegation; it never enters the adopted text."""
    document = access.document_for_actor(actor, document_id, for_update=True)
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
        text=_non_blank(text, field="text"),
        by=actor,
        at=_now(),
    )
    validated(row)
    row.save()
    _audit(actor, "explanation.add", row, {"document": document.pk, "state": state.iso3})
    return row
