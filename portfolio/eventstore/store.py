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


def _take_append_lock() -> None:
    if connection.vendor == "postgresql" and serialize_appends():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


def _stream_head(stream_id: str) -> tuple[int, str, datetime | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version, hash, known_at FROM eventstore_event"
            " WHERE stream_id = %s ORDER BY version DESC LIMIT 1",
            [stream_id],
        )
        row = cursor.fetchone()
    if row is None:
        return 0, GENESIS, None
    version, last_hash, known_at = row
    if isinstance(known_at, str):  # SQLite through a raw cursor
        known_at = datetime.fromisoformat(known_at)
    if timezone.is_naive(known_at):
        known_at = timezone.make_aware(known_at, UTC)
    return version, last_hash, known_at


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

    with transaction.atomic():
        _take_append_lock()
        if command_id is not None and (done := previous_result(command_id)) is not None:
            return done
        version, previous, last_known = _stream_head(stream_id)
        if expected_version is not None and version != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, version)
        if last_known is not None and known_at < last_known:
            raise InvalidEvent(f"known_at {known_at.isoformat()} is before the stream's last event")
        rows = []
        for event in events:
            version += 1
            schema_version = event.schema_version or current_version(event.event_type)
            # Round-trip through JSON so the hash covers exactly what the database returns.
            data = json.loads(json.dumps(event.data))
            meta = json.loads(json.dumps(base_metadata))
            previous = event_hash(
                previous=previous,
                stream_id=stream_id,
                version=version,
                event_type=event.event_type,
                schema_version=schema_version,
                data=data,
                metadata=meta,
                known_at=known_at,
            )
            rows.append(
                StoredEvent(
                    stream_id=stream_id,
                    stream_type=stream_type,
                    version=version,
                    event_type=event.event_type,
                    schema_version=schema_version,
                    data=data,
                    metadata=meta,
                    recorded_at=now,
                    known_at=known_at,
                    hash=previous,
                )
            )
        try:
            with transaction.atomic():
                StoredEvent.objects.bulk_create(rows)
        except IntegrityError as error:
            # Only reachable when appends are not serialized: the unique (stream, version)
            # constraint is the last guard against a lost update.
            raise ConcurrencyConflict(stream_id, expected_version, version) from error
        positions = tuple(row.position for row in rows)
        if command_id is not None:
            ProcessedCommand.objects.create(
                command_id=command_id,
                stream_id=stream_id,
                version=version,
                positions=list(positions),
                recorded_at=now,
            )
        projections.apply_inline([decode(row) for row in rows])
    return AppendResult(stream_id, version, positions)


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
    rows = StoredEvent.objects.filter(stream_id=stream_id)
    if until_position is not None:
        rows = rows.filter(position__lte=until_position)
    if known_by is not None:
        rows = rows.filter(known_at__lte=known_by)
    return [decode(row) for row in rows.order_by("version")]


def read_all(
    *,
    after: int = 0,
    limit: int | None = 1000,
    stream_types: Sequence[str] | None = None,
) -> list[RecordedEvent]:
    """Return events after a log position, in position order (the feed a tailing reader follows)."""
    rows = StoredEvent.objects.filter(position__gt=after)
    if stream_types:
        rows = rows.filter(stream_type__in=stream_types)
    rows = rows.order_by("position")
    if limit is not None:
        rows = rows[:limit]
    return [decode(row) for row in rows]


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
