"""The append on PostgreSQL: one call of the eventstore_append function (migrations 0011, 0015).

The function takes the log's lock first, then reads the command id, confirms the people the
caller remembered (people.py), reads the stream's head, checks the expected version and
known_at, chains the hashes from the log's last event, and writes the events, the command and
the checkpoints: one round trip, whatever the number of events.
"""

import orjson
from django.db import DEFAULT_DB_ALIAS, connections

from . import bound, people
from .errors import ConcurrencyConflict, InvalidEvent
from .events import AppendResult, Batch

_APPEND = (
    "SELECT outcome, stream_id, version, positions, head_known_at FROM eventstore_append("
    "%s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s::varchar[], %s::jsonb)"
)


def append_in_function(
    batch: Batch, expected_version: int | None, command_id: str | None, checkpoints: list[str]
) -> AppendResult:
    """Store `batch` and move the named checkpoints to its last position; return the result."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up
    row = bound.execute(db, _APPEND, _parameters(batch, expected_version, command_id, checkpoints))
    outcome, stream_id, version, positions, head_known_at = row.fetchone()
    if outcome == "duplicate":
        return AppendResult(stream_id, version, tuple(positions), duplicate=True)
    if outcome == "people":
        raise people.Forgotten
    if outcome == "conflict":
        raise ConcurrencyConflict(batch.stream_id, expected_version, version)
    if outcome == "known_at":
        raise InvalidEvent(
            f"known_at {batch.known_at.isoformat()} is before the stream's last event"
            f" ({head_known_at.isoformat()})"
        )
    return AppendResult(batch.stream_id, version, tuple(positions))


def _parameters(batch: Batch, expected_version, command_id, checkpoints: list[str]) -> list:
    """The function's arguments, the events as one JSON array text."""
    events = orjson.dumps(  # the data texts go in as they are, encoded once already
        [
            [event_type, schema_version, orjson.Fragment(data_json), digest]
            for event_type, schema_version, data_json, digest in zip(
                batch.event_types,
                batch.schema_versions,
                batch.data_json,
                batch.digests,
                strict=True,
            )
        ]
    )
    return [
        batch.stream_id,
        batch.stream_type,
        expected_version,
        command_id,
        events.decode(),
        batch.meta_json,
        batch.now,
        batch.known_at,
        checkpoints,
        orjson.dumps(batch.vouched).decode(),
    ]
