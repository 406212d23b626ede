"""The indexer: the audit log says which documents changed; their text is rebuilt.

A worker job (``tasks.py``) reads the events after its cursor, so no negotiation service
has to remember the index, and several workers may run it at once (the cursor row is
locked; a rebuild is idempotent)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from concord.audit.models import Event
from concord.negotiation.models import Document, ProvisionText, Version
from concord.search import text as search_text
from concord.search.models import Cursor, DocumentText


def _texts(document_ids: set[int]) -> dict[int, str]:
    """Symbol, titles and the latest version's texts of each document, in three queries."""
    documents = Document.objects.in_bulk(document_ids)
    latest: dict[int, int] = {}
    for version_id, document_id in (
        Version.objects.filter(document_id__in=document_ids)
        .order_by("document_id", "number")
        .values_list("id", "document_id")
    ):
        latest[document_id] = version_id
    bodies: dict[int, list[str]] = defaultdict(list)
    for version_id, text in (
        ProvisionText.objects.filter(provision__version_id__in=latest.values())
        .order_by("provision__order", "language")
        .values_list("provision__version_id", "text")
    ):
        bodies[version_id].append(text)
    found = {}
    for pk, document in documents.items():
        parts = [document.symbol, *document.titles.values(), *bodies[latest.get(pk, 0)]]
        found[pk] = search_text.for_index(" ".join(str(p) for p in parts))
    return found


def documents_reindex(*, document_ids: set[int], seq: int = 0) -> int:
    """Rebuild the search text of these documents (those that still exist)."""
    texts = _texts(document_ids)
    for pk, value in texts.items():
        DocumentText.objects.update_or_create(document_id=pk, defaults={"text": value, "seq": seq})
    return len(texts)


def _document_of(event: Event) -> int | None:
    if event.object_type == "negotiation.document":
        return int(event.object_id)
    payload = event.payload if isinstance(event.payload, dict) else {}
    document = payload.get("document")
    return document if isinstance(document, int) else None


@transaction.atomic
def index_from_audit(*, batch: int = 1000) -> int:
    """Reindex the documents named by the audit events after the cursor."""
    Cursor.objects.get_or_create(name="audit")
    cursor = Cursor.objects.select_for_update().get(name="audit")
    events = list(
        Event.objects.filter(seq__gt=cursor.seq)
        .order_by("seq")
        .only("seq", "object_type", "object_id", "payload")[:batch]
    )
    if not events:
        return 0
    ids = {pk for pk in map(_document_of, events) if pk is not None}
    done = documents_reindex(document_ids=ids, seq=events[-1].seq) if ids else 0
    cursor.seq = events[-1].seq
    cursor.save(update_fields=["seq"])
    return done
