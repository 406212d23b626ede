"""The searchable text of each document, and how far the indexer has read the audit log."""

from __future__ import annotations

from django.db import models


class DocumentText(models.Model):
    """A document's titles and the texts of its latest version, in every language, as the
    index sees them (``text.for_index``). On SQLite an FTS5 table mirrors it (migration
    0002); on PostgreSQL it is searched with ``to_tsvector('simple', text)``."""

    document = models.OneToOneField(
        "negotiation.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    text = models.TextField()
    #: The audit event this text reflects.
    seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search text of {self.document_id}"


class Cursor(models.Model):
    """The last audit event the indexer has read."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at #{self.seq}"
