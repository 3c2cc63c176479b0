"""The values an append takes and gives: new events, recorded events, its result, its batch."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .hashing import Envelope, canonical_json
from .people import Revealer
from .upcasting import current_version, upcast


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


class Batch:
    """The events of one append, encoded and digested once, for the database to store."""

    def __init__(
        self,
        stream_id,
        stream_type,
        events: Sequence[NewEvent],
        meta: dict,
        now,
        known,
        names,
        vouched,
    ):
        """`names`: {id: name} of the people the events' data and `meta` refer to;
        `vouched`: {id: key} of those ids the append must confirm (people.py)."""
        self.stream_id, self.stream_type = stream_id, stream_type
        self.names, self.vouched = names, vouched
        # Canonical JSON is what the database gives back, so it serves the hash as it is.
        self.meta_json = canonical_json(meta)
        self.now, self.known_at = now, known
        self.event_types = [event.event_type for event in events]
        self.schema_versions = [
            event.schema_version or current_version(event.event_type) for event in events
        ]
        # Canonical JSON serves as the stored text and the hashed text at once. It equals the
        # canonical JSON of what the database gives back: store.append lets through only
        # strings, ints, bools, None, string-keyed dicts and lists.
        self.data_json = [canonical_json(event.data) for event in events]
        envelope = Envelope(stream_id, stream_type, self.meta_json, known, now)
        self.digests = [
            envelope.digest(event_type, schema_version, data_json)
            for event_type, schema_version, data_json in zip(
                self.event_types, self.schema_versions, self.data_json, strict=True
            )
        ]

    def recorded(self, result: AppendResult) -> list[RecordedEvent]:
        """Return the stored events as a reader would get them, upcast, in version order."""
        first_version = result.version - len(result.positions) + 1
        revealer = Revealer(self.names) if self.names else None
        events = []
        for offset, (event_type, schema_version, data_json, position) in enumerate(
            zip(
                self.event_types,
                self.schema_versions,
                self.data_json,
                result.positions,
                strict=True,
            )
        ):
            data = json.loads(revealer.json(data_json) if revealer else data_json)
            schema_version, data = upcast(event_type, schema_version, data)
            events.append(
                RecordedEvent(
                    position=position,
                    stream_id=self.stream_id,
                    stream_type=self.stream_type,
                    version=first_version + offset,
                    event_type=event_type,
                    schema_version=schema_version,
                    data=data,
                    metadata=json.loads(
                        revealer.json(self.meta_json) if revealer else self.meta_json
                    ),
                    recorded_at=self.now,
                    known_at=self.known_at,
                )
            )
        return events
