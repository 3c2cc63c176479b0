"""The event store's own projection: each stream's type, version and last position."""

from .models import Stream
from .projections import Projection, Rows


class StreamsProjection(Projection):
    name = "eventstore.streams"
    models = (Stream,)

    def wants(self, event_type: str) -> bool:
        return True  # every event moves its stream's version

    def apply(self, event, rows: Rows) -> None:
        stream = rows.get(Stream, event.stream_id)
        if stream is None:
            stream = Stream(
                stream_id=event.stream_id,
                stream_type=event.stream_type,
                created_at=event.known_at,
            )
        stream.version = event.version
        stream.last_position = event.position
        stream.known_at = event.known_at
        rows.put(stream)
