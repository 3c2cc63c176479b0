"""Migration 0014 moves the names in a log written before the person register into it, and
re-hashes the log: the log then verifies, reads the same, and heads signed before still hold."""

import importlib
import io

import pytest
from django.core.management import call_command

from portfolio import commands, roles
from portfolio.eventstore import people, store
from portfolio.eventstore.heads import record_head
from portfolio.eventstore.models import Person, StoredEvent
from portfolio.eventstore.witnesses import log_break
from tests import factories

from .test_rehash_migration import Editor

migration = importlib.import_module("portfolio.eventstore.migrations.0014_people_out_of_the_log")

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_log(monkeypatch):
    """A log written as before 0014: names in the events, no register entries."""
    monkeypatch.setattr(
        people, "references", lambda events, meta, **_: ([d for _, d in events], meta, {}, {})
    )
    manager = factories.user(roles.PROJECT_MANAGERS, username="old-manager")
    project_id = factories.project(manager)
    commands.project_update(
        project_id=project_id,
        changes={"project_leader": "Asger Ældre", "steering_group": ["Bo B", "Cai C"]},
        expected_version=None,
        actor=manager,
    )
    monkeypatch.undo()
    return project_id


def test_the_names_move_into_the_register_and_the_log_verifies(old_log, capsys, signing_key):
    before = store.read_stream(old_log)
    head = record_head()  # signed over the old hash
    stored = StoredEvent.objects.filter(stream_id=old_log).order_by("version")
    assert "Asger Ældre" in str(list(stored.values_list("data", flat=True)))

    migration.forwards(None, Editor())

    # then no event holds a name, the register holds them, and readers see what they saw
    texts = str(list(StoredEvent.objects.values_list("data", "metadata")))
    assert "Asger" not in texts and "old-manager" not in texts and "Bo B" not in texts
    assert {"Asger Ældre", "Bo B", "Cai C", "old-manager"} <= set(
        Person.objects.values_list("name", flat=True)
    )
    assert store.read_stream(old_log) == before
    call_command("verify_events", stdout=io.StringIO())
    # and the head signed before the migration still holds for the re-hashed log
    assert log_break(head) is None
    assert "people's names into the person register" in capsys.readouterr().out


def test_a_log_that_fails_its_hashes_is_not_rewritten(old_log):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE eventstore_event DISABLE TRIGGER eventstore_event_immutable")
        cursor.execute(
            'UPDATE eventstore_event SET data = \'{"project_leader": "Falsk"}\''
            " WHERE event_type = 'Project.LeaderNamed'"
        )
        cursor.execute("ALTER TABLE eventstore_event ENABLE TRIGGER eventstore_event_immutable")
    before = list(StoredEvent.objects.values_list("position", "data", "hash"))

    with pytest.raises(RuntimeError, match="does not match its hash"):
        migration.forwards(None, Editor())
    assert list(StoredEvent.objects.values_list("position", "data", "hash")) == before
    assert not Person.objects.exists()
