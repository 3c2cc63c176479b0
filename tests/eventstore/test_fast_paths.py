"""The event store's raw-SQL hot paths give exactly what the ORM would, on both databases."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from portfolio.eventstore import projections, store
from portfolio.eventstore.models import (
    ProcessedCommand,
    ProjectionCheckpoint,
    StoredEvent,
)

from .appending import put

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_reads_equal_the_orm_decoding_of_every_row():
    # given: a back-dated stream, Danish text, nested payloads, and a command id
    past = timezone.now() - timedelta(days=30)
    put(
        "s-1",
        0,
        {"text": "Kommuneområdet æøå", "nested": {"list": [1, "to", None, True]}},
        known_at=past,
    )
    put("s-2", 0, {"n": 1}, {"n": 2}, stream_type="Other", command_id="cmd-1")

    # when
    via_orm = store.decode(StoredEvent.objects.order_by("position"))

    # then: same values, same aware datetimes, same time zone
    assert store.read_all() == via_orm
    assert list(store.iter_all(batch_size=2)) == via_orm
    assert store.read_stream("s-2") == via_orm[1:]
    assert store.read_all(stream_types=["Other"]) == via_orm[1:]
    assert store.read_stream("s-1", known_by=past) == via_orm[:1]
    assert store.read_stream("s-1", known_by=past - timedelta(seconds=1)) == []
    assert [e.known_at.utcoffset() for e in store.read_all()] == [timedelta(0)] * 3
    positions = [e.position for e in via_orm]
    assert store.read_positions([positions[2], positions[0], 10**9]) == via_orm[::2]


@pytest.mark.postgres
def test_replay_decodes_rows_chunk_by_chunk_and_lets_the_caller_query_between(monkeypatch):
    # given: rows that arrive in chunks of 2 within ranges of 5
    monkeypatch.setattr(store, "_CHUNK", 2)
    put("s-1", 0, *({"n": n} for n in range(7)))
    put("s-2", 0, {"text": "æøå"})
    via_orm = store.decode(StoredEvent.objects.order_by("position"))

    # when: the caller queries the database while it replays, as a rebuild does
    seen = []
    for event in store.iter_all(batch_size=5):
        seen.append((event, StoredEvent.objects.filter(position__lte=event.position).count()))

    # then
    assert [event for event, _ in seen] == via_orm
    assert [count for _, count in seen] == list(range(1, 9))


def test_append_answers_with_what_is_then_read_back():
    result = put("s-1", 0, {"n": 1}, {"n": 2}, command_id="cmd-1")

    stored = store.read_stream("s-1")

    assert result.positions == tuple(e.position for e in stored)
    done = ProcessedCommand.objects.get(command_id="cmd-1")
    assert (done.stream_id, done.version, done.positions) == ("s-1", 2, list(result.positions))


def test_a_large_append_keeps_versions_positions_and_chain(capsys):
    # given: a stream that has one event already
    put("s-0", 0, {"n": -1})
    put("s-1", 0, {"n": -1})

    # when: an append larger than SQLite's INSERT chunk, with text that needs escaping
    result = put("s-1", 1, *({"n": n, "text": "æøå\ttab\nline"} for n in range(1200)))

    # then: versions and positions run on, nothing is lost in transit, the chain holds
    events = store.read_stream("s-1")
    assert [e.version for e in events] == list(range(1, 1202))
    assert [e.data["n"] for e in events] == list(range(-1, 1200))
    assert events[1].data["text"] == "æøå\ttab\nline"
    assert result.positions == tuple(e.position for e in events[1:])
    assert sorted(result.positions) == list(result.positions)
    assert events[1].position > store.read_stream("s-0")[0].position
    assert events == store.decode(StoredEvent.objects.filter(stream_id="s-1"))
    call_command("verify_events")
    assert "the hash chain and every stream's versions intact" in capsys.readouterr().out


@pytest.mark.postgres
def test_an_append_is_one_statement(django_assert_num_queries):
    # given: a stream type no projection handles, and an acting user met before (the person
    # register's reference is remembered; the append confirms it)
    put("s-1", 0, {"n": 1})

    # when / then: lock, people check, version checks, chain, insert and command in one go
    with django_assert_num_queries(1):
        put("s-1", 1, {"n": 2}, command_id="cmd-2")
    assert ProcessedCommand.objects.get(command_id="cmd-2").positions == [
        store.read_stream("s-1")[1].position
    ]
    assert not ProjectionCheckpoint.objects.exists()


@pytest.mark.postgres
def test_the_append_statement_is_prepared_by_the_server_once_per_connection():
    # Django's connections have no prepare threshold, which silently turns off prepare=True:
    # the statement was sent and planned afresh every time until this was caught.
    put("s-1", 0, {"n": 1})
    put("s-1", 1, {"n": 2})
    put("s-1", 2, {"n": 3}, {"n": 4})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%eventstore_append(%"],
        )
        assert cursor.fetchone() == (1,)


def test_checkpoints_are_created_and_only_move_forward():
    projections._advance_all({"a": 5, "b": 3})
    projections._advance_all({"a": 4, "b": 9})

    checkpoints = dict(ProjectionCheckpoint.objects.values_list("name", "position"))
    assert checkpoints == {"a": 5, "b": 9}


SQLITE_SCRIPT = """
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from portfolio.eventstore import store
from portfolio.eventstore.models import StoredEvent

past = timezone.now() - timedelta(days=3)
def put(expected, n, **kw):
    return store.append(stream_id="s-1", stream_type="Test", expected_version=expected,
                        events=[store.NewEvent("Test.Happened", {"n": n, "t": "æøå"})],
                        actor="tester", **kw)
put(0, 1, known_at=past, command_id="c-1")
again = put(0, 1, known_at=past, command_id="c-1")
assert again.duplicate, again
put(1, 2)
try:
    put(1, 3)
    raise AssertionError("a stale version was accepted")
except store.ConcurrencyConflict:
    pass
events = store.read_stream("s-1")
assert [e.data["n"] for e in events] == [1, 2], events
assert events == store.decode(StoredEvent.objects.order_by("position"))
assert [e.data["n"] for e in store.read_stream("s-1", known_by=past)] == [1]
assert StoredEvent.objects.filter(known_at__lte=past).count() == 1
big = store.append(stream_id="s-2", stream_type="Test", expected_version=0, actor="tester",
                   events=[store.NewEvent("Test.Happened", {"n": n}) for n in range(2500)])
assert [e.version for e in store.read_stream("s-2")] == list(range(1, 2501))
assert big.positions == tuple(e.position for e in store.read_stream("s-2"))
call_command("verify_events")
print("sqlite ok")
"""


def test_append_and_read_on_sqlite(tmp_path):
    # given: the zero-setup database, as `make run` makes it
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'zero.sqlite3'}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    # when
    run = subprocess.run(  # noqa: S603 (our own script, no user input)
        [sys.executable, "manage.py", "shell", "-c", SQLITE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    # then
    assert run.returncode == 0, run.stderr
    assert "sqlite ok" in run.stdout


def test_batch_reads_share_nothing_wrong_and_read_integers_beyond_64_bits():
    # given: one append of two events (shared metadata), another append, and a huge integer
    put("s-1", 0, {"n": 1}, {"n": 2}, command_id="cmd-1")
    put("s-2", 0, {"n": 2**70}, command_id="cmd-2")

    # when
    events = store.read_all()

    # then: each event carries its own append's metadata; the integer comes back whole
    assert [e.metadata["command_id"] for e in events] == ["cmd-1", "cmd-1", "cmd-2"]
    assert events[2].data == {"n": 2**70}
    assert events == store.decode(StoredEvent.objects.order_by("position"))
