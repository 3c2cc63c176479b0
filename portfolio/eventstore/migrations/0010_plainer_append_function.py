"""The append function again, with fewer statements and expressions for the server to start.

The steps and their order are 0008's: the log's lock, the command id, the stream's head, the
checks, the chain, the writes. What changes is how many pieces the server starts on each
call: a PL/pgSQL function in its own transaction prepares every statement's executor and
every expression afresh, so each one costs the same whether it does much or little.
- Positions are drawn in the loop that chains the hashes, so the events are one plain INSERT
  and the command one INSERT ... VALUES, instead of one statement whose common table
  expressions gathered the positions the INSERT returned;
- the command id and the stream's head are two plain index look-ups instead of a join;
- the result is a declared row type, which the server knows from its type cache, instead of
  OUT parameters, whose row it rebuilds from the catalog on every call.
"""

import importlib

from django.db import migrations

one_function = importlib.import_module("portfolio.eventstore.migrations.0008_one_append_function")

APPEND_LOCK_KEY = one_function.APPEND_LOCK_KEY

# {sequence} is filled in when the migration runs (0004 says why).
POSTGRES_APPEND = """
-- head_known_at only when the outcome is 'known_at': only that error names it.
CREATE TYPE eventstore_appended AS (
    outcome text, stream_id varchar, version integer, positions bigint[],
    head_known_at timestamptz
);

CREATE FUNCTION eventstore_append(
    p_stream_id varchar, p_stream_type varchar, p_expected integer, p_command_id varchar,
    p_events jsonb, p_metadata jsonb, p_recorded_at timestamptz, p_known_at timestamptz,
    p_checkpoints varchar[]
) RETURNS eventstore_appended LANGUAGE plpgsql AS $$
DECLARE
    -- p_events: [[event type, schema version, data, content digest], ...] in version order
    n integer := jsonb_array_length(p_events);
    done_stream varchar;
    done_version integer;
    done_positions jsonb;
    head_version integer;
    head_hash text;
    head_known_at timestamptz;
    hashes text[];
    positions bigint[];
BEGIN
    -- First, and held until commit: commit order is then position order (store.py), and
    -- every statement below reads what the previous holder committed.
    PERFORM pg_advisory_xact_lock(%(lock)s);
    SELECT c.stream_id, c.version, c.positions INTO done_stream, done_version, done_positions
        FROM eventstore_command c WHERE c.command_id = p_command_id;
    IF FOUND THEN
        RETURN ROW('duplicate', done_stream, done_version,
            ARRAY(SELECT jsonb_array_elements_text(done_positions)::bigint), NULL
        )::eventstore_appended;
    END IF;
    SELECT h.version, h.hash, h.known_at INTO head_version, head_hash, head_known_at
        FROM eventstore_event h WHERE h.stream_id = p_stream_id ORDER BY h.version DESC LIMIT 1;
    head_version := coalesce(head_version, 0);
    IF p_expected IS NOT NULL AND head_version <> p_expected THEN
        RETURN ROW('conflict', p_stream_id, head_version, NULL, NULL)::eventstore_appended;
    END IF;
    IF head_known_at > p_known_at THEN
        RETURN ROW('known_at', p_stream_id, head_version, NULL, head_known_at)::eventstore_appended;
    END IF;
    -- The chain, as hashing.chain computes it (a test holds the two together). Positions are
    -- drawn here, in version order.
    head_hash := coalesce(head_hash, repeat('0', 64));
    FOR i IN 1..n LOOP
        head_hash := encode(sha256(convert_to(
            head_hash || ':' || (head_version + i) || ':' || (p_events -> (i - 1) ->> 3), 'UTF8')),
            'hex');
        hashes[i] := head_hash;
        positions[i] := nextval(%(sequence)s::regclass);
    END LOOP;
    INSERT INTO eventstore_event (position, stream_id, stream_type, version, event_type,
            schema_version, data, metadata, recorded_at, known_at, hash)
        SELECT positions[t.i], p_stream_id, p_stream_type, head_version + t.i, t.e ->> 0,
            (t.e ->> 1)::smallint, t.e -> 2, p_metadata, p_recorded_at, p_known_at, hashes[t.i]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, i);
    IF p_command_id IS NOT NULL THEN
        INSERT INTO eventstore_command (command_id, stream_id, version, positions, recorded_at)
            VALUES (p_command_id, p_stream_id, head_version + n, to_jsonb(positions),
                p_recorded_at);
    END IF;
    -- An INSERT that writes nothing still opens its table and indexes (0007).
    IF cardinality(p_checkpoints) > 0 THEN
        INSERT INTO eventstore_checkpoint AS c (name, position)
            SELECT name, positions[n] FROM unnest(p_checkpoints) AS name
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
                WHERE c.position < excluded.position;
    END IF;
    RETURN ROW('appended', p_stream_id, head_version + n, positions, NULL)::eventstore_appended;
END;
$$;
"""

POSTGRES_DROP = """
DROP FUNCTION IF EXISTS eventstore_append(varchar, varchar, integer, varchar, jsonb, jsonb,
    timestamptz, timestamptz, varchar[]);
DROP TYPE IF EXISTS eventstore_appended;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(one_function.POSTGRES_DROP, params=None)
    one_function._create(schema_editor, POSTGRES_APPEND)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRES_DROP, params=None)
    one_function._create(schema_editor, one_function.POSTGRES_APPEND)


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0009_refuse_truncate")]

    operations = [migrations.RunPython(forwards, backwards)]
