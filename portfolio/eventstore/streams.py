"""The event store's own projection: each stream's type, version and last position."""

from .models import Stream
from .projections import Projection, Rows


class StreamsProjection(Projection):
    name = "eventstore.streams"
    models = (Stream,)
    in_store = True  # migration 0004's eventstore_append upserts the row on PostgreSQL
    always_current = True

    def wants(self, event_type: str) -> bool:
        return True  # every event moves its stream's version

    def apply(self, event, rows: Rows) -> None:
        stream = rows.cached(Stream, event.stream_id)
        if stream is not None:  # a rebuild, or a second event of the stream in one append
            stream.version = event.version
            stream.last_position = event.position
            stream.known_at = event.known_at
            rows.put(stream)
            return
        # A merge, not get-then-put: an existing row keeps its type and created_at, and the
        # append needs no read of it.
        stream = Stream(
            stream_id=event.stream_id,
            stream_type=event.stream_type,
            created_at=event.known_at,
            version=event.version,
            last_position=event.position,
            known_at=event.known_at,
        )
        rows.merge(stream, ("version", "last_position", "known_at"))
