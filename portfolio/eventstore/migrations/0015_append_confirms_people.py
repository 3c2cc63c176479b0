"""The append function confirms the people an append names from a process's memory.

people.py remembers which register id stands for which name, so an append need not look in
the register first. Erasure changes a person's key, so the function now takes the remembered
{id: key} pairs and, if any no longer holds, returns 'people' and writes nothing; the caller
then looks the people up afresh. The rest is 0011's function. A new argument makes a new
function, so the old one is dropped.
"""

import importlib

from django.db import migrations

one_function = importlib.import_module("portfolio.eventstore.migrations.0008_one_append_function")
global_chain = importlib.import_module("portfolio.eventstore.migrations.0011_global_hash_chain")

OLD_SIGNATURE = (
    "eventstore_append(varchar, varchar, integer, varchar, jsonb, jsonb, timestamptz,"
    " timestamptz, varchar[])"
)
NEW_SIGNATURE = OLD_SIGNATURE[:-1] + ", jsonb)"

_OLD_HEAD = "    p_checkpoints varchar[]\n) RETURNS"
_NEW_HEAD = "    p_checkpoints varchar[], p_people jsonb\n) RETURNS"
_OLD_CHECK = "    SELECT h.version, h.known_at INTO head_version"
_NEW_CHECK = """    -- p_people: {id: key} the caller remembered; each must still be registered so.
    IF p_people <> '{}'::jsonb AND (
        SELECT count(*) FROM eventstore_person p
            JOIN jsonb_each_text(p_people) AS w(id, key) ON p.id = w.id AND p.key = w.key
    ) <> (SELECT count(*) FROM jsonb_object_keys(p_people)) THEN
        RETURN ROW('people', p_stream_id, NULL, NULL, NULL)::eventstore_appended;
    END IF;
    SELECT h.version, h.known_at INTO head_version"""

assert _OLD_HEAD in global_chain.POSTGRES_APPEND and _OLD_CHECK in global_chain.POSTGRES_APPEND
POSTGRES_APPEND = global_chain.POSTGRES_APPEND.replace(_OLD_HEAD, _NEW_HEAD).replace(
    _OLD_CHECK, _NEW_CHECK
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {OLD_SIGNATURE}", params=None)
        one_function._create(schema_editor, POSTGRES_APPEND)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {NEW_SIGNATURE}", params=None)
        one_function._create(schema_editor, global_chain.POSTGRES_APPEND)


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0014_people_out_of_the_log")]

    operations = [migrations.RunPython(forwards, backwards)]
