"""One hash chain through the whole log, by position, over every stored field; stored hashes
re-computed once.

Before: each event's hash chained the previous event of its own stream, and its content digest
left out stream_type and recorded_at, so a stream's last events, or a whole stream, could be
deleted, and a stream re-chained after an edit, without a break. After: each event's hash
chains the previous event of the log (hashing.py), and the append function reads the log's
head under the lock it already takes.

The migration first checks every stored hash against the old formula and refuses a log that
fails it: re-hashing a tampered log would bless the tampering. Then it computes every event's
new hash in position order, writes them all with one UPDATE (past the trigger that refuses
updates, inside this migration's transaction), replaces the append function, and prints what
it did. Both formulas are frozen here: later changes to hashing.py must not change what this
migration wrote. It runs before signed heads exist (0012), so no head ever signed an old hash.
Backwards, it does the same the other way.
"""

import hashlib
import importlib
import json
from datetime import UTC, datetime

import orjson
from django.db import migrations

plainer = importlib.import_module("portfolio.eventstore.migrations.0010_plainer_append_function")
one_function = importlib.import_module("portfolio.eventstore.migrations.0008_one_append_function")

GENESIS = "0" * 64
BATCH = 10_000
COLUMNS = (
    "position, stream_id, stream_type, version, event_type, schema_version, data, metadata,"
    " recorded_at, known_at, hash"
)

# The plainer function (0010) with the log's chain: the head hash is the log's last event's,
# read under the lock, and the position goes into each hash. Same arguments and result type,
# so CREATE OR REPLACE keeps the function's identity (prepared calls stay valid).
POSTGRES_APPEND = """
CREATE OR REPLACE FUNCTION eventstore_append(
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
    head_known_at timestamptz;
    log_hash text;
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
    SELECT h.version, h.known_at INTO head_version, head_known_at
        FROM eventstore_event h WHERE h.stream_id = p_stream_id ORDER BY h.version DESC LIMIT 1;
    head_version := coalesce(head_version, 0);
    IF p_expected IS NOT NULL AND head_version <> p_expected THEN
        RETURN ROW('conflict', p_stream_id, head_version, NULL, NULL)::eventstore_appended;
    END IF;
    IF head_known_at > p_known_at THEN
        RETURN ROW('known_at', p_stream_id, head_version, NULL, head_known_at)::eventstore_appended;
    END IF;
    -- The chain, as hashing.chain computes it (a test holds the two together), from the log's
    -- last event. Positions are drawn here, in version order, under the lock: the chain
    -- follows position order.
    SELECT e.hash INTO log_hash FROM eventstore_event e ORDER BY e.position DESC LIMIT 1;
    log_hash := coalesce(log_hash, repeat('0', 64));
    FOR i IN 1..n LOOP
        positions[i] := nextval(%(sequence)s::regclass);
        log_hash := encode(sha256(convert_to(
            log_hash || ':' || positions[i] || ':' || (head_version + i) || ':'
                || (p_events -> (i - 1) ->> 3), 'UTF8')),
            'hex');
        hashes[i] := log_hash;
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

# 0002's triggers: PostgreSQL disables its row trigger in this transaction; SQLite has no such
# switch, so its UPDATE trigger is dropped and made again.
POSTGRES_TRIGGER = "ALTER TABLE eventstore_event {} TRIGGER eventstore_event_immutable"
SQLITE_UPDATE_TRIGGER = importlib.import_module(
    "portfolio.eventstore.migrations.0002_immutable_events"
).SQLITE_UP[0]


def _canonical(value) -> str:
    """hashing.canonical_json as it stands at this migration."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _when(time: datetime) -> str:
    return time.astimezone(UTC).isoformat(timespec="microseconds")


class StreamChains:
    """The formula before this migration: each stream's own chain; the digest without
    stream_type and recorded_at."""

    def __init__(self):
        self._heads: dict[str, str] = {}

    def next(self, event: dict) -> str:
        digest = _sha256(
            _canonical(
                {
                    key: event[key]
                    for key in ("stream_id", "event_type", "schema_version", "data", "metadata")
                }
                | {"known_at": _when(event["known_at"])}
            )
        )
        previous = self._heads.get(event["stream_id"], GENESIS)
        self._heads[event["stream_id"]] = digest = _sha256(
            f"{previous}:{event['version']}:{digest}"
        )
        return digest


class LogChain:
    """The formula from this migration on: one chain by position; the digest over every
    stored field but the position and the hash."""

    def __init__(self):
        self._previous = GENESIS

    def next(self, event: dict) -> str:
        content = {k: v for k, v in event.items() if k not in ("position", "version", "hash")}
        content["recorded_at"] = _when(event["recorded_at"])
        content["known_at"] = _when(event["known_at"])
        digest = _sha256(_canonical(content))
        self._previous = _sha256(
            f"{self._previous}:{event['position']}:{event['version']}:{digest}"
        )
        return self._previous


def _events(cursor):
    """Yield every stored event as a dict of its columns, in position order, a batch at a time."""
    names = [name.strip() for name in COLUMNS.split(",")]
    after = 0
    while True:
        cursor.execute(
            f"SELECT {COLUMNS} FROM eventstore_event WHERE position > %s"  # noqa: S608
            " ORDER BY position LIMIT %s",
            [after, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        for row in rows:
            event = dict(zip(names, row, strict=True))
            for key in ("data", "metadata"):
                if isinstance(event[key], str | bytes):  # SQLite's text; PostgreSQL decodes
                    event[key] = json.loads(event[key])
            for key in ("recorded_at", "known_at"):
                if event[key].tzinfo is None:  # SQLite gives UTC without an offset
                    event[key] = event[key].replace(tzinfo=UTC)
            yield event
        after = rows[-1][0]


def _store(cursor, vendor: str, hashes: list[tuple[int, str]]) -> None:
    if vendor == "postgresql":
        with cursor.cursor.copy("COPY eventstore_rehash (position, hash) FROM STDIN") as copy:
            for row in hashes:
                copy.write_row(row)
    else:
        cursor.executemany("INSERT INTO eventstore_rehash (position, hash) VALUES (%s, %s)", hashes)


def rehash(schema_editor, stored_formula, new_formula) -> None:
    """Check every stored hash with `stored_formula`; then write every event's hash anew with
    `new_formula`, in position order; print what was done."""
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":  # no append while the log is re-hashed
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [plainer.APPEND_LOCK_KEY])
        cursor.execute(
            "CREATE TEMPORARY TABLE eventstore_rehash (position bigint NOT NULL, hash varchar(64))"
        )
        stored, new = stored_formula(), new_formula()
        count, old_head, batch = 0, GENESIS, []
        for event in _events(cursor):
            if stored.next(event) != event["hash"]:
                raise RuntimeError(
                    f"position {event['position']} (stream {event['stream_id']} version"
                    f" {event['version']}) does not match its hash under the formula it was"
                    " stored with: the log was altered, so it is not re-hashed (nothing"
                    " changed). Run verify_events with the code before this migration."
                )
            count, old_head = count + 1, event["hash"]
            batch.append((event["position"], new.next(event)))
            if len(batch) == BATCH:
                _store(cursor, vendor, batch)
                batch = []
        _store(cursor, vendor, batch)
        if count:
            _write(cursor, vendor)
        cursor.execute("DROP TABLE eventstore_rehash")
        cursor.execute("SELECT hash FROM eventstore_event ORDER BY position DESC LIMIT 1")
        last = cursor.fetchone()
    if count:  # a new database has nothing to say
        print(
            f"\n  re-hashed {count} events ({stored_formula.__name__} -> {new_formula.__name__});"
            f" the log's head hash was {old_head}, is {last[0]}"
        )


def _write(cursor, vendor: str) -> None:
    update = (
        "UPDATE eventstore_event SET hash = r.hash FROM eventstore_rehash r"
        " WHERE eventstore_event.position = r.position"
    )
    if vendor == "postgresql":
        cursor.execute("ANALYZE eventstore_rehash")
        cursor.execute(POSTGRES_TRIGGER.format("DISABLE"))
        cursor.execute(update)
        cursor.execute(POSTGRES_TRIGGER.format("ENABLE"))
    else:
        cursor.execute("DROP TRIGGER eventstore_event_no_update")
        cursor.execute(update)
        cursor.execute(SQLITE_UPDATE_TRIGGER)


def forwards(apps, schema_editor):
    rehash(schema_editor, StreamChains, LogChain)
    if schema_editor.connection.vendor == "postgresql":
        one_function._create(schema_editor, POSTGRES_APPEND)


def backwards(apps, schema_editor):
    rehash(schema_editor, LogChain, StreamChains)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(plainer.POSTGRES_DROP, params=None)
        one_function._create(schema_editor, plainer.POSTGRES_APPEND)


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0010_plainer_append_function")]

    operations = [migrations.RunPython(forwards, backwards)]
