"""Pure inputs of the publication renderers: an adopted text, frozen, no Django models.

The negotiation services build an :class:`AdoptedText` from the adopted version and hand
it to ``render_html``, ``render_pdf`` or ``render_akn``; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

#: A text in several languages, keyed by ISO 639-1 code ("en", "ru", "zh").
Texts = Mapping[str, str]


@dataclass(frozen=True)
class Provision:
    """One unit of the adopted text: a preambular or operative paragraph, an article...

    ``label`` is what is printed before the text ("1.", "Article 3", "(a)"); may be empty
    ("" for preambular paragraphs, which usually have none). ``children`` nest (sub-paragraphs).
    """

    key: str
    kind: str
    label: str
    texts: Texts
    children: tuple[Provision, ...] = ()
    headings: Texts = field(default_factory=dict)

    def walk(self) -> Iterator[Provision]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Reservation:
    """A state's reservation, published as a footnote on the provisions it concerns.

    An empty ``provisions`` tuple attaches the footnote to the document as a whole.
    ``texts`` holds the reservation in the languages the state supplied; the renderer
    falls back to the first available language when the requested one is missing.
    """

    state_iso3: str
    state_names: Texts
    texts: Texts
    provisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdoptedText:
    """An adopted document as published, in every official language.

    ``org_name`` and ``body_name`` are either one string or a mapping language -> string.
    ``symbol`` is the same in every language. ``chain_head`` is the audit chain head at
    adoption (hex digest), printed in every output.
    """

    org_slug: str
    org_name: Texts | str
    body_name: Texts | str
    symbol: str
    kind: str
    titles: Texts
    languages: tuple[str, ...]
    official_languages: tuple[str, ...]
    adopted_on: date
    adopted_at_meeting: Texts | str
    version_number: int
    provisions: tuple[Provision, ...]
    reservations: tuple[Reservation, ...]
    chain_head: str
    document_id: int | str
    sponsors: tuple[str, ...] = ()
    #: The adopting body's code in the reference data (``chs``): the work URI's author.
    body_slug: str = ""

    def all_provisions(self) -> Iterator[Provision]:
        for provision in self.provisions:
            yield from provision.walk()


def pick(value: Texts | str, lang: str) -> str:
    """The value in ``lang``, else English, else the first language available."""
    if isinstance(value, str):
        return value
    if lang in value:
        return value[lang]
    if "en" in value:
        return value["en"]
    return next(iter(value.values()), "")


def check_publishable(text: AdoptedText, lang: str) -> None:
    """Raise ``ValueError`` when ``text`` cannot be published in ``lang``.

    Disputed text is marked by bracket *data* (the version's Bracket rows), and the caller
    guarantees a clean version. A square bracket inside a text is the delegates' own
    character, kept as it was written: the renderers escape text as they write it.
    """
    if lang not in text.languages:
        raise ValueError(f"{text.symbol} is not available in {lang!r}")
    if not text.provisions:
        raise ValueError(f"{text.symbol} has no provision to publish")
    for provision in text.all_provisions():
        if lang not in provision.texts:
            raise ValueError(f"provision {provision.key!r} has no {lang!r} text")
    keys = {p.key for p in text.all_provisions()}
    for reservation in text.reservations:
        unknown = [k for k in reservation.provisions if k not in keys]
        if unknown:
            raise ValueError(f"reservation of {reservation.state_iso3} names {unknown!r}")
