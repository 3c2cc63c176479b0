"""Signed heads of the log (checkpoints), refused UPDATE, DELETE and TRUNCATE as events are.

A function of its own rather than 0002's, whose message names the event table.
"""

from django.db import migrations, models

POSTGRES_UP = """
CREATE FUNCTION eventstore_reject_head_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signed heads are immutable: % on eventstore_signed_head is not allowed', TG_OP
        USING ERRCODE = 'raise_exception';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER eventstore_signed_head_immutable
    BEFORE UPDATE OR DELETE ON eventstore_signed_head
    FOR EACH ROW EXECUTE FUNCTION eventstore_reject_head_change();
CREATE TRIGGER eventstore_signed_head_no_truncate
    BEFORE TRUNCATE ON eventstore_signed_head
    FOR EACH STATEMENT EXECUTE FUNCTION eventstore_reject_head_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS eventstore_signed_head_no_truncate ON eventstore_signed_head;
DROP TRIGGER IF EXISTS eventstore_signed_head_immutable ON eventstore_signed_head;
DROP FUNCTION IF EXISTS eventstore_reject_head_change();
"""
SQLITE_UP = [
    """CREATE TRIGGER eventstore_signed_head_no_update BEFORE UPDATE ON eventstore_signed_head
       BEGIN SELECT RAISE(ABORT, 'signed heads are immutable: UPDATE is not allowed'); END""",
    """CREATE TRIGGER eventstore_signed_head_no_delete BEFORE DELETE ON eventstore_signed_head
       BEGIN SELECT RAISE(ABORT, 'signed heads are immutable: DELETE is not allowed'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS eventstore_signed_head_no_update",
    "DROP TRIGGER IF EXISTS eventstore_signed_head_no_delete",
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
    dependencies = [("eventstore", "0011_global_hash_chain")]

    operations = [
        migrations.CreateModel(
            name="StoredHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("format", models.CharField(max_length=40)),
                ("position", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("time", models.DateTimeField()),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=100)),
            ],
            options={"db_table": "eventstore_signed_head", "ordering": ["id"]},
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
