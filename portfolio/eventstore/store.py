"""Append to and read from the event log.

Appends are serialized with one PostgreSQL advisory lock held until commit. PostgreSQL hands
out positions when a row is inserted but shows the row when its transaction commits; holding
the lock from before the insert until the commit makes commit order equal position order, so a
reader that tails "position > last seen" never skips a late commit. SQLite serializes writers by
itself (the settings open every transaction IMMEDIATE).
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import projections
from .errors import ConcurrencyConflict, InvalidEvent

__all__ = ["AppendResult", "ConcurrencyConflict", "InvalidEvent", "NewEvent", "RecordedEvent"]
from .hashing import GENESIS, event_hash
from .models import ProcessedCommand, StoredEvent
from .upcasting import current_version, upcast

# Any fixed 64-bit number; it names "the event log's append lock" among advisory locks.
APPEND_LOCK_KEY = 7_301_562_044


@dataclass(frozen=True)
class NewEvent:
    """An event a command wants to append: its type and JSON payload."""

    event_type: str
    data: dict
    schema_version: int | None = None


@dataclass(frozen=True)
class RecordedEvent:
    """An event as read back from the log, upcast to its current schema version."""

    position: int
    stream_id: str
    stream_type: str
    version: int
    event_type: str
    schema_version: int
    data: dict
    metadata: dict
    recorded_at: datetime
    known_at: datetime


@dataclass(frozen=True)
class AppendResult:
    """What an append did: the stream's new version and the positions it wrote."""

    stream_id: str
    version: int
    positions: tuple[int, ...] = field(default_factory=tuple)
    duplicate: bool = False


def _check_json(event: NewEvent) -> None:
    def walk(value, path):
        if isinstance(value, float):
            raise InvalidEvent(f"{event.event_type}: {path} is a float; store decimals as strings")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InvalidEvent(f"{event.event_type}: {path} has a non-string key")
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, str) and "\x00" in value:
            raise InvalidEvent(f"{event.event_type}: {path} contains a NUL character")
        elif not isinstance(value, str | int | bool | type(None)):
            raise InvalidEvent(
                f"{event.event_type}: {path} is a {type(value).__name__}, not a JSON value"
            )

    walk(event.data, "data")


def serialize_appends() -> bool:
    """Whether appends take the log's lock (only a test of the safeguard turns it off)."""
    return getattr(settings, "EVENTSTORE_SERIALIZE_APPENDS", True)


def _take_append_lock(cursor=None) -> None:
    if connection.vendor == "postgresql" and serialize_appends():
        if cursor is not None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
            return
        with connection.cursor() as own:
            own.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


_SELECT_EVENTS = (
    "SELECT position, stream_id, stream_type, version, event_type, schema_version, data,"
    " metadata, recorded_at, known_at FROM eventstore_event"
)

# One query answers both "was this command seen?" and "where is the stream's head?".
_COMMAND_AND_HEAD = (
    "SELECT e.version, e.hash, e.known_at, c.stream_id, c.version, c.positions"
    " FROM (SELECT CAST(%s AS VARCHAR(200)) AS command_id,"
    " CAST(%s AS VARCHAR(100)) AS stream_id) AS q"
    " LEFT JOIN eventstore_command c ON c.command_id = q.command_id"
    " LEFT JOIN eventstore_event e ON e.stream_id = q.stream_id AND e.version ="
    " (SELECT MAX(version) FROM eventstore_event WHERE stream_id = q.stream_id)"
)

_INSERT_EVENTS = (
    "INSERT INTO eventstore_event (stream_id, stream_type, version, event_type,"
    " schema_version, data, metadata, recorded_at, known_at, hash)"
)

_INSERT_COMMAND = (
    "INSERT INTO eventstore_command (command_id, stream_id, version, positions, recorded_at)"
)

_COPY_EVENTS = (
    "COPY eventstore_event (position, stream_id, stream_type, version, event_type,"
    " schema_version, data, metadata, recorded_at, known_at, hash) FROM STDIN"
)

# Appends of this many events or more use COPY on PostgreSQL.
_COPY_FROM = 20

# Rows per INSERT statement: below SQLite's limit of 32,766 parameters.
_INSERT_CHUNK = 1000


def _json_placeholder() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _fast_loaders(cursor) -> None:
    """Let psycopg's C loader parse timestamps (Django's UTC loader is pure Python).

    Only when the connection's time zone is UTC, so the result is the same aware datetime.
    """
    if connection.vendor != "postgresql" or connection.timezone_name != "UTC":
        return
    from psycopg import adapters, postgres, pq

    oid = postgres.types["timestamptz"].oid
    cursor.cursor.adapters.register_loader(oid, adapters.get_loader(oid, pq.Format.TEXT))


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite through a raw cursor
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _from_row(row: tuple) -> RecordedEvent:
    position, stream_id, stream_type, version, event_type, schema, data, meta, recorded, known = row
    schema_version, data = upcast(event_type, schema, _json(data))
    return RecordedEvent(
        position=position,
        stream_id=stream_id,
        stream_type=stream_type,
        version=version,
        event_type=event_type,
        schema_version=schema_version,
        data=data,
        metadata=_json(meta),
        recorded_at=_aware(recorded),
        known_at=_aware(known),
    )


def _select_events(where: str, params: list, order_and_limit: str) -> list[RecordedEvent]:
    with connection.cursor() as cursor:
        _fast_loaders(cursor)
        cursor.execute(f"{_SELECT_EVENTS} WHERE {where} {order_and_limit}", params)
        rows = cursor.fetchall()
    return [_from_row(row) for row in rows]


def _command_and_head(
    cursor, command_id: str | None, stream_id: str
) -> tuple[AppendResult | None, int, str, datetime | None]:
    """Return the first answer to this command (or None) and the stream's version, hash, time."""
    cursor.execute(_COMMAND_AND_HEAD, [command_id, stream_id])
    version, last_hash, known_at, done_stream, done_version, done_positions = cursor.fetchone()
    done = None
    if done_stream is not None:
        positions = tuple(_json(done_positions))
        done = AppendResult(done_stream, done_version, positions, duplicate=True)
    if version is None:
        return done, 0, GENESIS, None
    return done, version, last_hash, _aware(known_at)


def _insert_events(cursor, rows: list[tuple]) -> dict[int, int]:
    """Insert event rows; return the position given to each version."""
    if connection.vendor == "postgresql" and len(rows) >= _COPY_FROM:
        return _copy_events(cursor, rows)
    json_value = _json_placeholder()
    placeholder = f"(%s, %s, %s, %s, %s, {json_value}, {json_value}, %s, %s, %s)"
    positions: dict[int, int] = {}
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        values = ", ".join([placeholder] * len(chunk))
        cursor.execute(
            f"{_INSERT_EVENTS} VALUES {values} RETURNING position, version",
            [value for row in chunk for value in row],
        )
        # RETURNING promises no order on SQLite, so match positions to versions.
        positions.update((version, position) for position, version in cursor.fetchall())
    return positions


def _copy_events(cursor, rows: list[tuple]) -> dict[int, int]:
    """Insert many event rows with COPY, positions drawn from the sequence first (PostgreSQL).

    The positions are taken while the append lock is held, like the INSERT's would be, so they
    still become visible in order.
    """
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence('eventstore_event', 'position'))"
        " FROM generate_series(1, %s)",
        [len(rows)],
    )
    positions = sorted(position for (position,) in cursor.fetchall())
    with connection.wrap_database_errors, cursor.cursor.copy(_COPY_EVENTS) as copy:
        for position, row in zip(positions, rows, strict=True):
            copy.write_row((position, *row))
    return {row[2]: position for position, row in zip(positions, rows, strict=True)}


def _record_command(cursor, command_id: str, result: AppendResult, now: datetime) -> None:
    cursor.execute(
        f"{_INSERT_COMMAND} VALUES (%s, %s, %s, {_json_placeholder()}, %s)",
        [
            command_id,
            result.stream_id,
            result.version,
            json.dumps(list(result.positions)),
            connection.ops.adapt_datetimefield_value(now),
        ],
    )


def append(
    *,
    stream_id: str,
    stream_type: str,
    expected_version: int | None,
    events: Sequence[NewEvent],
    actor: str,
    command_id: str | None = None,
    reason: str = "",
    known_at: datetime | None = None,
    metadata: dict | None = None,
) -> AppendResult:
    """Append `events` to a stream if it is still at `expected_version`, atomically.

    `expected_version` 0 means a new stream; None skips the check (only for imports that own
    the stream). A command id seen before returns the first answer and appends nothing.
    `known_at` back-dates imported history; it may not be in the future nor before the
    stream's last event.
    """
    if not events:
        raise InvalidEvent("an append needs at least one event")
    for event in events:
        _check_json(event)
    now = timezone.now()
    known_at = known_at or now
    if known_at > now:
        raise InvalidEvent("known_at is in the future")
    base_metadata = {"actor": actor, "command_id": command_id, "reason": reason}
    if known_at != now:
        base_metadata["imported_at"] = now.isoformat()
    base_metadata.update(metadata or {})
    batch = _Batch(stream_id, stream_type, json.dumps(base_metadata), now, known_at)

    with transaction.atomic(), connection.cursor() as cursor:
        _fast_loaders(cursor)
        _take_append_lock(cursor)
        # A statement of its own, after the lock: its snapshot then includes the last holder's
        # commit, so the head it reads is current.
        done, version, previous, last_known = _command_and_head(cursor, command_id, stream_id)
        if done is not None:
            return done
        if expected_version is not None and version != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, version)
        if last_known is not None and known_at < last_known:
            raise InvalidEvent(f"known_at {known_at.isoformat()} is before the stream's last event")
        rows = batch.chain(events, version, previous)
        try:
            position_of = _insert_events(cursor, rows)
        except IntegrityError as error:
            # Only reachable when appends are not serialized: the unique (stream, version)
            # constraint is the last guard against a lost update. Leaving the atomic block
            # with this error rolls the whole append back.
            raise ConcurrencyConflict(stream_id, expected_version, version) from error
        recorded = batch.recorded(position_of)
        result = AppendResult(stream_id, recorded[-1].version, tuple(e.position for e in recorded))
        if command_id is not None:
            _record_command(cursor, command_id, result, now)
        projections.apply_inline(recorded)
    return result


class _Batch:
    """The events of one append: their rows for the table and, once stored, their records."""

    def __init__(self, stream_id, stream_type, meta_json: str, now, known_at):
        self.stream_id, self.stream_type = stream_id, stream_type
        # Encoded once: the database stores this text, and the hash covers what it decodes to.
        self.meta_json, self.meta = meta_json, json.loads(meta_json)
        self.now, self.known_at = now, known_at
        self.decoded: list[tuple[int, str, int, dict]] = []

    def chain(self, events: Sequence[NewEvent], version: int, previous: str) -> list[tuple]:
        """Number and hash the events after (version, previous); return their table rows."""
        recorded_db = connection.ops.adapt_datetimefield_value(self.now)
        known_db = connection.ops.adapt_datetimefield_value(self.known_at)
        rows = []
        for event in events:
            version += 1
            schema_version = event.schema_version or current_version(event.event_type)
            data_json = json.dumps(event.data)
            data = json.loads(data_json)
            previous = event_hash(
                previous=previous,
                stream_id=self.stream_id,
                version=version,
                event_type=event.event_type,
                schema_version=schema_version,
                data=data,
                metadata=self.meta,
                known_at=self.known_at,
            )
            rows.append(
                (self.stream_id, self.stream_type, version, event.event_type, schema_version)
                + (data_json, self.meta_json, recorded_db, known_db, previous)
            )
            self.decoded.append((version, event.event_type, schema_version, data))
        return rows

    def recorded(self, position_of: dict[int, int]) -> list[RecordedEvent]:
        """Return the stored events as a reader would get them, upcast, in version order."""
        events = []
        for version, event_type, schema_version, data in self.decoded:
            schema_version, data = upcast(event_type, schema_version, data)
            events.append(
                RecordedEvent(
                    position=position_of[version],
                    stream_id=self.stream_id,
                    stream_type=self.stream_type,
                    version=version,
                    event_type=event_type,
                    schema_version=schema_version,
                    data=data,
                    metadata=json.loads(self.meta_json),
                    recorded_at=self.now,
                    known_at=self.known_at,
                )
            )
        return events


def previous_result(command_id: str) -> AppendResult | None:
    """Return the answer a command id got the first time, or None if it is new."""
    done = ProcessedCommand.objects.filter(command_id=command_id).first()
    if done is None:
        return None
    return AppendResult(done.stream_id, done.version, tuple(done.positions), duplicate=True)


def decode(row: StoredEvent) -> RecordedEvent:
    """Return the stored row as a RecordedEvent, upcast to the current schema."""
    schema_version, data = upcast(row.event_type, row.schema_version, row.data)
    return RecordedEvent(
        position=row.position,
        stream_id=row.stream_id,
        stream_type=row.stream_type,
        version=row.version,
        event_type=row.event_type,
        schema_version=schema_version,
        data=data,
        metadata=row.metadata,
        recorded_at=row.recorded_at,
        known_at=row.known_at,
    )


def read_stream(
    stream_id: str,
    *,
    until_position: int | None = None,
    known_by: datetime | None = None,
) -> list[RecordedEvent]:
    """Return a stream's events in version order, optionally as of a position and a time."""
    where, params = "stream_id = %s", [stream_id]
    if until_position is not None:
        where += " AND position <= %s"
        params.append(until_position)
    if known_by is not None:
        where += " AND known_at <= %s"
        params.append(connection.ops.adapt_datetimefield_value(known_by))
    return _select_events(where, params, "ORDER BY version")


def read_all(
    *,
    after: int = 0,
    limit: int | None = 1000,
    stream_types: Sequence[str] | None = None,
) -> list[RecordedEvent]:
    """Return events after a log position, in position order (the feed a tailing reader follows)."""
    where, params = "position > %s", [after]
    if stream_types:
        where += f" AND stream_type IN ({', '.join(['%s'] * len(stream_types))})"
        params.extend(stream_types)
    order = "ORDER BY position"
    if limit is not None:
        order += " LIMIT %s"
        params.append(limit)
    return _select_events(where, params, order)


def iter_all(*, batch_size: int = 5000) -> Iterator[RecordedEvent]:
    """Yield every event in position order, a batch at a time (for rebuilds and exports)."""
    after = 0
    while True:
        batch = read_all(after=after, limit=batch_size)
        if not batch:
            return
        yield from batch
        after = batch[-1].position


def head_position() -> int:
    """Return the highest position in the log (0 when empty)."""
    last = StoredEvent.objects.order_by("-position").values_list("position", flat=True).first()
    return last or 0
