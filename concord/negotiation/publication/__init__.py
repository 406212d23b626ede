"""Publication of adopted texts: HTML, PDF and Akoma Ntoso 3.0 XML, one per language.

Pure functions over frozen dataclasses; no Django model is involved::

    from concord.negotiation.publication import AdoptedText, render_pdf
    pdf_bytes = render_pdf(text, "ru")
"""

from concord.negotiation.publication.akn import render_akn, validate_akn
from concord.negotiation.publication.html import render_html
from concord.negotiation.publication.model import AdoptedText, Provision, Reservation
from concord.negotiation.publication.pdf import render_pdf

__all__ = [
    "AdoptedText",
    "Provision",
    "Reservation",
    "render_akn",
    "render_html",
    "render_pdf",
    "validate_akn",
]
