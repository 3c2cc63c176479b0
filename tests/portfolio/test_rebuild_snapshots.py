"""`manage.py rebuild_projections` in a fresh process writes the project snapshots it misses
itself, before it returns: no worker needed."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Appends a project's stream straight to the store: nothing here imports the domain modules.
APPEND = """
from portfolio.eventstore import store
from portfolio.project_snapshots import EVERY
events = [store.NewEvent("Area.Created", {"slug": "omraade", "name": "Område"})]
store.append(stream_id="a-1", stream_type="Area", expected_version=0, events=events, actor="t")
created = {"slug": "projekt", "title": "Projekt 0", "area_id": "a-1", "managers": []}
events = [store.NewEvent("Project.Created", created)]
events += [store.NewEvent("Project.Retitled", {"title": f"Projekt {n}"}) for n in range(1, EVERY)]
store.append(stream_id="p-1", stream_type="Project", expected_version=0, events=events, actor="t")
"""


def manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def test_a_rebuild_in_a_fresh_process_writes_the_snapshots_missing(tmp_path):
    # given: a project of EVERY events, so one project snapshot, which is then dropped
    database = tmp_path / "rebuild.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", APPEND)
    snapshots = "SELECT id, versions FROM portfolio_projectsnapshot"
    written = sqlite3.connect(database).execute(snapshots).fetchall()
    assert [row[0] for row in written] == ["p-1/50"]
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM portfolio_projectsnapshot")

    # when: an operator rebuilds every read model
    done = manage(env, "rebuild_projections")

    # then: the snapshot is there again, by the same code, before the command returned (a
    # process that never imported the domain used to find no aggregate class for the stream
    # and silently write none)
    assert sqlite3.connect(database).execute(snapshots).fetchall() == written
    assert "snapshots of 1 of 1 projects: 1 written" in done.stderr.decode()
