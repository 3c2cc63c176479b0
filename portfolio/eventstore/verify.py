"""Check the log: its hash chain links every event to the one before it, in position order, and
every stream's versions run 1, 2, 3 ..."""

from dataclasses import dataclass, field
from datetime import datetime

from .hashing import GENESIS, event_hash
from .models import StoredEvent

# Every stored field: the hash covers each of them (hashing.py).
FIELDS = (
    "position",
    "stream_id",
    "stream_type",
    "version",
    "event_type",
    "schema_version",
    "data",
    "metadata",
    "recorded_at",
    "known_at",
    "hash",
)


class Chains:
    """Follow the log's hash chain and every stream's versions, fed one event at a time in
    position order.

    verify_events feeds it the stored log, import_events the lines of a file before it commits
    them: one reading of what an intact log is.
    """

    def __init__(self):
        self._previous = (0, GENESIS)  # the last event followed: its position and hash
        self._versions: dict[str, int] = {}  # stream -> its last version

    @property
    def streams(self) -> int:
        return len(self._versions)

    def follow(
        self,
        *,
        position: int,
        stream_id: str,
        stream_type: str,
        version: int,
        event_type: str,
        schema_version: int,
        data,
        metadata: dict,
        recorded_at: datetime,
        known_at: datetime,
        hash: str,
    ) -> list[str]:
        """Take the log's next event; return what breaks there (nothing when it is intact).

        The chain goes on from the event's stored hash, so one altered event is one break.
        Positions may have gaps (a rolled-back append uses up its numbers): the chain links
        the events that exist, so a removed event breaks it at the next one that does.
        """
        breaks = []
        last_version = self._versions.get(stream_id, 0)
        if version != last_version + 1:
            breaks.append(f"stream {stream_id} jumps from version {last_version} to {version}")
        last_position, previous = self._previous
        expected = event_hash(
            previous=previous,
            position=position,
            stream_id=stream_id,
            stream_type=stream_type,
            version=version,
            event_type=event_type,
            schema_version=schema_version,
            data=data,
            metadata=metadata,
            recorded_at=recorded_at,
            known_at=known_at,
        )
        if expected != hash:
            if position == last_position + 1:
                cause = "the event was altered" + (
                    f", or the one before it at position {last_position}" if last_position else ""
                )
            elif last_position:
                cause = (
                    f"the chain breaks after position {last_position}: events between were"
                    " removed, or the event was altered"
                )
            else:  # the first event there is; rolled-back appends may have used up 1, 2 ...
                cause = (
                    "the chain breaks at the log's start: events before it were removed, or"
                    " the event was altered"
                )
            breaks.append(
                f"stream {stream_id} version {version} ({event_type}) does not match its hash:"
                f" {cause}"
            )
        self._previous = (position, hash)
        self._versions[stream_id] = version
        return breaks


@dataclass
class Report:
    events: int = 0
    streams: int = 0
    breaks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_log(batch_size: int = 5000) -> Report:
    """Walk the whole log in position order and report every break in versions or hashes."""
    report = Report()
    chains = Chains()
    after = 0
    while True:
        rows = list(
            StoredEvent.objects.filter(position__gt=after)
            .order_by("position")
            .values(*FIELDS)[:batch_size]
        )
        if not rows:
            break
        for row in rows:
            position = row["position"]
            report.breaks.extend(f"position {position}: {b}" for b in chains.follow(**row))
            report.events += 1
        after = position
    report.streams = chains.streams
    return report
