"""`manage.py rebuild_projections` in a fresh process rebuilds the snapshots too."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Appends an area's stream straight to the store: nothing here imports the domain modules.
APPEND = """
from portfolio.eventstore import store
events = [store.NewEvent("Area.Created", {"slug": "omraade", "name": "Område 0"})]
events += [store.NewEvent("Area.Renamed", {"name": f"Område {n}"}) for n in range(1, 10)]
store.append(stream_id="a-1", stream_type="Area", expected_version=0, events=events, actor="t")
"""


def manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def test_a_rebuild_in_a_fresh_process_writes_the_snapshots_again(tmp_path):
    # given: a stream of ten events, so one snapshot at version 10
    database = tmp_path / "rebuild.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", APPEND)
    snapshots = "SELECT id FROM eventstore_snapshot"
    assert sqlite3.connect(database).execute(snapshots).fetchall() == [("a-1/10",)]

    # when: an operator rebuilds every read model
    manage(env, "rebuild_projections")

    # then: the snapshot is there again (a process that never imported the domain used to
    # find no aggregate class for the stream and silently write none)
    assert sqlite3.connect(database).execute(snapshots).fetchall() == [("a-1/10",)]
