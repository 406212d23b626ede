"""What the three renderers share: languages, labels, footnote numbering, identifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext

from concord.negotiation.publication.model import AdoptedText, Provision, Reservation, pick

# ISO 639-1 (what Concord stores) -> ISO 639-2/T (what Akoma Ntoso expressions name).
ISO639_2 = {
    "ar": "ara",
    "be": "bel",
    "de": "deu",
    "en": "eng",
    "es": "spa",
    "fa": "fas",
    "fr": "fra",
    "hi": "hin",
    "kk": "kaz",
    "ky": "kir",
    "mn": "mon",
    "ru": "rus",
    "tg": "tgk",
    "tr": "tur",
    "ur": "urd",
    "uz": "uzb",
    "zh": "zho",
}

# Concord's language codes -> Django's (settings.LANGUAGES says "zh-hans").
_DJANGO_LANGUAGE = {"zh": "zh-hans"}


def iso639_2(lang: str) -> str:
    base = lang.split("-")[0].lower()
    try:
        return ISO639_2[base]
    except KeyError:
        raise ValueError(f"no ISO 639-2 code known for {lang!r}") from None


def django_language(lang: str) -> str:
    return _DJANGO_LANGUAGE.get(lang, lang)


def slug(value: str) -> str:
    """An identifier-safe slug: ``SCO/CHS/DEC/1/Rev.1`` -> ``sco-chs-dec-1-rev-1``."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "document"


def date_text(value: date, lang: str) -> str:
    """``value`` written the way ``lang`` writes dates (Django's locale formats)."""
    with translation.override(django_language(lang)):
        return formats.date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class Footnote:
    """One numbered footnote: a reservation, in the requested language."""

    number: int
    reservation: Reservation
    text: str

    def label(self, lang: str) -> str:
        with translation.override(django_language(lang)):
            return gettext("Reservation of %(state)s") % {
                "state": pick(self.reservation.state_names, lang)
            }


@dataclass(frozen=True)
class Notes:
    """Footnotes numbered in reading order: document-wide ones first, then by provision.

    A reservation concerning several provisions gets one number, marked on the first
    provision it names (in reading order) and referred to again on the others.
    """

    document: tuple[Footnote, ...]
    by_provision: dict[str, tuple[Footnote, ...]]
    all: tuple[Footnote, ...]


def number_notes(text: AdoptedText, lang: str) -> Notes:
    order = [p.key for p in text.all_provisions()]
    rank = {key: i for i, key in enumerate(order)}

    def first(r: Reservation) -> int:
        return min((rank[k] for k in r.provisions), default=-1)

    ordered = sorted(text.reservations, key=lambda r: (first(r), r.state_iso3))
    notes = tuple(
        Footnote(number=i, reservation=r, text=pick(r.texts, lang))
        for i, r in enumerate(ordered, start=1)
    )
    by_provision: dict[str, list[Footnote]] = {}
    for note in notes:
        for key in note.reservation.provisions:
            by_provision.setdefault(key, []).append(note)
    return Notes(
        document=tuple(n for n in notes if not n.reservation.provisions),
        by_provision={k: tuple(v) for k, v in by_provision.items()},
        all=notes,
    )


def split_provisions(text: AdoptedText) -> tuple[tuple[Provision, ...], tuple[Provision, ...]]:
    """(preambular, operative) top-level provisions, each in document order."""
    preamble = tuple(p for p in text.provisions if p.kind == "preamble")
    body = tuple(p for p in text.provisions if p.kind != "preamble")
    return preamble, body


@dataclass(frozen=True)
class Labels:
    """The fixed wording around the text, in the requested language."""

    adopted: str
    version: str
    sponsors: str
    chain_head: str
    reservations: str
    page: str


def labels(text: AdoptedText, lang: str) -> Labels:
    with translation.override(django_language(lang)):
        return Labels(
            adopted=gettext("Adopted on %(date)s, %(meeting)s")
            % {
                "date": date_text(text.adopted_on, lang),
                "meeting": pick(text.adopted_at_meeting, lang),
            },
            version=gettext("Version %(number)s") % {"number": text.version_number},
            sponsors=gettext("Sponsors: %(states)s") % {"states": ", ".join(text.sponsors)},
            chain_head=gettext("Audit chain head at adoption: %(head)s")
            % {"head": text.chain_head},
            reservations=gettext("Reservations"),
            page=gettext("Page %(page)s of %(pages)s"),
        )
