"""PDF export with fpdf2, in one font that covers Latin, Cyrillic and Chinese.

The font is Noto Sans CJK (SIL Open Font License 1.1) from the ``noto-cjk-sans-otc``
package on PyPI, so a fresh machine needs no system font. Reservations are real
footnotes: each page reserves room at its bottom for the notes whose markers it
carries. The audit chain head at adoption is the last line of the last page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from concord.negotiation.publication.common import (
    Footnote,
    Labels,
    labels,
    number_notes,
    split_provisions,
)
from concord.negotiation.publication.model import AdoptedText, Provision, check_publishable, pick

FONT = "NotoSansCJK"
# Faces of the collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK. Chinese texts are in simplified
# characters; the other languages only need its Latin and Cyrillic, the same in every face.
_SC_FACE = 2

_MARGIN = 20.0  # mm, all four sides
_LINE = 6.0  # mm, body line height at 11 pt
_NOTE_LINE = 4.2  # mm, footnote line height at 8 pt
_LABEL_W = 12.0  # mm, hanging column for "1.", "(a)"
_INDENT = 8.0  # mm per nesting level

# Han, kana and CJK punctuation: text with no spaces between words, wrapped anywhere.
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _wrap(text: str) -> WrapMode:
    return WrapMode.CHAR if _CJK.search(text) else WrapMode.WORD


@cache
def font_path() -> Path:
    """The Noto Sans CJK collection installed by the ``noto-cjk-sans-otc`` package."""
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


class _Document(FPDF):
    def __init__(self, text: AdoptedText, lang: str, words: Labels) -> None:
        super().__init__(format="A4", unit="mm")
        self.lang = lang
        self.words = words
        self.symbol = text.symbol
        self.page_notes: list[Footnote] = []  # notes whose markers are on this page
        self.incoming: list[Footnote] = []  # notes of the block being written
        self.last_page = False
        self.add_font(FONT, "", str(font_path()), collection_font_number=_SC_FACE)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_title(f"{text.symbol} — {pick(text.titles, lang)}")
        self.set_subject(pick(text.body_name, lang))
        self.set_author(pick(text.org_name, lang))
        self.set_creator("Concord")
        self.set_lang(lang)
        # Reproducible output: the adoption date, not the wall clock.
        self.set_creation_date(datetime.combine(text.adopted_on, time(), tzinfo=UTC))
        self.reserve()

    # Footnotes -------------------------------------------------------------------------

    def note_text(self, note: Footnote) -> str:
        return f"{note.number}  {note.label(self.lang)}: {note.text}"

    def notes_height(self, notes: Sequence[Footnote]) -> float:
        if not notes:
            return 0.0
        size = self.font_size_pt
        self.set_font(FONT, size=8)
        height = 3.0  # the separator rule and its gap
        for note in notes:
            measured = self.multi_cell(
                self.epw,
                _NOTE_LINE,
                self.note_text(note),
                dry_run=True,
                output="HEIGHT",
                wrapmode=_wrap(self.note_text(note)),
            )
            assert isinstance(measured, float | int)
            height += float(measured)
        self.set_font(FONT, size=size)
        return height

    def closing_height(self) -> float:
        return _NOTE_LINE + 2.0 if self.last_page else 0.0

    def reserve(self) -> None:
        """Move the page-break line up so that this page's footnotes fit below it."""
        notes_h = self.notes_height([*self.page_notes, *self.incoming])
        self.set_auto_page_break(True, margin=_MARGIN + notes_h + self.closing_height())

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.set_xy(_MARGIN, 10)
        self.cell(self.epw / 2, 5, self.symbol)
        page = self.words.page % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(self.epw / 2, 5, page, align="R")
        self.set_text_color(0)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_font(FONT, size=11)

    def footer(self) -> None:
        size, left = self.font_size_pt, self.l_margin
        self.set_left_margin(_MARGIN)  # the page may end inside an indented paragraph
        bottom = self.h - _MARGIN
        top = bottom - self.notes_height(self.page_notes) - self.closing_height()
        self.set_auto_page_break(False)
        if self.page_notes:
            self.set_draw_color(120)
            self.line(_MARGIN, top + 1.0, _MARGIN + 50, top + 1.0)
            self.set_xy(_MARGIN, top + 3.0)
            self.set_font(FONT, size=8)
            for note in self.page_notes:
                self.multi_cell(
                    self.epw,
                    _NOTE_LINE,
                    self.note_text(note),
                    align="L",
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                    wrapmode=_wrap(self.note_text(note)),
                )
        if self.last_page:
            self.set_font(FONT, size=7)
            self.set_xy(_MARGIN, bottom - _NOTE_LINE)
            self.cell(self.epw, _NOTE_LINE, self.words.chain_head)
        self.page_notes = []
        self.set_font(FONT, size=size)
        self.set_left_margin(left)
        self.reserve()

    # Text ------------------------------------------------------------------------------

    def markers(self, notes: Sequence[Footnote]) -> None:
        if not notes:
            return
        self.char_vpos = "SUP"
        self.write(_LINE, ",".join(str(n.number) for n in notes))
        self.char_vpos = "LINE"

    def block(self, notes: Sequence[Footnote], seen: set[int]) -> list[Footnote]:
        """Announce the footnotes of the next block; returns those printed for the first
        time (a reservation on several provisions is printed once, marked on each)."""
        new = [n for n in notes if n.number not in seen]
        seen.update(n.number for n in new)
        self.incoming = new
        self.reserve()
        if self.get_y() + _LINE > self.page_break_trigger:
            self.add_page()
        return new

    def settle(self) -> None:
        self.page_notes.extend(self.incoming)
        self.incoming = []

    def centered(self, text: str, size: float, notes: Sequence[Footnote] = ()) -> None:
        self.set_font(FONT, size=size)
        height = size * 0.5
        lines = self.multi_cell(
            self.epw, height, text, dry_run=True, output="LINES", wrapmode=_wrap(text)
        )
        assert isinstance(lines, list)
        marker = ",".join(str(n.number) for n in notes)
        for index, line in enumerate(lines):
            mark = marker if index == len(lines) - 1 else ""
            width = self.get_string_width(line)
            self.char_vpos = "SUP"
            mark_w = self.get_string_width(mark) if mark else 0.0
            self.char_vpos = "LINE"
            self.set_x(_MARGIN + (self.epw - width - mark_w) / 2)
            self.cell(width, height, line)
            if mark:
                self.char_vpos = "SUP"
                self.cell(mark_w, height, mark)
                self.char_vpos = "LINE"
            self.ln(height)

    def paragraph(
        self, label: str, body: str, notes: Sequence[Footnote], depth: int, hanging: bool
    ) -> None:
        self.set_font(FONT, size=11)
        left = _MARGIN + depth * _INDENT
        y = self.get_y()
        if hanging:
            self.set_xy(left, y)
            self.cell(_LABEL_W, _LINE, label)
            left += _LABEL_W
            self.set_left_margin(left)
            self.set_xy(left, y)
            self.write(_LINE, body, wrapmode=_wrap(body))
        else:
            self.set_left_margin(left)
            self.set_xy(left, y)
            self.write(_LINE, f"{label} {body}".strip(), wrapmode=_wrap(body))
        self.markers(notes)
        self.ln(_LINE + 1.5)
        self.set_left_margin(_MARGIN)


def _provision(
    pdf: _Document,
    provision: Provision,
    lang: str,
    by_key: dict[str, tuple[Footnote, ...]],
    seen: set[int],
    depth: int,
) -> None:
    notes = by_key.get(provision.key, ())
    pdf.block(notes, seen)
    heading = provision.headings.get(lang, "") if provision.headings else ""
    if heading:
        pdf.set_font(FONT, size=11)
        pdf.set_x(_MARGIN + depth * _INDENT)
        pdf.cell(0, _LINE, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(provision.label, provision.texts[lang], notes, depth, hanging=True)
    pdf.settle()
    for child in provision.children:
        _provision(pdf, child, lang, by_key, seen, depth + 1)


def render_pdf(text: AdoptedText, lang: str) -> bytes:
    """The PDF of ``text`` in ``lang`` (A4).

    Raises ``ValueError`` if the text is not publishable in ``lang``.
    """
    check_publishable(text, lang)
    words = labels(text, lang)
    notes = number_notes(text, lang)
    seen: set[int] = set()
    pdf = _Document(text, lang, words)
    pdf.add_page()

    pdf.set_font(FONT, size=10)
    pdf.cell(0, 5, text.symbol, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.centered(pick(text.org_name, lang), 11)
    pdf.centered(pick(text.body_name, lang), 11)
    pdf.ln(3)
    pdf.block(notes.document, seen)
    pdf.centered(pick(text.titles, lang), 16, notes.document)
    pdf.settle()
    pdf.ln(2)
    pdf.centered(words.adopted, 9)
    pdf.centered(words.version, 9)
    if text.sponsors:
        pdf.centered(words.sponsors, 9)
    pdf.ln(6)

    preamble, operative = split_provisions(text)
    for provision in preamble:
        found = notes.by_provision.get(provision.key, ())
        pdf.block(found, seen)
        pdf.paragraph(provision.label, provision.texts[lang], found, 0, hanging=False)
        pdf.settle()
    if preamble:
        pdf.ln(2)
    for provision in operative:
        _provision(pdf, provision, lang, notes.by_provision, seen, 0)

    # The last page carries the audit chain head as its last line, below the footnotes.
    pdf.incoming = []
    needed = pdf.notes_height(pdf.page_notes) + _NOTE_LINE + 2.0
    if pdf.get_y() > pdf.h - _MARGIN - needed:
        pdf.add_page()
    pdf.last_page = True
    pdf.reserve()
    return bytes(pdf.output())
