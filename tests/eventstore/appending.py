"""The append the event store's tests (and the feed's) make: events of one type on one stream."""

from portfolio.eventstore import store


def put(
    stream_id: str,
    expected: int | None,
    *payloads: dict,
    stream_type: str = "Test",
    event_type: str = "Test.Happened",
    actor: str = "tester",
    **options,
) -> store.AppendResult:
    """Append one `event_type` event per payload to a stream expected at `expected`."""
    return store.append(
        stream_id=stream_id,
        stream_type=stream_type,
        expected_version=expected,
        events=[store.NewEvent(event_type, payload) for payload in payloads],
        actor=actor,
        **options,
    )
