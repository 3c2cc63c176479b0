"""Stored events are immutable in the database, tampering is detected, read models rebuild."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from portfolio.eventstore import projections, store
from portfolio.eventstore.models import ProjectionCheckpoint
from tests.database import truncate_allowed

from .appending import put
from .heads import head

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE eventstore_event SET data = '{\"n\": 99}'",
        "DELETE FROM eventstore_event",
        "TRUNCATE eventstore_event",
        "TRUNCATE eventstore_event, eventstore_command CASCADE",
    ],
)
def test_postgres_refuses_update_delete_and_truncate_of_stored_events(statement):
    put("s-1", 0, {"n": 1})

    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)

    assert [e.data for e in store.read_stream("s-1")] == [{"n": 1}]


def test_sqlite_refuses_update_and_delete_of_stored_events(tmp_path):
    # given: the zero-setup database, migrated by manage.py as `make run` does
    database = tmp_path / "zero-setup.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    db = sqlite3.connect(database)
    db.execute(
        "INSERT INTO eventstore_event (stream_id, stream_type, version, event_type,"
        " schema_version, data, metadata, recorded_at, known_at, hash)"
        " VALUES ('s', 'T', 1, 'T.Happened', 1, '{}', '{}', '2026-01-01', '2026-01-01', 'x')"
    )
    db.commit()

    # when / then
    for statement in ("UPDATE eventstore_event SET data = '[]'", "DELETE FROM eventstore_event"):
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            db.execute(statement)
    assert db.execute("SELECT data FROM eventstore_event").fetchall() == [("{}",)]


@pytest.mark.postgres
@pytest.mark.django_db
def test_verify_events_passes_on_a_clean_log_and_reports_a_tampered_payload(capsys):
    put("s-1", 0, {"n": 1}, {"n": 2}, {"n": 3})
    put("s-2", 0, {"n": 1})
    call_command("verify_events")
    assert "4 events in 2 streams checked" in capsys.readouterr().out

    # when: someone with superuser rights bypasses the trigger and edits a payload
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE eventstore_event SET data = '{\"n\": 20}'"
            " WHERE stream_id = 's-1' AND version = 2"
        )
        cursor.execute("SET LOCAL session_replication_role = origin")

    # then
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_events")
    assert "stream s-1 version 2" in capsys.readouterr().err


def read_models():
    return {
        p.name: [sorted(model.objects.values_list(), key=str) for model in p.models]
        for p in projections.registered()
    }


@pytest.mark.django_db
def test_rebuild_gives_exactly_the_rows_incremental_projection_gave(stream_heads):
    put("s-1", 0, {"n": 1}, {"n": 2})
    put("s-2", 0, {"n": 1})
    last = put("s-1", 2, {"n": 3})
    incremental = read_models()
    assert head("s-1").version == 3
    assert ProjectionCheckpoint.objects.get(name=stream_heads.name).position == last.positions[-1]

    call_command("rebuild_projections")

    assert read_models() == incremental


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_gives_the_same_log_and_read_models(
    tmp_path, capsys
):
    # given
    put("s-1", 0, {"n": 1, "text": "Kommuneområdet æøå"}, {"n": 2})
    put("s-2", 0, {"n": 1})
    store.append(
        stream_id="s-2",
        stream_type="Test",
        expected_version=1,
        events=[store.NewEvent("Test.Happened", {"n": 2})],
        actor="tester",
        command_id="cmd-42",
    )
    before_models = read_models()
    before_log = [(e.position, e.stream_id, e.version, e.data) for e in store.read_all()]
    dump = tmp_path / "events.jsonl"
    call_command("export_events", str(dump))
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5, "four events, then the person register (the acting user)"
    assert "tester" not in "".join(lines[:4]) and '"name": "tester"' in lines[4]

    # when: an empty database receives the export
    with truncate_allowed(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE eventstore_event, eventstore_checkpoint, eventstore_command")
    call_command("import_events", str(dump))

    # then
    assert [(e.position, e.stream_id, e.version, e.data) for e in store.read_all()] == before_log
    assert {e.metadata["actor"] for e in store.read_all()} == {"tester"}
    assert read_models() == before_models
    call_command("verify_events")
    assert "the hash chain and every stream's versions intact" in capsys.readouterr().out
    again = store.append(
        stream_id="s-2",
        stream_type="Test",
        expected_version=1,
        events=[store.NewEvent("Test.Happened", {"n": 2})],
        actor="tester",
        command_id="cmd-42",
    )
    assert again.duplicate, "command ids survive the move"
    assert put("s-3", 0, {"n": 1}).positions[0] > before_log[-1][0]

    # and importing again refuses, changing nothing
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_events", str(dump))


@pytest.mark.django_db
def test_rebuild_projections_says_how_far_through_the_log_it_is(stream_heads, monkeypatch):
    from portfolio.eventstore.management.commands import rebuild_projections

    monkeypatch.setattr(rebuild_projections, "PROGRESS_EVERY", 2)
    put("s-1", 0, *({"n": n} for n in range(5)))
    out, err = io.StringIO(), io.StringIO()

    call_command("rebuild_projections", stdout=out, stderr=err)

    last = store.head_position()
    lines = err.getvalue().splitlines()
    assert [line.split(",")[0].strip() for line in lines] == ["2 events", "4 events"]
    assert f"of {last:,} (" in lines[-1]
    assert "from 5 events" in out.getvalue()
    assert head("s-1").version == 5
