"""Which official languages of a version still wait for verification (pure).

What is adopted is every official language's text: one that is stale (another language
changed after it) or missing has not been agreed by anyone. Adoption refuses while any
language waits, and the document page's banner names the same languages; both ask this
one function."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def waiting_languages(
    texts: Iterable[tuple[str, bool, str]], official: Sequence[str]
) -> tuple[str, ...]:
    """``texts`` holds (language, stale, text) for every provision text of one version;
    ``official`` the document's languages. Returns the official languages, sorted, with a
    stale or empty text."""
    wanted = set(official)
    return tuple(
        sorted({lang for lang, stale, text in texts if lang in wanted and (stale or not text)})
    )
