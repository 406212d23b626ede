"""On SQLite, an FTS5 table over the search text (PostgreSQL needs none: it searches with
to_tsvector). The table is external-content: it indexes DocumentText's rows, kept in step
by the three triggers."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "text, content='search_documenttext', content_rowid='document_id')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_documenttext BEGIN "
    "INSERT INTO search_fts(rowid, text) VALUES (new.document_id, new.text); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_documenttext BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.document_id, old.text);"
    " END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_documenttext BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.document_id, old.text);"
    " INSERT INTO search_fts(rowid, text) VALUES (new.document_id, new.text); END",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
