"""HTML export (work in progress)."""

from concord.negotiation.publication.model import AdoptedText, check_publishable


def render_html(text: AdoptedText, lang: str) -> str:
    """A self-contained printable HTML page of ``text`` in ``lang``."""
    check_publishable(text, lang)
    raise NotImplementedError
