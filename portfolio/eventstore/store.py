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
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson
import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from . import bound, one_event, projections
from .errors import ConcurrencyConflict, InvalidEvent

__all__ = ["AppendResult", "ConcurrencyConflict", "InvalidEvent", "NewEvent", "RecordedEvent"]
from .hashing import Envelope, canonical_json
from .models import ProcessedCommand, StoredEvent
from .upcasting import current_version, upcast
from .upcasting import is_current as upcasting_current

# Any fixed 64-bit number; it names "the event log's append lock" among advisory locks.
APPEND_LOCK_KEY = 7_301_562_044


@dataclass(frozen=True)
class NewEvent:
    """An event a command wants to append: its type and JSON payload."""

    event_type: str
    data: dict
    schema_version: int | None = None


@dataclass(slots=True)
class RecordedEvent:
    """An event as read back from the log, upcast to its current schema version.

    Treat it as a value, its data and metadata included (events of one append may share their
    metadata dict). It is not a frozen dataclass because building one of those costs
    twice as much, and a replay builds one per event in the log.
    """

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

# The whole append in one statement on PostgreSQL (migration 0004 defines the function). The
# stream's known_at is only read for the error that names it: a timestamp parsed in Python
# on every append cost more than the rest of the result row.
_APPEND = (
    "SELECT outcome, out_stream, out_version, out_positions,"
    " CASE outcome WHEN 'known_at' THEN out_known_at END FROM eventstore_append("
    "%s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, %s::varchar[])"
)
# One event, the common case, in one plain statement (one_event.py says why and how).
_APPEND_ONE = one_event.statement(APPEND_LOCK_KEY, checkpoints=False)
_APPEND_ONE_MOVING_CHECKPOINTS = one_event.statement(APPEND_LOCK_KEY, checkpoints=True)


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


def _select_events(where: str, params: list, order_and_limit: str) -> list[RecordedEvent]:
    with connection.cursor() as cursor:
        aware = _fast_loaders(cursor)
        cursor.execute(f"{_SELECT_EVENTS} WHERE {where} {order_and_limit}", params)
        rows = cursor.fetchall()
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
    batch = _Batch(stream_id, stream_type, events, base_metadata, now, known_at)
    if connection.vendor == "postgresql":
        return _append_in_one_statement(batch, expected_version, command_id)
    from .portable import append_step_by_step

    return append_step_by_step(batch, expected_version, command_id)


def _append_in_one_statement(
    batch: "_Batch", expected_version: int | None, command_id: str | None
) -> AppendResult:
    """Append in one statement (PostgreSQL): one event in plain SQL, several through the
    eventstore_append function.

    Alone it is one round trip in autocommit; only when a projection written in Python will add
    rows does it open a transaction, so those rows commit with the events or not at all.
    """
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up
    inline = projections.inline_for(batch.stream_type, batch.event_types)
    needs_transaction = bool(inline.in_python) and not db.in_atomic_block
    try:
        with transaction.atomic() if needs_transaction else nullcontext():
            if len(batch.event_types) == 1:
                result = _append_one(db, batch, expected_version, command_id, inline.names)
            else:
                result = _append_several(db, batch, expected_version, command_id, inline.names)
            if inline.in_python and not result.duplicate:
                first = result.version - len(result.positions) + 1
                recorded = batch.recorded(first, result.positions)
                projections.apply_in_python(inline.in_python, recorded)
            return result
    except _Refused as refused:
        # The unique (stream, version) index or the command key refused an append that read
        # an older head than the last commit (one_event.py), or appends are not serialized.
        # Outside a transaction the first answer to a repeated command can still be found;
        # inside one, nothing more can be asked, and the caller's transaction must go anyway.
        if db.in_atomic_block:
            raise ConcurrencyConflict(batch.stream_id, expected_version, None) from refused
        previous = previous_result(command_id) if command_id is not None else None
        if previous is None:
            actual = stream_version(batch.stream_id)
            raise ConcurrencyConflict(batch.stream_id, expected_version, actual) from refused
        return previous


class _Refused(Exception):
    """The append statement broke a unique index (its IntegrityError is the cause)."""


def _append_one(db, batch: "_Batch", expected_version, command_id, checkpoints) -> AppendResult:
    statement = _APPEND_ONE_MOVING_CHECKPOINTS if checkpoints else _APPEND_ONE
    parameters = one_event.parameters(
        batch, expected_version, command_id, serialize_appends(), checkpoints
    )
    position, head_version, head_known_at = _call_append(db, statement, parameters)
    if position is not None:
        return AppendResult(batch.stream_id, head_version + 1, (position,))
    # Nothing was inserted: the function's checks, in its order.
    previous = previous_result(command_id) if command_id is not None else None
    if previous is not None:
        return previous
    if expected_version is not None and head_version != expected_version:
        raise ConcurrencyConflict(batch.stream_id, expected_version, head_version)
    if head_known_at is not None and head_known_at > batch.known_at:
        _refuse_known_at(batch, head_known_at)
    # Left: the statement saw the command id, which is gone by now (an import replaced the
    # log in between). Not a case to guess at: the caller may read the stream and retry.
    raise ConcurrencyConflict(batch.stream_id, expected_version, head_version)


def _append_several(db, batch: "_Batch", expected_version, command_id, checkpoints):
    parameters = batch.parameters(expected_version, command_id, checkpoints)
    outcome, stream_id, version, positions, head_known_at = _call_append(db, _APPEND, parameters)
    if outcome == "duplicate":
        return AppendResult(stream_id, version, tuple(positions), duplicate=True)
    if outcome == "conflict":
        raise ConcurrencyConflict(batch.stream_id, expected_version, version)
    if outcome == "known_at":
        _refuse_known_at(batch, head_known_at)
    return AppendResult(batch.stream_id, version, tuple(positions))


def _refuse_known_at(batch: "_Batch", head_known_at: datetime):
    raise InvalidEvent(
        f"known_at {batch.known_at.isoformat()} is before the stream's last event"
        f" ({head_known_at.isoformat()})"
    )


def _call_append(db, statement: str, parameters) -> tuple:
    """Run the append statement bound and prepared by the server (bound.py); return its row."""
    try:
        return bound.execute(db, statement, parameters).fetchone()
    except IntegrityError as error:  # not one a projection raises after: that one stays as is
        raise _Refused from error


class _Batch:
    """The events of one append, encoded and digested once for whichever path stores them."""

    def __init__(self, stream_id, stream_type, events: Sequence[NewEvent], meta: dict, now, known):
        self.stream_id, self.stream_type = stream_id, stream_type
        # Canonical JSON is what the database gives back, so it serves the hash as it is.
        self.meta_json = canonical_json(meta)
        self.now, self.known_at = now, known
        self.event_types = [event.event_type for event in events]
        self.schema_versions = [
            event.schema_version or current_version(event.event_type) for event in events
        ]
        # Canonical JSON serves as the stored text and the hashed text at once. It equals the
        # canonical JSON of what the database gives back: _check_json let through only
        # strings, ints, bools, None, string-keyed dicts and lists.
        self.data_json = [canonical_json(event.data) for event in events]
        envelope = Envelope(stream_id, self.meta_json, known)
        self.digests = [
            envelope.digest(event_type, schema_version, data_json)
            for event_type, schema_version, data_json in zip(
                self.event_types, self.schema_versions, self.data_json, strict=True
            )
        ]

    def parameters(self, expected_version, command_id, checkpoints: list[str]) -> list:
        """The eventstore_append function's arguments, events as one JSON array text."""
        events = orjson.dumps(  # the data texts go in as they are, encoded once already
            [
                [event_type, schema_version, orjson.Fragment(data_json), digest]
                for event_type, schema_version, data_json, digest in zip(
                    self.event_types,
                    self.schema_versions,
                    self.data_json,
                    self.digests,
                    strict=True,
                )
            ]
        )
        return [
            self.stream_id,
            self.stream_type,
            expected_version,
            command_id,
            events.decode(),
            self.meta_json,
            self.now,
            self.known_at,
            serialize_appends(),
            checkpoints,
        ]

    def recorded(self, first_version: int, positions: Sequence[int]) -> list[RecordedEvent]:
        """Return the stored events as a reader would get them, upcast, in version order."""
        events = []
        for offset, (event_type, schema_version, data_json, position) in enumerate(
            zip(self.event_types, self.schema_versions, self.data_json, positions, strict=True)
        ):
            schema_version, data = upcast(event_type, schema_version, json.loads(data_json))
            events.append(
                RecordedEvent(
                    position=position,
                    stream_id=self.stream_id,
                    stream_type=self.stream_type,
                    version=first_version + offset,
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


def stream_version(stream_id: str) -> int:
    """Return the stream's version as last committed (0 for a stream with no events)."""
    versions = StoredEvent.objects.filter(stream_id=stream_id).order_by("-version")
    return versions.values_list("version", flat=True).first() or 0


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
    if _CHUNK:
        with connection.cursor() as cursor:
            if _fast_loaders(cursor):  # PostgreSQL in UTC: rows _from_rows can decode
                events, rows = [], []
                query = f"{_SELECT_EVENTS} WHERE {where} ORDER BY position"
                for row in cursor.cursor.stream(query, params, size=_CHUNK):
                    rows.append(row)
                    if len(rows) == _CHUNK:
                        events += _from_rows(rows)
                        rows = []
                return events + _from_rows(rows)
    return _select_events(where, params, "ORDER BY position")


def head_position() -> int:
    """Return the highest position in the log (0 when empty)."""
    last = StoredEvent.objects.order_by("-position").values_list("position", flat=True).first()
    return last or 0
