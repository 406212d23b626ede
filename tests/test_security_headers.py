"""Every page and API answer carries the security headers, and no page needs inline script
or style (issue 13). The browser test (tests/browser/test_csp.py) watches the console."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/login/",
    "/ru/login/",
    "/orgs/sco/",
    "/orgs/sco/documents/",
    "/orgs/sco/states/KAZ/",
    "/consultations/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/api/v1/orgs/sco/documents",
    "/no-such-page/",
    "/admin/login/",
]

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
_INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
_STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_has_the_security_headers(client: Client, sco, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("/api/")])
def test_no_page_has_inline_script_or_style(client: Client, sco, path: str) -> None:
    html = client.get(path).content.decode()
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html)
    assert not _INLINE_HANDLER.search(html), _INLINE_HANDLER.search(html)
    assert not _STYLE_ATTRIBUTE.search(html), _STYLE_ATTRIBUTE.search(html)
    assert "<style" not in html


@pytest.mark.parametrize("suffix", ["", "map/", "report/"])
def test_consultation_pages_have_no_inline_script_or_style(client: Client, sco, suffix) -> None:
    from concord.consultation.models import Consultation, Statement, normalize_text

    c = Consultation.objects.create(
        slug="jwf", organization=sco, titles={"en": "Just World Formula"}, languages=["en"]
    )
    text = "A fairer world needs rule one."
    Statement.objects.create(
        consultation=c, text=text, normalized=normalize_text(text), moderation="accepted"
    )
    response = client.get(f"/consultations/jwf/{suffix}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Content-Security-Policy" in response
    assert not _INLINE_SCRIPT.search(html), _INLINE_SCRIPT.search(html)
    assert not _INLINE_HANDLER.search(html), _INLINE_HANDLER.search(html)
    assert not _STYLE_ATTRIBUTE.search(html), _STYLE_ATTRIBUTE.search(html)


def test_the_pattern_finds_inline_script() -> None:
    # The checks above mean something only if they would see what they forbid.
    assert _INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not _INLINE_SCRIPT.search('<script src="/static/js/concord.js" defer></script>')
    assert _INLINE_HANDLER.search('<select onchange="this.form.submit()">')
    assert _STYLE_ATTRIBUTE.search('<span class="bar" style="width: 5%">')


def test_the_adopted_text_style_is_allowed_by_its_hash() -> None:
    # adopted.html is a standalone page with one inline stylesheet; its response allows
    # exactly that stylesheet (csp_update in concord/negotiation/api.py) and nothing else.
    import base64
    import hashlib

    from concord.negotiation.publication import render_html
    from concord.negotiation.publication.html import STYLE_SOURCE
    from concord.negotiation.publication.sample import sample_text

    html = render_html(sample_text(), "en")
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" == STYLE_SOURCE
