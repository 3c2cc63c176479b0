"""Errors the event store raises; the API maps them to problem-details responses."""


class EventStoreError(Exception):
    """Base class of every event-store error."""


class ConcurrencyConflict(EventStoreError):
    """The stream moved on since the caller read it: nothing was appended."""

    def __init__(self, stream_id: str, expected: int | None, actual: int | None):
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual  # None when a racing writer was caught by the unique constraint
        where = f"is at version {actual}" if actual is not None else "has moved on"
        super().__init__(f"stream {stream_id} {where}, the command expected {expected}")


class InvalidEvent(EventStoreError):
    """An event that cannot be stored (not JSON, dated in the future, out of order)."""
