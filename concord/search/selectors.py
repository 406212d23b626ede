"""Finding documents: full-text search in any language, filters and pages, behind one
selector. SQLite answers from its FTS5 table, PostgreSQL with ``to_tsvector('simple')``;
both see the same tokens (``text.py``), so a word of Chinese text is found on either."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.negotiation.models import Document
from concord.organization.models import Organization
from concord.search import text as search_text


@dataclass(frozen=True)
class Filters:
    q: str = ""
    body: str = ""
    meeting: int | None = None
    stage: str = ""
    kind: str = ""


def _matching(q: str) -> Q | None:
    """The documents whose text has every phrase of ``q``; None when ``q`` has no word."""
    phrases = search_text.query_terms(q)
    if not phrases:
        return None
    if connection.vendor == "sqlite":
        # FTS5 syntax: each phrase in double quotes (a quote inside doubled), joined by AND.
        match = " AND ".join('"' + " ".join(p).replace('"', '""') + '"' for p in phrases)
        return Q(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match]))
    # PostgreSQL: one phrase query per phrase, all required.
    sql = " AND ".join(
        "to_tsvector('simple', text) @@ phraseto_tsquery('simple', %s)" for _ in phrases
    )
    # The SQL is fixed fragments only; the words travel as parameters.
    return Q(
        pk__in=RawSQL(  # noqa: S611
            f"SELECT document_id FROM search_documenttext WHERE {sql}",  # noqa: S608
            [" ".join(p) for p in phrases],
        )
    )


def document_search(actor: Actor, org: Organization, filters: Filters) -> QuerySet[Document]:
    """The documents of ``org`` that ``actor`` may read and that match ``filters``, newest
    first, with what a result row shows already joined."""
    documents = (
        Document.objects.filter(organization=org)
        .filter(access.documents_visible_to(actor, org))
        .select_related("body", "meeting", "organization")
        .order_by("-created_at", "-id")
    )
    if filters.body:
        documents = documents.filter(body__slug=filters.body)
    if filters.meeting is not None:
        documents = documents.filter(meeting_id=filters.meeting)
    if filters.stage:
        documents = documents.filter(stage=filters.stage)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    matching = _matching(filters.q)
    if matching is not None:
        documents = documents.filter(matching)
    return documents
