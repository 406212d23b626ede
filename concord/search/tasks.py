"""Worker jobs of search (listed in ``concord/common/worker.py``)."""

from __future__ import annotations

from concord.search import services


def index_documents() -> int:
    """Documents changed since the last round -> their searchable text."""
    return services.index_from_audit()
