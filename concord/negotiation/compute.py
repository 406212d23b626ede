"""Pure computations on negotiation data: no queries, no writes.

Services and selectors both use these, so neither imports the other for them (selectors
never import services). Everything here takes rows already loaded, or plain values, and
returns plain values:

- ``pure_procedure``: a stored silence procedure as the pure rule's dataclass, with its
  deadline in the time zone it was opened with.
- ``drafts_of`` and ``apply_amendments``: bracket assembly, i.e. the provisions of a new
  version built from the latest one and the accepted amendments, each language keeping
  its brackets unless the amendment replaced that language's text.
- ``brackets_by_language``: a provision's brackets grouped by the language they mark.
- ``changed_languages`` and ``text_state``: staleness, i.e. which languages of a provision
  changed and whether each language's text must be confirmed by a translator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from datetime import timezone as dt_timezone
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from concord.common.errors import Conflict, InvalidInput
from concord.consensus import silence as pure_silence
from concord.negotiation.models import AmendmentOp, ProvisionKind

if TYPE_CHECKING:
    from concord.negotiation.models import Amendment, Provision, SilenceProcedure

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
class Draft:
    """A provision being assembled for a new version."""

    key: str
    kind: str
    parent: str
    texts: dict[str, str]
    brackets: list[BracketIn] = field(default_factory=list)


@dataclass(frozen=True)
class Prior:
    """One language's text of a provision in the previous version."""

    text: str
    stale: bool


@dataclass(frozen=True)
class TextState:
    """One language's text of a provision in the new version."""

    text: str
    stale: bool
    keeps_verification: bool


# --- silence -------------------------------------------------------------------------------


def pure_procedure(row: SilenceProcedure) -> pure_silence.SilenceProcedure:
    """The stored procedure for the pure rules (``row.broken_by`` loaded or null)."""
    zone = dt_timezone(timedelta(minutes=row.deadline_offset_minutes))
    return pure_silence.SilenceProcedure(
        opened_at=row.opened_at,
        deadline=row.deadline.astimezone(zone),
        broken_by=row.broken_by.iso3 if row.broken_by else None,
        broken_at=row.broken_at,
        reason=row.reason,
    )


# --- bracket assembly ----------------------------------------------------------------------


def drafts_of(provisions: Iterable[Provision]) -> list[Draft]:
    """The provisions of a version (texts and brackets prefetched) as drafts to change."""
    return [
        Draft(
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
        for p in provisions
    ]


def apply_amendments(drafts: list[Draft], amendments: Sequence[Amendment]) -> list[Draft]:
    """Apply accepted amendments in the order given; 409 when one no longer applies."""
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
                Draft(
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


def brackets_by_language(draft: Draft) -> dict[str, list[BracketIn]]:
    """The draft's brackets by language; a bracket without one marks the first text."""
    by_lang: dict[str, list[BracketIn]] = {}
    default_lang = next(iter(draft.texts))
    for b in draft.brackets:
        by_lang.setdefault(b.lang or default_lang, []).append(b)
    return by_lang


# --- staleness -----------------------------------------------------------------------------


def changed_languages(texts: Mapping[str, str], before: Mapping[str, Prior]) -> frozenset[str]:
    """The languages whose text is new or differs from the previous version's."""
    return frozenset(
        lang for lang, text in texts.items() if lang not in before or before[lang].text != text
    )


def text_state(
    lang: str, texts: Mapping[str, str], before: Mapping[str, Prior], changed: frozenset[str]
) -> TextState:
    """``lang``'s text in the new version and whether a translator must confirm it.

    A language left out keeps its previous text, stale when another language changed; a
    language whose text did not change while another did is stale too; a text neither
    changed nor stale keeps its verification."""
    prior = before.get(lang)
    if lang in texts:
        text = texts[lang]
        # Unchanged while another language changed: the translation must be confirmed.
        stale = lang not in changed and bool(changed - {lang})
        if lang not in changed and not stale and prior is not None:
            stale = prior.stale
    elif prior is not None:
        text, stale = prior.text, bool(changed) or prior.stale
    else:
        text, stale = "", True
    keeps = prior is not None and not stale and lang not in changed
    return TextState(text, stale, keeps)
