"""A migration operation dropping the indexes Django adds for LIKE on text keys (PostgreSQL).

Beside the index of every text primary key, foreign key or indexed text column, Django adds a
copy with `varchar_pattern_ops`, which serves only `LIKE 'prefix%'`. The read models are only
ever looked up by equality, and each copy is one more index every upsert and every row of a
rebuild writes: dropping them from the read-model tables took 5% off a full rebuild. A later
AlterField of such a column may add its copy back (Django drops it with IF EXISTS).
"""

from django.db import migrations


def dropping(*columns: tuple[str, str]) -> migrations.RunPython:
    """Return an operation dropping the LIKE indexes of these (table, column) pairs; reversed,
    it creates them again."""
    tables = sorted({table for table, _ in columns})

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema() AND tablename = ANY(%s)"
                " AND indexdef LIKE '%%varchar_pattern_ops%%'",
                [tables],
            )
            found = cursor.fetchall()
        for name, definition in found:
            if any(f"({column} varchar_pattern_ops)" in definition for _, column in columns):
                schema_editor.execute(f'DROP INDEX "{name}"', params=None)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_like"'
                f' ON "{table}" ("{column}" varchar_pattern_ops)',
                params=None,
            )

    return migrations.RunPython(forwards, backwards, elidable=False)
