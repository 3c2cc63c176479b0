"""One statement appends on PostgreSQL: lock, idempotency, version check, hash chain, insert.

Before this, an append took eight round trips (lock, head, insert, command, stream row,
checkpoints, BEGIN, COMMIT), and waiting on them was two thirds of its time. The function does
the same steps inside the server; store.append calls it once, in autocommit when no projection
written in Python has rows to add, so a plain append is one round trip like a bare INSERT.
"""

from django.db import migrations

APPEND_LOCK_KEY = 7_301_562_044  # the same key as store.APPEND_LOCK_KEY

POSTGRES_UP = f"""
CREATE FUNCTION eventstore_append(
    p_stream_id varchar, p_stream_type varchar, p_expected integer, p_command_id varchar,
    p_events jsonb, p_metadata jsonb, p_recorded_at timestamptz, p_known_at timestamptz,
    p_lock boolean, p_checkpoints varchar[]
) RETURNS TABLE (
    outcome text, out_stream varchar, out_version integer, out_positions bigint[],
    out_known_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    head_version integer;
    head_hash text;
    head_known timestamptz;
    -- p_events: [[event type, schema version, data, content digest], ...] in version order
    n integer := jsonb_array_length(p_events);
    hashes text[] := '{{}}';
    new_positions bigint[];
BEGIN
    IF p_lock THEN
        -- Held until commit: commit order is then position order (see store.py).
        PERFORM pg_advisory_xact_lock({APPEND_LOCK_KEY});
    END IF;
    IF p_command_id IS NOT NULL THEN
        RETURN QUERY
            SELECT 'duplicate'::text, c.stream_id, c.version,
                ARRAY(SELECT jsonb_array_elements_text(c.positions)::bigint), NULL::timestamptz
            FROM eventstore_command c WHERE c.command_id = p_command_id;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    -- A statement of its own after the lock: it sees the previous holder's commit.
    SELECT e.version, e.hash, e.known_at INTO head_version, head_hash, head_known
        FROM eventstore_event e WHERE e.stream_id = p_stream_id
        ORDER BY e.version DESC LIMIT 1;
    IF NOT FOUND THEN
        head_version := 0;
        head_hash := repeat('0', 64);
    END IF;
    IF p_expected IS NOT NULL AND head_version <> p_expected THEN
        RETURN QUERY SELECT 'conflict'::text, p_stream_id, head_version, NULL::bigint[], head_known;
        RETURN;
    END IF;
    IF head_known > p_known_at THEN
        RETURN QUERY SELECT 'known_at'::text, p_stream_id, head_version, NULL::bigint[], head_known;
        RETURN;
    END IF;
    FOR i IN 1..n LOOP
        head_hash := encode(sha256(convert_to(
            head_hash || ':' || (head_version + i) || ':' || (p_events -> (i - 1) ->> 3), 'UTF8')),
            'hex');
        hashes[i] := head_hash;
    END LOOP;
    new_positions := ARRAY(
        SELECT nextval(pg_get_serial_sequence('eventstore_event', 'position'))
        FROM generate_series(1, n) ORDER BY 1
    );
    INSERT INTO eventstore_event (position, stream_id, stream_type, version, event_type,
            schema_version, data, metadata, recorded_at, known_at, hash)
        SELECT new_positions[t.i], p_stream_id, p_stream_type, head_version + t.i, t.e ->> 0,
            (t.e ->> 1)::smallint, t.e -> 2, p_metadata, p_recorded_at, p_known_at, hashes[t.i]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, i);
    IF p_command_id IS NOT NULL THEN
        INSERT INTO eventstore_command (command_id, stream_id, version, positions, recorded_at)
            VALUES (p_command_id, p_stream_id, head_version + n, to_jsonb(new_positions),
                p_recorded_at);
    END IF;
    -- The event store's own read model (streams.StreamsProjection does the same in Python).
    INSERT INTO eventstore_stream AS s (stream_id, stream_type, version, last_position,
            created_at, known_at)
        VALUES (p_stream_id, p_stream_type, head_version + n, new_positions[n], p_known_at,
            p_known_at)
        ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version,
            last_position = excluded.last_position, known_at = excluded.known_at;
    INSERT INTO eventstore_checkpoint AS c (name, position)
        SELECT name, new_positions[n] FROM unnest(p_checkpoints) AS name
        ON CONFLICT (name) DO UPDATE SET position = excluded.position
            WHERE c.position < excluded.position;
    RETURN QUERY SELECT 'appended'::text, p_stream_id, head_version + n, new_positions, p_known_at;
END;
$$;
"""

POSTGRES_DOWN = """
DROP FUNCTION IF EXISTS eventstore_append(varchar, varchar, integer, varchar, jsonb, jsonb,
    timestamptz, timestamptz, boolean, varchar[]);
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0003_snapshots")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
