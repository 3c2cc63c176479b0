"""Append to and read from the event log.

Appends are serialized with one PostgreSQL advisory lock held until commit. PostgreSQL hands
out positions when a row is inserted but shows the row when its transaction commits; holding
the lock from before the insert until the commit makes commit order equal position order, so a
reader that tails "position > last seen" never skips a late commit. SQLite serializes writers by
itself (the settings open every transaction IMMEDIATE).
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime

import orjson
import psycopg
from django.db import connection, connections, transaction
from django.utils import timezone

from . import people, projections, replicas
from .errors import ConcurrencyConflict, InvalidEvent
from .events import AppendResult, Batch, NewEvent, RecordedEvent
from .models import ProcessedCommand, StoredEvent
from .portable import append_step_by_step
from .postgres import append_in_function
from .upcasting import is_current as upcasting_current
from .upcasting import upcast

__all__ = ["AppendResult", "ConcurrencyConflict", "InvalidEvent", "NewEvent", "RecordedEvent"]


def _check_json(value, name: str) -> None:
    """Raise InvalidEvent naming the place in `value` (called `name`) that JSON cannot hold."""
    problem = _json_problem(value)
    if problem is not None:
        what, path = problem
        where = name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        raise InvalidEvent(f"{where} {what}")


_PLAIN = frozenset({int, bool, type(None)})  # leaves that need no further look


def _json_problem(value) -> tuple[str, tuple] | None:
    """Return what is wrong with `value` as stored JSON and where, or None.

    This runs for every appended value, so plain leaves (exact str, int, bool, None) are
    checked inline in their container's loop, and the path is built only on the way out of
    an error.
    """
    kind = type(value)
    if kind is dict or kind is list:
        for key, item in value.items() if kind is dict else enumerate(value):
            if kind is dict and not isinstance(key, str):
                return "has a non-string key", ()
            leaf = type(item)
            if leaf is str and "\x00" not in item or leaf in _PLAIN:
                continue
            problem = _json_problem(item)
            if problem is not None:
                return problem[0], (key, *problem[1])
        return None
    if isinstance(value, str):
        return ("contains a NUL character", ()) if "\x00" in value else None
    if isinstance(value, int) or value is None:  # bool is an int
        return None
    if isinstance(value, dict | list):  # subclasses
        return _json_problem(dict(value) if isinstance(value, dict) else list(value))
    if isinstance(value, float):
        return "is a float; store decimals as strings", ()
    return f"is a {type(value).__name__}, not a JSON value", ()


_SELECT_EVENTS = (
    "SELECT position, stream_id, stream_type, version, event_type, schema_version, data,"
    " metadata, recorded_at, known_at FROM eventstore_event"
)


def _fast_loaders(cursor) -> bool:
    """Let psycopg's C loader parse timestamps (Django's UTC loader is pure Python).

    Only when the connection's time zone is UTC, so the result is the same aware datetime;
    return whether it did.
    """
    if connection.vendor != "postgresql" or connection.timezone_name != "UTC":
        return False
    from psycopg import adapters, postgres, pq

    oid = postgres.types["timestamptz"].oid
    cursor.cursor.adapters.register_loader(oid, adapters.get_loader(oid, pq.Format.TEXT))
    return True


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite through a raw cursor
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def load_json(value):
    """Return the value of a JSON column as read by a raw cursor (text, or decoded already)."""
    if not isinstance(value, str | bytes):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:  # integers beyond 64 bits, which json reads
        return json.loads(value)


def _from_row(row: tuple) -> RecordedEvent:
    position, stream_id, stream_type, version, event_type, schema, data, meta, recorded, known = row
    schema_version, data = upcast(event_type, schema, load_json(data))
    return RecordedEvent(  # by position: a replay builds hundreds of thousands
        position,
        stream_id,
        stream_type,
        version,
        event_type,
        schema_version,
        data,
        load_json(meta),
        _aware(recorded),
        _aware(known),
    )


def _from_rows(rows: list[tuple]) -> list[RecordedEvent]:
    """_from_row for a whole batch of rows whose timestamps psycopg made aware already.

    The loop a replay spends its time in, so it is written out: one orjson call per JSON
    column, upcasting only where an upcaster exists, no per-value type checks. The events of
    one append carry the same metadata text, so they share one decoded dict (read-only, like
    the rest of a RecordedEvent).
    """
    loads, up_to_date = orjson.loads, upcasting_current
    events = []
    add = events.append
    meta_text = metadata = None
    try:
        for position, stream_id, stream_type, version, event_type, schema, data, meta, *at in rows:
            if meta != meta_text:
                meta_text, metadata = meta, loads(meta)
            data = loads(data)
            if not up_to_date(event_type, schema):
                schema, data = upcast(event_type, schema, data)
            add(
                RecordedEvent(
                    position, stream_id, stream_type, version, event_type, schema, data,
                    metadata, at[0], at[1],
                )
            )  # fmt: skip
    except orjson.JSONDecodeError:  # integers beyond 64 bits: the general path reads them
        return [_from_row(row) for row in rows]
    return events


_JSON_COLUMNS = (6, 7)  # data and metadata in _SELECT_EVENTS's rows


def _select_events(where: str, params: list, order_and_limit: str) -> list[RecordedEvent]:
    with connections[replicas.read_alias()].cursor() as cursor:
        aware = _fast_loaders(cursor)
        cursor.execute(f"{_SELECT_EVENTS} WHERE {where} {order_and_limit}", params)
        rows = people.reveal_rows(cursor.fetchall(), _JSON_COLUMNS)
    return _from_rows(rows) if aware else [_from_row(row) for row in rows]


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
        _check_json(event.data, f"{event.event_type}: data")
    now = timezone.now()
    known_at = known_at or now
    if known_at > now:
        raise InvalidEvent("known_at is in the future")
    base_metadata = {"actor": actor, "command_id": command_id, "reason": reason}
    if known_at != now:
        base_metadata["imported_at"] = now.isoformat()
    if metadata:
        _check_json(metadata, "metadata")
        base_metadata.update(metadata)
    try:
        batch = _batch(stream_id, stream_type, events, base_metadata, now, known_at, True)
        return _store(batch, expected_version, command_id)
    except people.Forgotten:  # nothing was stored: look the people up afresh
        people.forget()
        batch = _batch(stream_id, stream_type, events, base_metadata, now, known_at, False)
        return _store(batch, expected_version, command_id)


def _batch(stream_id, stream_type, events, metadata, now, known_at, remembered) -> Batch:
    """Return the batch to store: the events and metadata with people by reference."""
    stored, metadata, names, vouched = people.references(
        [(event.event_type, event.data) for event in events], metadata, remembered=remembered
    )
    events = [
        NewEvent(event.event_type, data, event.schema_version)
        for event, data in zip(events, stored, strict=True)
    ]
    return Batch(stream_id, stream_type, events, metadata, now, known_at, names, vouched)


def _store(batch: Batch, expected_version, command_id) -> AppendResult:
    chosen = projections.wanting(batch.event_types)
    # The projections' rows commit with the events or not at all: in the caller's transaction,
    # or in one of the append's own. Without them, PostgreSQL's append is one statement, a
    # transaction by itself, and holds the log's lock for no round trip to this process.
    own = bool(chosen) and not connection.in_atomic_block
    store = append_in_function if connection.vendor == "postgresql" else append_step_by_step
    with transaction.atomic() if own else nullcontext():
        result = store(batch, expected_version, command_id, [p.name for p in chosen])
        if chosen and not result.duplicate:
            projections.apply(chosen, batch.recorded(result))
    return result


def previous_result(command_id: str) -> AppendResult | None:
    """Return the answer a command id got the first time, or None if it is new."""
    done = ProcessedCommand.objects.filter(command_id=command_id).first()
    if done is None:
        return None
    return AppendResult(done.stream_id, done.version, tuple(done.positions), duplicate=True)


def decode(rows: Sequence[StoredEvent]) -> list[RecordedEvent]:
    """Return the stored rows as RecordedEvents, upcast to the current schema, the people
    they name looked up at once."""
    revealer = people.Revealer(
        people.names_of(
            i
            for row in rows
            for value in (row.data, row.metadata)
            for i in people.ids_in_value(value)
        )
    )
    events = []
    for row in rows:
        data = revealer.value(row.data)
        schema_version, data = upcast(row.event_type, row.schema_version, data)
        events.append(
            RecordedEvent(
                position=row.position,
                stream_id=row.stream_id,
                stream_type=row.stream_type,
                version=row.version,
                event_type=row.event_type,
                schema_version=schema_version,
                data=data,
                metadata=revealer.value(row.metadata),
                recorded_at=row.recorded_at,
                known_at=row.known_at,
            )
        )
    return events


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


def read_positions(positions: Sequence[int]) -> list[RecordedEvent]:
    """Return the events at these log positions, in position order."""
    if connection.vendor == "postgresql":
        return _select_events("position = ANY(%s)", [list(positions)], "ORDER BY position")
    events = []
    for start in range(0, len(positions), 900):  # below SQLite's limit of parameters
        chunk = list(positions[start : start + 900])
        where = f"position IN ({', '.join(['%s'] * len(chunk))})"
        events += _select_events(where, chunk, "")
    return sorted(events, key=lambda event: event.position)


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
    """Yield every event up to the head at the call, in position order, a batch at a time.

    Each batch asks for a range of positions, not "the next N after": without fresh table
    statistics (right after an import) PostgreSQL answers "position > p ORDER BY position
    LIMIT n" by sorting the rest of the log, once per batch.
    """
    head, after = head_position(), 0
    while after < head:
        upto = min(after + batch_size, head)
        yield from _select_range(after, upto)
        after = upto


# libpq 17 and later hand over a result in chunks of rows while the server still sends.
_CHUNK = 500 if psycopg.pq.version() >= 170000 else 0


def _select_range(after: int, upto: int) -> list[RecordedEvent]:
    """Return the events with after < position <= upto, in position order.

    On PostgreSQL each chunk of rows is decoded while the server reads and sends the next, so
    a replay keeps both the client's and the server's processor busy instead of taking turns.
    The range is read whole before it is returned: a caller may query between two ranges.
    """
    where, params = "position > %s AND position <= %s", [after, upto]
    later = None
    if _CHUNK:
        with connection.cursor() as cursor:
            if _fast_loaders(cursor):  # PostgreSQL in UTC: rows _from_rows can decode
                events, rows, later = [], [], people.Later()
                query = f"{_SELECT_EVENTS} WHERE {where} ORDER BY position"
                for row in cursor.cursor.stream(query, params, size=_CHUNK):
                    rows.append(row)
                    if len(rows) == _CHUNK:
                        later.note(rows, *_JSON_COLUMNS)
                        events += _from_rows(rows)
                        rows = []
                later.note(rows, *_JSON_COLUMNS)
                events += _from_rows(rows)
        if later is not None:  # the stream is done: the connection may look people up
            return later.reveal(events)
    return _select_events(where, params, "ORDER BY position")


def head_position() -> int:
    """Return the highest position in the log (0 when empty)."""
    last = StoredEvent.objects.order_by("-position").values_list("position", flat=True).first()
    return last or 0
