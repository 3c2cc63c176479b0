"""Migration 0011 re-hashes the log from its streams' chains into one chain, and back, and
refuses a log whose hashes fail the formula they were stored with."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from portfolio.eventstore.models import StoredEvent

from .appending import put

migration = importlib.import_module("portfolio.eventstore.migrations.0011_global_hash_chain")
# Its append function was replaced later: undone first and made again last.
later = importlib.import_module("portfolio.eventstore.migrations.0015_append_confirms_people")

pytestmark = pytest.mark.django_db


class Editor:
    """What the migration's functions use of a schema editor, inside the test's transaction."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def hashes() -> dict[int, str]:
    return dict(StoredEvent.objects.values_list("position", "hash"))


def test_the_log_re_hashed_into_streams_chains_and_back_has_its_hashes_again(capsys):
    # given: interleaved streams, in the log's chain
    put("s-1", 0, {"n": 1})
    put("s-2", 0, {"text": "æøå"}, {"n": 2**70})
    put("s-1", 1, {"n": 2})
    chained = hashes()

    # when: back to each stream's own chain, then forwards again
    later.backwards(None, Editor())
    migration.backwards(None, Editor())
    per_stream = hashes()
    migration.forwards(None, Editor())
    later.forwards(None, Editor())

    # then
    assert per_stream.keys() == chained.keys()
    assert all(per_stream[p] != chained[p] for p in chained)
    assert hashes() == chained
    last = max(chained)
    assert capsys.readouterr().out.splitlines()[-1].strip() == (
        f"re-hashed 4 events (StreamChains -> LogChain); the log's head hash was"
        f" {per_stream[last]}, is {chained[last]}"
    )
    call_command("verify_events")


def test_the_re_hash_refuses_a_log_its_old_formula_does_not_hold(capsys):
    # given: a log whose hashes are not the streams' chains (here: re-hashed already)
    put("s-1", 0, {"n": 1})
    first = put("s-2", 0, {"n": 1}).positions[0]
    before = hashes()

    # when / then
    with pytest.raises(RuntimeError, match=f"position {first - 1} .* not re-hashed"):
        migration.forwards(None, Editor())
    assert hashes() == before
    assert "re-hashed" not in capsys.readouterr().out
