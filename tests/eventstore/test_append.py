"""Appending and reading events: versions, conflicts, idempotency, validation, upcasting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portfolio.eventstore import store, upcasting
from portfolio.eventstore.errors import ConcurrencyConflict, InvalidEvent
from portfolio.eventstore.models import StoredEvent

from .appending import put

pytestmark = pytest.mark.django_db


def test_append_numbers_versions_and_reads_back_in_order():
    # given / when
    first = put("s-1", 0, {"n": 1}, {"n": 2})
    second = put("s-1", 2, {"n": 3})

    # then
    assert (first.version, second.version) == (2, 3)
    events = store.read_stream("s-1")
    assert [e.version for e in events] == [1, 2, 3]
    assert [e.data["n"] for e in events] == [1, 2, 3]
    assert events[0].metadata["actor"] == "tester"
    assert second.positions[0] > first.positions[-1]


def test_stale_expected_version_is_a_conflict_and_appends_nothing():
    put("s-1", 0, {"n": 1})

    with pytest.raises(ConcurrencyConflict) as conflict:
        put("s-1", 0, {"n": "overwrite?"})

    assert (conflict.value.expected, conflict.value.actual) == (0, 1)
    assert [e.data for e in store.read_stream("s-1")] == [{"n": 1}]


@pytest.mark.parametrize("events", [1, 2], ids=["one event", "two events"])
@pytest.mark.parametrize("expected", [0, None], ids=["expected version", "no version check"])
def test_same_command_id_appends_once_and_answers_the_same(events, expected):
    payloads = [{"n": n} for n in range(events)]
    first = put("s-1", expected, *payloads, command_id="cmd-1")
    again = put("s-1", expected, *payloads, command_id="cmd-1")

    assert again.duplicate and not first.duplicate
    assert (again.version, again.positions) == (first.version, first.positions)
    assert StoredEvent.objects.count() == events


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"x": 1.5}, "float"),
        ({"x": "a\x00b"}, "NUL"),
        ({"x": {1, 2}}, "not a JSON value"),
        ({"x": {3: "a"}}, "key"),
        ({"a": [1, {"b": 1.5}]}, r"data\.a\[1\]\.b is a float"),
    ],
)
def test_non_json_payload_is_rejected_and_nothing_stored(payload, message):
    with pytest.raises(InvalidEvent, match=message):
        put("s-1", 0, payload)
    assert not StoredEvent.objects.exists()


def test_non_json_metadata_is_rejected_naming_it_and_nothing_stored():
    with pytest.raises(InvalidEvent, match=r"metadata\.source\.weight is a float"):
        put("s-1", 0, {"n": 1}, metadata={"source": {"weight": 0.5}})
    assert not StoredEvent.objects.exists()


def test_known_at_may_back_date_but_never_go_backwards_or_into_the_future():
    past = timezone.now() - timedelta(days=200)
    put("s-1", 0, {"n": 1}, known_at=past)
    event = store.read_stream("s-1")[0]
    assert event.known_at == past
    assert event.recorded_at > past
    assert "imported_at" in event.metadata

    with pytest.raises(InvalidEvent, match="before the stream's last event"):
        put("s-1", 1, {"n": 2}, known_at=past - timedelta(days=1))
    with pytest.raises(InvalidEvent, match="future"):
        put("s-1", 1, {"n": 2}, known_at=timezone.now() + timedelta(days=1))
    assert len(store.read_stream("s-1")) == 1


def test_read_stream_as_of_a_time_and_a_position():
    early = timezone.now() - timedelta(days=10)
    first = put("s-1", 0, {"n": 1}, known_at=early)
    put("s-1", 1, {"n": 2})

    assert [e.data["n"] for e in store.read_stream("s-1", known_by=early)] == [1]
    assert [e.data["n"] for e in store.read_stream("s-1", until_position=first.positions[0])] == [1]
    assert len(store.read_stream("s-1")) == 2


def test_old_schema_versions_are_upcast_on_read_and_stored_unchanged(monkeypatch):
    monkeypatch.setattr(upcasting, "_upcasters", {})
    monkeypatch.setattr(upcasting, "_current", {})
    store.append(
        stream_id="s-1",
        stream_type="Test",
        expected_version=0,
        events=[store.NewEvent("Test.Renamed", {"name": "Ada Lovelace"}, schema_version=1)],
        actor="tester",
    )

    @upcasting.upcaster("Test.Renamed", from_version=1)
    def split_name(data):
        first, _, last = data.pop("name").partition(" ")
        return {**data, "first": first, "last": last}

    event = store.read_stream("s-1")[0]
    assert event.schema_version == 2
    assert event.data == {"first": "Ada", "last": "Lovelace"}
    assert StoredEvent.objects.get().data == {"name": "Ada Lovelace"}
    assert upcasting.current_version("Test.Renamed") == 2


def test_read_all_pages_by_position():
    for i in range(5):
        put(f"s-{i}", 0, {"n": i})

    first = store.read_all(after=0, limit=3)
    rest = store.read_all(after=first[-1].position, limit=3)

    assert [e.data["n"] for e in first + rest] == [0, 1, 2, 3, 4]
    assert store.head_position() == rest[-1].position
