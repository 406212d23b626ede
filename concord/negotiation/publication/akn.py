"""Akoma Ntoso 3.0 export (work in progress)."""

from concord.negotiation.publication.model import AdoptedText, check_publishable


def render_akn(text: AdoptedText, lang: str) -> bytes:
    """The Akoma Ntoso 3.0 XML of ``text`` in ``lang`` (one expression per language)."""
    check_publishable(text, lang)
    raise NotImplementedError


def validate_akn(xml: bytes) -> list[str]:
    """Errors of ``xml`` against the OASIS Akoma Ntoso 3.0 XSD; empty when valid."""
    raise NotImplementedError
