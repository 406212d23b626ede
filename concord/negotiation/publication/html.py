"""HTML export: one self-contained, printable page per language.

No external stylesheet, script or font: the page prints the same from a saved file.
Reservations are numbered footnotes (``<sup><a href="#fn-N">``) listed at the end; the
audit chain head at adoption is in ``<meta name="concord-audit-chain-head">`` and in the
visible footer.
"""

from __future__ import annotations

import base64
import hashlib

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from concord.negotiation.publication.common import (
    Footnote,
    django_language,
    labels,
    number_notes,
    split_provisions,
)
from concord.negotiation.publication.model import AdoptedText, Provision, check_publishable, pick

# BCP 47 tags for the lang attribute (browsers pick CJK glyph variants by script).
_BCP47 = {"zh": "zh-Hans"}

_CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
  "Source Han Sans SC", system-ui, sans-serif; line-height: 1.5; color: #111;
  max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; }
header { text-align: center; margin-bottom: 2rem; }
.symbol { text-align: right; font-weight: 600; letter-spacing: .02em; }
h1 { font-size: 1.5rem; margin: 1rem 0 .5rem; }
.org, .body, .adopted, .version, .sponsors { margin: .2rem 0; }
.preamble p { font-style: normal; text-indent: 2em; margin: .4rem 0; }
.provision { display: grid; grid-template-columns: 3.5rem 1fr; margin: .5rem 0; }
.provision .provision { margin: .3rem 0; }
.num { font-weight: 600; }
.heading { font-weight: 600; margin: 0 0 .2rem; }
.text { margin: 0; }
sup.fnref a { text-decoration: none; }
.footnotes { border-top: 1px solid #999; margin-top: 2rem; font-size: .9rem; }
.footnotes h2 { font-size: 1rem; }
footer { margin-top: 2rem; font-size: .8rem; color: #444; }
footer code { word-break: break-all; }
@media print {
  body { margin: 0; max-width: none; }
  a { color: inherit; }
  .provision, .footnotes li { break-inside: avoid; }
  @page { size: A4; margin: 2cm; }
}
"""

#: The Content-Security-Policy source that lets a browser apply the one inline stylesheet of
#: a standalone adopted text (the site's policy forbids inline style otherwise).
STYLE_SOURCE = "'sha256-{}'".format(
    base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode("ascii")
)


class _Refs:
    """Footnote references in reading order; a note cited twice gets a second anchor."""

    def __init__(self) -> None:
        self.count: dict[int, int] = {}

    def ref(self, note: Footnote) -> SafeString:
        n = self.count.get(note.number, 0) + 1
        self.count[note.number] = n
        anchor = f"fnref-{note.number}" if n == 1 else f"fnref-{note.number}-{n}"
        return format_html(
            '<sup class="fnref"><a href="#fn-{}" id="{}" role="doc-noteref">{}</a></sup>',
            note.number,
            anchor,
            note.number,
        )

    def refs(self, notes: tuple[Footnote, ...]) -> SafeString:
        return mark_safe("".join(self.ref(n) for n in notes))  # noqa: S308 - built escaped


def _provision(
    provision: Provision, lang: str, by_key: dict[str, tuple[Footnote, ...]], refs: _Refs
) -> SafeString:
    heading = provision.headings.get(lang, "") if provision.headings else ""
    children = format_html_join(
        "", "{}", ((_provision(c, lang, by_key, refs),) for c in provision.children)
    )
    return format_html(
        '<div class="provision {}" id="{}"><span class="num">{}</span><div>{}'
        '<p class="text">{}{}</p>{}</div></div>',
        provision.kind,
        f"p-{provision.key}",
        provision.label,
        format_html('<p class="heading">{}</p>', heading) if heading else "",
        provision.texts[lang],
        refs.refs(by_key.get(provision.key, ())),
        children,
    )


def render_html(text: AdoptedText, lang: str) -> str:
    """A self-contained printable HTML page of ``text`` in ``lang``.

    Raises ``ValueError`` if the text is not publishable in ``lang``.
    """
    check_publishable(text, lang)
    words = labels(text, lang)
    notes = number_notes(text, lang)
    refs = _Refs()
    title = pick(text.titles, lang)
    preamble, operative = split_provisions(text)
    with translation.override(django_language(lang)):
        back = gettext("Back to the text")

    header = format_html(
        '<header><p class="symbol">{}</p><p class="org">{}</p><p class="body">{}</p>'
        '<h1>{}{}</h1><p class="adopted">{}</p><p class="version">{}</p>{}</header>',
        text.symbol,
        pick(text.org_name, lang),
        pick(text.body_name, lang),
        title,
        refs.refs(notes.document),
        words.adopted,
        words.version,
        format_html('<p class="sponsors">{}</p>', words.sponsors) if text.sponsors else "",
    )
    preamble_html = format_html_join(
        "",
        '<p id="p-{}">{}{}</p>',
        (
            (
                p.key,
                f"{p.label} {p.texts[lang]}".strip(),
                refs.refs(notes.by_provision.get(p.key, ())),
            )
            for p in preamble
        ),
    )
    operative_html = format_html_join(
        "", "{}", ((_provision(p, lang, notes.by_provision, refs),) for p in operative)
    )
    footnotes = format_html_join(
        "",
        '<li id="fn-{}" role="doc-footnote"><span class="state">{}</span>: {} {}</li>',
        (
            (
                note.number,
                note.label(lang),
                note.text,
                format_html_join(
                    " ",
                    '<a href="#{}" role="doc-backlink" title="{}">↩</a>',
                    (
                        (f"fnref-{note.number}" if i == 1 else f"fnref-{note.number}-{i}", back)
                        for i in range(1, refs.count.get(note.number, 0) + 1)
                    ),
                ),
            )
            for note in notes.all
        ),
    )
    notes_html = (
        format_html(
            '<section class="footnotes" role="doc-endnotes"><h2>{}</h2><ol>{}</ol></section>',
            words.reservations,
            footnotes,
        )
        if notes.all
        else ""
    )
    page = format_html(
        "<!DOCTYPE html>\n"
        '<html lang="{}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{} — {}</title>"
        '<meta name="concord-symbol" content="{}">'
        '<meta name="concord-document-id" content="{}">'
        '<meta name="concord-version" content="{}">'
        '<meta name="concord-audit-chain-head" content="{}">'
        "<style>{}</style></head>"
        '<body><article class="adopted-text">{}'
        '<section class="preamble">{}</section><section class="operative">{}</section>'
        '{}</article><footer><p class="chain-head">{}</p></footer></body></html>\n',
        _BCP47.get(lang, lang),
        text.symbol,
        title,
        text.symbol,
        str(text.document_id),
        str(text.version_number),
        text.chain_head,
        mark_safe(_CSS),  # noqa: S308 - a constant
        header,
        preamble_html,
        operative_html,
        notes_html,
        words.chain_head,
    )
    return str(page)
