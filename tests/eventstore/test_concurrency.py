"""Concurrent writers never lose an update, and a tailing reader never misses or repeats one."""

import multiprocessing
import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction

from portfolio.eventstore import projections, store
from portfolio.eventstore.errors import ConcurrencyConflict
from portfolio.eventstore.models import StoredEvent

from .appending import put
from .writers import write

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_writers_racing_on_one_version_one_wins_one_conflicts():
    # given: a stream at version 1, and two writers who both read version 1
    put("race", 0, {"by": "setup"})
    barrier = threading.Barrier(2)
    outcomes = {}

    def writer(name):
        try:
            barrier.wait()
            with transaction.atomic():
                put("race", 1, {"by": name})
                time.sleep(0.2)  # hold the transaction open so the other writer overlaps
            outcomes[name] = "won"
        except ConcurrencyConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=writer, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then: exactly one wrote version 2, the other was told, nothing was overwritten
    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = next(n for n, o in outcomes.items() if o == "won")
    assert [e.data["by"] for e in store.read_stream("race")] == ["setup", winner]


def test_the_unique_index_refuses_a_second_event_at_one_version_written_around_the_store():
    # given: a stream at version 1
    put("s-1", 0, {"n": 1})

    # when: a writer that skips the store's lock and checks inserts version 1 again
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO eventstore_event (stream_id, stream_type, version, event_type,"
            " schema_version, data, metadata, recorded_at, known_at, hash)"
            " VALUES ('s-1', 'Test', 1, 'Test.Happened', 1, '{}', '{}', now(), now(), %s)",
            ["0" * 64],
        )

    # then
    assert [e.data for e in store.read_stream("s-1")] == [{"n": 1}]


def test_a_command_sent_twice_at_once_appends_once_and_answers_alike():
    # given: the first copy holds the log's lock while the second starts; the second's
    # statement reads the stream as it was before the first committed
    barrier = threading.Barrier(2)
    appended = threading.Event()
    answers = {}

    def append():
        return store.append(
            stream_id="twice",
            stream_type="Test",
            expected_version=0,
            events=[store.NewEvent("Test.Happened", {"n": 1})],
            actor="tester",
            command_id="cmd-twice",
        )

    def send(name, hold):
        try:
            barrier.wait()
            if hold:
                with transaction.atomic():
                    answers[name] = append()
                    appended.set()
                    time.sleep(0.3)  # the other copy starts now, and waits for the lock
            else:
                assert appended.wait(timeout=30)
                answers[name] = append()
        finally:
            connections.close_all()

    # when
    threads = [
        threading.Thread(target=send, args=("first", True)),
        threading.Thread(target=send, args=("second", False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then: one event, and the second copy got the first one's answer
    assert not answers["first"].duplicate and answers["second"].duplicate
    assert answers["first"].positions == answers["second"].positions
    assert [e.data for e in store.read_stream("twice")] == [{"n": 1}]


def tail(stop: threading.Event) -> list[store.RecordedEvent]:
    """Follow the log like a feed consumer: position > last seen, until told to stop."""
    seen, last = [], 0
    while True:
        finished = stop.is_set()
        batch = store.read_all(after=last, limit=200)
        seen.extend(batch)
        if batch:
            last = batch[-1].position
        elif finished:
            return seen
        else:
            time.sleep(0.001)


def test_tailing_reader_sees_every_event_once_with_four_writer_processes():
    # given: four writer processes, 1,000 events in all, and a reader tailing by position
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    writers, per_writer = 4, 250
    stop = threading.Event()
    seen = []

    def read():
        try:
            seen.extend(tail(stop))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()

    # when
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        written = pool.starmap(write, [(url, w, per_writer, 5) for w in range(writers)])
    stop.set()
    reader.join()

    # then: every committed event exactly once, and each stream's versions in order
    positions = [e.position for e in seen]
    assert len(positions) == len(set(positions)), "the reader saw an event twice"
    committed = set(StoredEvent.objects.values_list("position", flat=True))
    assert len(committed) == writers * per_writer
    assert set(positions) == committed == {p for w in written for p in w}
    last_version = {}
    for event in seen:
        assert event.version == last_version.get(event.stream_id, 0) + 1
        last_version[event.stream_id] = event.version


def test_an_append_waits_for_the_commit_of_the_one_before_so_a_reader_skips_nothing(
    monkeypatch,
):
    # given: writer A appends first (lower position) and commits late; writer B appends after.
    # No projections: their checkpoint row would serialize the two writers by accident.
    monkeypatch.setattr(projections, "_registry", {})
    a_inserted, a_may_commit = threading.Event(), threading.Event()

    def writer_a():
        try:
            with transaction.atomic():
                put("a", 0, {"by": "a"})
                a_inserted.set()
                a_may_commit.wait(5)
        finally:
            connections.close_all()

    def writer_b():
        try:
            put("b", 0, {"by": "b"})
        finally:
            connections.close_all()

    a = threading.Thread(target=writer_a)
    a.start()
    assert a_inserted.wait(5)
    b = threading.Thread(target=writer_b)
    b.start()
    b.join(0.5)

    # when: a reader tails while A is still open, then again after A commits
    b_waited = b.is_alive()
    first = store.read_all(after=0)
    last = first[-1].position if first else 0
    a_may_commit.set()
    a.join()
    b.join()
    second = store.read_all(after=last)

    # then: B waited for A's commit (the log's lock), and the reader saw both, in order
    assert b_waited
    assert first == []
    assert [e.stream_id for e in first + second] == ["a", "b"]
