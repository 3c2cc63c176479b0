"""Check the log: every stream's versions run 1, 2, 3 ... and every hash chains to the last."""

from dataclasses import dataclass, field

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
    heads: dict[str, tuple[int, str]] = {}
    after = 0
    while True:
        rows = list(
            StoredEvent.objects.filter(position__gt=after)
            .order_by("position")
            .values_list(*FIELDS)[:batch_size]
        )
        if not rows:
            break
        for position, stream_id, version, event_type, schema, data, meta, known_at, stored in rows:
            last_version, previous = heads.get(stream_id, (0, GENESIS))
            if version != last_version + 1:
                report.breaks.append(
                    f"position {position}: stream {stream_id} jumps from version "
                    f"{last_version} to {version}"
                )
            expected = event_hash(
                previous=previous,
                stream_id=stream_id,
                version=version,
                event_type=event_type,
                schema_version=schema,
                data=data,
                metadata=meta,
                known_at=known_at,
            )
            if expected != stored:
                report.breaks.append(
                    f"position {position}: stream {stream_id} version {version} "
                    f"({event_type}) does not match its hash: the event was altered"
                )
            heads[stream_id] = (version, stored)
            report.events += 1
        after = rows[-1][0]
    report.streams = len(heads)
    return report
