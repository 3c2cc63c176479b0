"""The event log refuses TRUNCATE too: 0002's row triggers never see a whole table emptied.

It raises through 0002's function, so the error reads like theirs. SQLite has no TRUNCATE (its
DELETE without WHERE fires 0002's DELETE trigger), so there is nothing to do there.
"""

from django.db import migrations

TRIGGER = "eventstore_event_no_truncate"

POSTGRES_UP = f"""
CREATE TRIGGER {TRIGGER}
    BEFORE TRUNCATE ON eventstore_event
    FOR EACH STATEMENT EXECUTE FUNCTION eventstore_reject_change();
"""
POSTGRES_DOWN = f"DROP TRIGGER IF EXISTS {TRIGGER} ON eventstore_event;"


def _on_postgres(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0008_one_append_function")]

    operations = [migrations.RunPython(_on_postgres(POSTGRES_UP), _on_postgres(POSTGRES_DOWN))]
