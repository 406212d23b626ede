"""Consolidated versions and their translations.

    draft --version_create--> negotiation;  agreed --version_create--> negotiation

Rules (checks in ``accounts/access.py``):

- ``version_create``: the penholder's delegation alone (the secretariat when the document
  has no penholder); either explicit provisions or accepted, unapplied amendments of the
  latest version, never both; not while a silence procedure runs. A new version asks every
  state to reconfirm (positions are per version) and puts an agreed document back into
  negotiation. Keys are unique, 1-60 characters, parents before children; brackets are
  non-empty spans held by known states and nest or stay apart.
- Staleness (the pure ``compute.text_state``): a language left out keeps its previous text,
  marked stale; a language unchanged while another changed is stale; a text neither
  changed nor stale keeps its translator's verification.
- ``translation_verify``: the secretariat's translators confirm one language of one
  provision of the latest version; an empty text cannot be verified.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.audit import chain
from concord.common.errors import Conflict, InvalidInput, NotFound
from concord.common.models import validated
from concord.consensus import brackets as pure_brackets
from concord.consensus.errors import RuleError
from concord.negotiation import selectors, symbols
from concord.negotiation.compute import (
    BracketIn,
    Draft,
    Prior,
    ProvisionIn,
    apply_amendments,
    brackets_by_language,
    changed_languages,
    drafts_of,
    text_state,
)
from concord.negotiation.models import (
    Amendment,
    AmendmentStatus,
    Bracket,
    Document,
    Provision,
    ProvisionKind,
    ProvisionText,
    Stage,
    Version,
)
from concord.negotiation.services.common import (
    audit,
    bump,
    check_revision,
    clean_texts,
    from_rule,
    latest_version,
    require_open,
    states_by_code,
    time_now,
)


def _provisions_from_input(document: Document, items: Sequence[ProvisionIn]) -> list[Draft]:
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
        texts = clean_texts(document, item.texts, field=f"{where}.texts")
        drafts.append(Draft(key, item.kind, item.parent, texts, list(item.brackets)))
    return drafts


@transaction.atomic
def version_create(
    *,
    actor: Actor,
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
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_penholder(actor, document)
    require_open(document)
    check_revision(document, expected_revision)
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
            raise NotFound(
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
        drafts = apply_amendments(drafts_of(selectors.provisions_of(previous)), amendments)
    else:
        assert provisions is not None
        drafts = _provisions_from_input(document, provisions)

    old: dict[str, dict[str, ProvisionText]] = {}
    if previous is not None:
        for p in selectors.provisions_of(previous):
            old[p.key] = {t.language: t for t in p.texts.all()}

    number = (previous.number if previous else 0) + 1
    now = time_now()
    version = Version(
        document=document,
        number=number,
        symbol=symbols.of_version(document.symbol, number),
        note=(note or "").strip(),
        created_by=access.user_of(actor),
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
        rows_before = old.get(d.key, {})
        before = {lang: Prior(t.text, t.stale) for lang, t in rows_before.items()}
        changed = changed_languages(d.texts, before)
        by_lang = brackets_by_language(d)
        for lang in document.languages:
            state = text_state(lang, d.texts, before, changed)
            prior = rows_before.get(lang) if state.keeps_verification else None
            row = ProvisionText(
                provision=by_key[d.key],
                language=lang,
                text=state.text,
                stale=state.stale,
                verified_by=prior.verified_by if prior else None,
                verified_at=prior.verified_at if prior else None,
            )
            text_rows.append(row)
            spans = by_lang.pop(lang, [])
            try:
                checked = pure_brackets.validate_brackets(
                    state.text,
                    [pure_brackets.Bracket(b.start, b.end, tuple(b.held_by)) for b in spans],
                )
            except RuleError as exc:
                raise from_rule(exc, field=f"provisions.{i}.brackets") from None
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
        states_by_code(sorted(all_states), field="brackets.held_by")
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
    bump(document, stage=stage)
    audit(
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
            # Every stored text, as ``negotiation.evidence.version_rows`` recomputes it.
            "rows_digest": _rows_digest(rows, text_rows),
        },
    )
    return version


def _rows_digest(rows: list[Provision], text_rows: list[ProvisionText]) -> str:
    texts: dict[str, list[list[str]]] = {}
    for t in text_rows:
        texts.setdefault(t.provision.key, []).append([t.language, t.text])
    return chain.digest(
        [
            [p.key, p.kind, p.parent.key if p.parent else "", p.order, sorted(texts.get(p.key, []))]
            for p in rows
        ]
    )


@transaction.atomic
def translation_verify(
    *, actor: Actor, document_id: int, version_number: int, key: str, lang: str
) -> ProvisionText:
    """A translator of the secretariat confirms one language of one provision."""
    document = selectors.document_for_actor(actor, document_id, for_update=True)
    access.require_secretariat(actor, document.organization)
    require_open(document)
    version = latest_version(document, version_number)
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
    row.verified_by = access.user_of(actor)
    row.verified_at = time_now()
    row.save(update_fields=["stale", "verified_by", "verified_at"])
    audit(
        actor,
        "translation.verify",
        row,
        {"document": document.pk, "version": version.number, "key": key, "lang": lang},
    )
    bump(document)
    return row
