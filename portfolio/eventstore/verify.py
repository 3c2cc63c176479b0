"""Check the log: every stream's versions run 1, 2, 3 ... and every hash chains to the last."""

from dataclasses import dataclass, field
from datetime import datetime

from .hashing import GENESIS, event_hash
from .models import StoredEvent

FIELDS = (
    "position",
    "stream_id",
    "version",
    "event_type",
    "schema_version",
    "data",
    "metadata",
    "known_at",
    "hash",
)


class Chains:
    """Follow every stream's versions and hash chain, fed one event at a time in log order.

    verify_events feeds it the stored log, import_events the lines of a file before it commits
    them: one reading of what an intact log is.
    """

    def __init__(self):
        self._heads: dict[str, tuple[int, str]] = {}  # stream -> (last version, its hash)

    @property
    def streams(self) -> int:
        return len(self._heads)

    def follow(
        self,
        *,
        stream_id: str,
        version: int,
        event_type: str,
        schema_version: int,
        data,
        metadata: dict,
        known_at: datetime,
        hash: str,
    ) -> list[str]:
        """Take the stream's next event; return what breaks there (nothing when it is intact).

        The chain goes on from the event's stored hash, so one altered event is one break.
        """
        breaks = []
        last_version, previous = self._heads.get(stream_id, (0, GENESIS))
        if version != last_version + 1:
            breaks.append(f"stream {stream_id} jumps from version {last_version} to {version}")
        expected = event_hash(
            previous=previous,
            stream_id=stream_id,
            version=version,
            event_type=event_type,
            schema_version=schema_version,
            data=data,
            metadata=metadata,
            known_at=known_at,
        )
        if expected != hash:
            breaks.append(
                f"stream {stream_id} version {version} ({event_type}) does not match its hash:"
                " the event was altered"
            )
        self._heads[stream_id] = (version, hash)
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
            position = row.pop("position")
            report.breaks.extend(f"position {position}: {b}" for b in chains.follow(**row))
            report.events += 1
        after = position
    report.streams = chains.streams
    return report
