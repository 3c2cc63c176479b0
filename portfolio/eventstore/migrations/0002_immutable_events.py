"""Stored events can never be updated or deleted: the database itself refuses."""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION eventstore_reject_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stored events are immutable: % on eventstore_event is not allowed', TG_OP
        USING ERRCODE = 'raise_exception';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER eventstore_event_immutable
    BEFORE UPDATE OR DELETE ON eventstore_event
    FOR EACH ROW EXECUTE FUNCTION eventstore_reject_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS eventstore_event_immutable ON eventstore_event;
DROP FUNCTION IF EXISTS eventstore_reject_change();
"""
SQLITE_UP = [
    """CREATE TRIGGER eventstore_event_no_update BEFORE UPDATE ON eventstore_event
       BEGIN SELECT RAISE(ABORT, 'stored events are immutable: UPDATE is not allowed'); END""",
    """CREATE TRIGGER eventstore_event_no_delete BEFORE DELETE ON eventstore_event
       BEGIN SELECT RAISE(ABORT, 'stored events are immutable: DELETE is not allowed'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS eventstore_event_no_update",
    "DROP TRIGGER IF EXISTS eventstore_event_no_delete",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        if isinstance(statements, str):
            statements = [statements]
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
