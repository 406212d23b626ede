"""PDF export (work in progress)."""

from concord.negotiation.publication.model import AdoptedText, check_publishable


def render_pdf(text: AdoptedText, lang: str) -> bytes:
    """The PDF of ``text`` in ``lang``."""
    check_publishable(text, lang)
    raise NotImplementedError
