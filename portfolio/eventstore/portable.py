"""The append on SQLite, step by step in Python: the steps of PostgreSQL's append function.

SQLite (the zero-setup run) serializes writers by itself: the settings open every transaction
IMMEDIATE.
"""

import json
from datetime import UTC, datetime

from django.db import connection, transaction

from . import people
from .errors import ConcurrencyConflict, InvalidEvent
from .events import AppendResult, Batch
from .hashing import GENESIS, chain

# The stream's head, the command id, and the log's head: the last event's hash, and the last
# position handed out (AUTOINCREMENT never reuses one, even of a deleted event).
_COMMAND_AND_HEAD = (
    "SELECT e.version, e.known_at, c.stream_id, c.version, c.positions,"
    " (SELECT hash FROM eventstore_event ORDER BY position DESC LIMIT 1),"
    " (SELECT seq FROM sqlite_sequence WHERE name = 'eventstore_event')"
    " FROM (SELECT CAST(%s AS VARCHAR(200)) AS command_id,"
    " CAST(%s AS VARCHAR(100)) AS stream_id) AS q"
    " LEFT JOIN eventstore_command c ON c.command_id = q.command_id"
    " LEFT JOIN eventstore_event e ON e.stream_id = q.stream_id AND e.version ="
    " (SELECT MAX(version) FROM eventstore_event WHERE stream_id = q.stream_id)"
)

_INSERT_EVENTS = (
    "INSERT INTO eventstore_event (position, stream_id, stream_type, version, event_type,"
    " schema_version, data, metadata, recorded_at, known_at, hash)"
)

_INSERT_COMMAND = (
    "INSERT INTO eventstore_command (command_id, stream_id, version, positions, recorded_at)"
)

_MOVE_CHECKPOINT = (
    "INSERT INTO eventstore_checkpoint (name, position) VALUES (%s, %s)"
    " ON CONFLICT (name) DO UPDATE SET position = excluded.position"
    " WHERE eventstore_checkpoint.position < excluded.position"
)

# Rows per INSERT statement: below SQLite's limit of 32,766 parameters.
_INSERT_CHUNK = 1000


def append_step_by_step(
    batch: Batch, expected_version: int | None, command_id: str | None, checkpoints: list[str]
) -> AppendResult:
    """Store `batch` and move the named checkpoints to its last position; return the result."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_COMMAND_AND_HEAD, [command_id, batch.stream_id])
        version, last_known, done_stream, done_version, done_positions, previous, last = (
            cursor.fetchone()
        )
        if done_stream is not None:
            positions = tuple(json.loads(done_positions))
            return AppendResult(done_stream, done_version, positions, duplicate=True)
        if not people.still_named(batch.vouched):
            raise people.Forgotten
        version = version or 0
        if expected_version is not None and version != expected_version:
            raise ConcurrencyConflict(batch.stream_id, expected_version, version)
        if last_known is not None and batch.known_at < _aware(last_known):
            raise InvalidEvent(
                f"known_at {batch.known_at.isoformat()} is before the stream's last event"
            )
        first = version + 1
        positions = list(range((last or 0) + 1, (last or 0) + 1 + len(batch.digests)))
        _insert(cursor, _rows(batch, first, positions, previous or GENESIS))
        result = AppendResult(batch.stream_id, first + len(positions) - 1, tuple(positions))
        if command_id is not None:
            cursor.execute(
                f"{_INSERT_COMMAND} VALUES (%s, %s, %s, %s, %s)",
                [
                    command_id,
                    batch.stream_id,
                    result.version,
                    json.dumps(positions),
                    connection.ops.adapt_datetimefield_value(batch.now),
                ],
            )
        for name in checkpoints:
            cursor.execute(_MOVE_CHECKPOINT, [name, positions[-1]])
    return result


def _aware(value: str | datetime) -> datetime:
    """Return a timestamp as SQLite gives it back (UTC, maybe without an offset), aware."""
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _rows(batch: Batch, first: int, positions: list[int], previous: str) -> list[tuple]:
    """Number and chain the batch's events after `previous`, the log's last hash; return their
    table rows."""
    recorded_at = connection.ops.adapt_datetimefield_value(batch.now)
    known_at = connection.ops.adapt_datetimefield_value(batch.known_at)
    rows = []
    for offset, (position, digest) in enumerate(zip(positions, batch.digests, strict=True)):
        version = first + offset
        previous = chain(previous, position, version, digest)
        rows.append(
            (position, batch.stream_id, batch.stream_type, version, batch.event_types[offset])
            + (batch.schema_versions[offset], batch.data_json[offset], batch.meta_json)
            + (recorded_at, known_at, previous)
        )
    return rows


def _insert(cursor, rows: list[tuple]) -> None:
    """Insert event rows, their positions given."""
    placeholder = "(" + ", ".join(["%s"] * 11) + ")"
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        cursor.execute(
            f"{_INSERT_EVENTS} VALUES {', '.join([placeholder] * len(chunk))}",
            [value for row in chunk for value in row],
        )
