"""The event store's raw-SQL hot paths give exactly what the ORM would, on both databases."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from portfolio.eventstore import projections, store
from portfolio.eventstore.models import ProcessedCommand, ProjectionCheckpoint, StoredEvent

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def put(stream_id, expected, *payloads, stream_type="Test", **kwargs):
    return store.append(
        stream_id=stream_id,
        stream_type=stream_type,
        expected_version=expected,
        events=[store.NewEvent("Test.Happened", p) for p in payloads],
        actor="tester",
        **kwargs,
    )


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
    via_orm = [store.decode(row) for row in StoredEvent.objects.order_by("position")]

    # then: same values, same aware datetimes, same time zone
    assert store.read_all() == via_orm
    assert list(store.iter_all(batch_size=2)) == via_orm
    assert store.read_stream("s-2") == via_orm[1:]
    assert store.read_all(stream_types=["Other"]) == via_orm[1:]
    assert store.read_stream("s-1", known_by=past) == via_orm[:1]
    assert store.read_stream("s-1", known_by=past - timedelta(seconds=1)) == []
    assert [e.known_at.utcoffset() for e in store.read_all()] == [timedelta(0)] * 3


def test_append_answers_with_what_is_then_read_back():
    result = put("s-1", 0, {"n": 1}, {"n": 2}, command_id="cmd-1")

    stored = store.read_stream("s-1")

    assert result.positions == tuple(e.position for e in stored)
    done = ProcessedCommand.objects.get(command_id="cmd-1")
    assert (done.stream_id, done.version, done.positions) == ("s-1", 2, list(result.positions))


def test_an_append_larger_than_one_insert_statement_keeps_versions_and_chain(monkeypatch, capsys):
    # given: a chunk size small enough that one append needs three INSERT statements
    monkeypatch.setattr(store, "_INSERT_CHUNK", 3)

    # when
    result = put("s-1", 0, *({"n": n} for n in range(7)))

    # then
    events = store.read_stream("s-1")
    assert [e.version for e in events] == list(range(1, 8))
    assert [e.data["n"] for e in events] == list(range(7))
    assert result.positions == tuple(e.position for e in events)
    assert sorted(result.positions) == list(result.positions)
    call_command("verify_events")
    assert "all hash chains and versions intact" in capsys.readouterr().out


@pytest.mark.postgres
def test_a_large_append_goes_through_copy_and_reads_back_the_same(monkeypatch, capsys):
    # given
    monkeypatch.setattr(store, "_COPY_FROM", 5)
    put("s-0", 0, {"n": -1})
    copied = []
    real_copy = store._copy_events
    monkeypatch.setattr(
        store, "_copy_events", lambda cursor, rows: copied.append(rows) or real_copy(cursor, rows)
    )

    # when
    result = put("s-1", 0, *({"n": n, "text": "æøå\ttab\nline"} for n in range(6)))
    put("s-1", 6, {"n": 6})

    # then: COPY wrote the six, the next append follows them, and nothing is lost in transit
    assert len(copied) == 1
    events = store.read_stream("s-1")
    assert [e.data["n"] for e in events] == list(range(7))
    assert events[0].data["text"] == "æøå\ttab\nline"
    assert result.positions == tuple(e.position for e in events[:6])
    assert events[6].position > events[5].position > store.read_stream("s-0")[0].position
    assert events == [store.decode(r) for r in StoredEvent.objects.filter(stream_id="s-1")]
    call_command("verify_events")
    assert "all hash chains and versions intact" in capsys.readouterr().out


@pytest.mark.parametrize("copy_from", [1000, 1], ids=["insert", "copy"])
def test_a_stale_head_is_caught_by_the_unique_constraint_as_a_conflict(
    settings, monkeypatch, copy_from
):
    # given: the lock is off and the head read is stale, as when two writers race
    settings.EVENTSTORE_SERIALIZE_APPENDS = False
    monkeypatch.setattr(store, "_COPY_FROM", copy_from)
    put("s-1", 0, {"n": 1}, {"n": 2})
    monkeypatch.setattr(
        store, "_command_and_head", lambda cursor, c, s: (None, 0, store.GENESIS, None)
    )

    # when / then
    with pytest.raises(store.ConcurrencyConflict):
        put("s-1", None, {"n": "lost?"}, {"n": "lost?"})
    assert [e.data["n"] for e in store.read_all()] == [1, 2]


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
from portfolio.eventstore.models import StoredEvent, Stream

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
assert events == [store.decode(r) for r in StoredEvent.objects.order_by("position")]
assert [e.data["n"] for e in store.read_stream("s-1", known_by=past)] == [1]
assert StoredEvent.objects.filter(known_at__lte=past).count() == 1
assert Stream.objects.get().version == 2
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
