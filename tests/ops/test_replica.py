"""Pinned reads go to a real streaming replica once it has replayed their position, and to the
primary before that: never behind their pin."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from .clusters import primary_and_replica, server_bin

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "pf_scale_replica"
BIN = server_bin()

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(BIN is None, reason="PostgreSQL's server programs (initdb, pg_ctl, "
                       "pg_basebackup) are not installed"),
]  # fmt: skip

# Run in a process of its own, whose `default` is the private primary and `replica` its standby.
SCENARIO = """
import json
import time

import django

django.setup()
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext

from portfolio.eventstore import replicas, store

call_command("migrate", verbosity=0)
replica = connections["replica"]


def wait_until(condition):
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, condition
        time.sleep(0.05)


def put(n):
    event = store.NewEvent("Test.Happened", {"n": n})
    store.append(
        stream_id="s-1", stream_type="Test", expected_version=None, events=[event], actor="t"
    )
    return store.head_position()


def read(pin):
    with CaptureQueriesContext(replica) as on_replica:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            with replicas.pinned(pin) as alias:
                events = store.read_all(after=0, limit=None)
                names = list(replicas.StoredEvent.objects.values_list("position", flat=True))
    return {
        "pin": pin,
        "alias": alias,
        "positions": [e.position for e in events],
        "orm_positions": sorted(names),
        "replica_queries": len(on_replica),
        "primary_queries": len(on_primary),
        "primary_sql": [q["sql"][:80] for q in on_primary.captured_queries],
    }


def replay(state):
    with replica.cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{state}()")
    with replica.cursor() as cursor:
        wanted = "paused" if state == "pause" else "not paused"
        check = "SELECT pg_get_wal_replay_pause_state() = %s"
        wait_until(lambda: cursor.execute(check, [wanted]) or cursor.fetchone()[0])


first = put(1)
wait_until(lambda: replicas.replayed_position() >= first)
steps = {"replayed": read(first)}
replay("pause")
second = put(2)
steps["lagging"] = read(second)
steps["lagging_older_pin"] = read(first)
replay("resume")
wait_until(lambda: replicas.replayed_position() >= second)
steps["caught_up"] = read(second)
print(json.dumps(steps))
"""


def run_scenario(primary_url: str, replica_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "portfolio.settings",
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URL": replica_url,
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", SCENARIO],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pinned_reads_go_to_the_replica_once_it_has_replayed_the_pin_and_never_behind_it():
    # given: a private primary and a hot standby streaming from it
    with primary_and_replica(BIN) as (primary, replica):
        with psycopg.connect(primary.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {DATABASE}")

        # when: events are appended on the primary and read pinned to their positions, with the
        # replica caught up, then paused behind the newest, then caught up again
        steps = run_scenario(primary.url(DATABASE), replica.url(DATABASE))

    # then: caught up, the replica serves the pinned read whole; the primary is not asked
    replayed = steps["replayed"]
    assert replayed["alias"] == "replica"
    assert replayed["positions"] == replayed["orm_positions"] == [replayed["pin"]]
    # how far it has replayed; the events, the names of people they refer to; the ORM read
    assert replayed["replica_queries"] == 4
    assert replayed["primary_queries"] == 0

    # then: behind the pin, the read goes to the primary and sees the newest event
    lagging = steps["lagging"]
    assert lagging["alias"] == "default"
    assert lagging["positions"] == lagging["orm_positions"] == [replayed["pin"], lagging["pin"]]
    assert lagging["replica_queries"] == 1  # only the question of how far it has replayed
    assert lagging["primary_queries"] == 3, lagging["primary_sql"]

    # then: an older pin the lagging replica does hold is still served by it
    older = steps["lagging_older_pin"]
    assert older["alias"] == "replica"
    assert older["positions"] == [replayed["pin"]]
    assert older["primary_queries"] == 0

    # then: caught up again, the replica serves the newest pin
    caught_up = steps["caught_up"]
    assert caught_up["alias"] == "replica"
    assert caught_up["positions"] == [replayed["pin"], lagging["pin"]]
    assert caught_up["primary_queries"] == 0
