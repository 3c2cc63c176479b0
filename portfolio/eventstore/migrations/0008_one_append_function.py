"""One append function on PostgreSQL, for one event or many, that always takes the log's lock.

It replaces 0007's function (which could skip the lock) and the one-event statement the
application sent beside it. It takes the lock before it reads anything, so it reads the
stream's head, and the command id, as the last append committed them.
"""

import importlib

from django.db import migrations

leaner = importlib.import_module("portfolio.eventstore.migrations.0007_leaner_append")

APPEND_LOCK_KEY = leaner.APPEND_LOCK_KEY

# {sequence} is filled in when the migration runs (0004 says why).
POSTGRES_APPEND = """
CREATE FUNCTION eventstore_append(
    p_stream_id varchar, p_stream_type varchar, p_expected integer, p_command_id varchar,
    p_events jsonb, p_metadata jsonb, p_recorded_at timestamptz, p_known_at timestamptz,
    p_checkpoints varchar[],
    OUT outcome text, OUT out_stream varchar, OUT out_version integer,
    OUT out_positions bigint[], OUT out_known_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    done_stream varchar;
    done_version integer;
    done_positions jsonb;
    head_hash text;
    -- p_events: [[event type, schema version, data, content digest], ...] in version order
    n integer := jsonb_array_length(p_events);
    hashes text[] := '{}';
BEGIN
    -- First, and held until commit: commit order is then position order (store.py), and
    -- everything below reads what the previous holder committed.
    PERFORM pg_advisory_xact_lock(%(lock)s);
    SELECT c.stream_id, c.version, c.positions, e.version, e.hash, e.known_at
        INTO done_stream, done_version, done_positions, out_version, head_hash, out_known_at
        FROM (SELECT 1) AS q
        LEFT JOIN eventstore_command c ON c.command_id = p_command_id
        LEFT JOIN LATERAL (
            SELECT h.version, h.hash, h.known_at FROM eventstore_event h
            WHERE h.stream_id = p_stream_id ORDER BY h.version DESC LIMIT 1
        ) AS e ON true;
    IF done_stream IS NOT NULL THEN
        outcome := 'duplicate';
        out_stream := done_stream;
        out_version := done_version;
        out_positions := ARRAY(SELECT jsonb_array_elements_text(done_positions)::bigint);
        RETURN;
    END IF;
    out_stream := p_stream_id;
    out_version := coalesce(out_version, 0);
    IF p_expected IS NOT NULL AND out_version <> p_expected THEN
        outcome := 'conflict';
        RETURN;
    END IF;
    IF out_known_at > p_known_at THEN
        outcome := 'known_at';
        RETURN;
    END IF;
    -- The chain, as hashing.chain computes it (a test holds the two together).
    head_hash := coalesce(head_hash, repeat('0', 64));
    FOR i IN 1..n LOOP
        head_hash := encode(sha256(convert_to(
            head_hash || ':' || (out_version + i) || ':' || (p_events -> (i - 1) ->> 3), 'UTF8')),
            'hex');
        hashes[i] := head_hash;
    END LOOP;
    -- Positions are drawn in version order (volatile functions run after the ORDER BY).
    WITH inserted AS (
        INSERT INTO eventstore_event (position, stream_id, stream_type, version, event_type,
                schema_version, data, metadata, recorded_at, known_at, hash)
            SELECT nextval(%(sequence)s::regclass), p_stream_id, p_stream_type,
                out_version + t.i, t.e ->> 0, (t.e ->> 1)::smallint, t.e -> 2, p_metadata,
                p_recorded_at, p_known_at, hashes[t.i]
            FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, i)
            ORDER BY t.i
            RETURNING position, version
    ), appended AS (
        SELECT array_agg(position ORDER BY version) AS positions FROM inserted
    ), command AS (
        INSERT INTO eventstore_command (command_id, stream_id, version, positions, recorded_at)
            SELECT p_command_id, p_stream_id, out_version + n, to_jsonb(a.positions),
                p_recorded_at
            FROM appended a WHERE p_command_id IS NOT NULL
    )
    SELECT a.positions INTO out_positions FROM appended a;
    -- An INSERT that writes nothing still opens its table and indexes (0007).
    IF cardinality(p_checkpoints) > 0 THEN
        INSERT INTO eventstore_checkpoint AS c (name, position)
            SELECT name, out_positions[n] FROM unnest(p_checkpoints) AS name
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
                WHERE c.position < excluded.position;
    END IF;
    outcome := 'appended';
    out_version := out_version + n;
    out_known_at := p_known_at;
END;
$$;
"""

POSTGRES_DROP = """
DROP FUNCTION IF EXISTS eventstore_append(varchar, varchar, integer, varchar, jsonb, jsonb,
    timestamptz, timestamptz, varchar[]);
"""

POSTGRES_DROP_LEANER = """
DROP FUNCTION IF EXISTS eventstore_append(varchar, varchar, integer, varchar, jsonb, jsonb,
    timestamptz, timestamptz, boolean, varchar[]);
"""


def _create(schema_editor, template: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('eventstore_event', 'position')")
        (sequence,) = cursor.fetchone()
    quoted = "'" + sequence.replace("'", "''") + "'"
    schema_editor.execute(template % {"lock": APPEND_LOCK_KEY, "sequence": quoted}, params=None)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRES_DROP_LEANER, params=None)
    _create(schema_editor, POSTGRES_APPEND)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRES_DROP, params=None)
    _create(schema_editor, leaner.POSTGRES_APPEND)


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0007_leaner_append")]

    operations = [migrations.RunPython(forwards, backwards)]
