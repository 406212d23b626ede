"""Opinion map snapshots: LZ4 for the large JSON columns on PostgreSQL.

A million-participant snapshot holds ~36 MB of ``points`` and ~8 MB of ``map``; with the
default pglz compression storing it took about 6 s of the server's time, with LZ4 about 3
(most of it parsing the JSON). Servers built without LZ4 (or before PostgreSQL 14) keep
pglz: the change is tried in a savepoint and skipped when refused. Existing rows keep their
compression until rewritten; only new snapshots are affected. SQLite: nothing to do.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("points", "map", "display", "projection")


def _compression(method):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in COLUMNS:
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    schema_editor.execute(
                        "ALTER TABLE consultation_opinionmapsnapshot "
                        f"ALTER COLUMN {column} SET COMPRESSION {method}"
                    )
            except DatabaseError:  # no LZ4 in this server: pglz stays
                return

    return apply


class Migration(migrations.Migration):
    dependencies = [("consultation", "0007_votes_without_statement_index")]

    operations = [migrations.RunPython(_compression("lz4"), _compression("DEFAULT"))]
