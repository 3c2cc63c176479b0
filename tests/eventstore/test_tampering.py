"""Tampering drills: the tables' owner, past the triggers, edits or deletes stored events, and
verify_events names the first break.

A drill that cuts events off the log's very end leaves no later event to break the chain: the
signed heads find that one (test_signed_heads.py, test_a_deleted_tail_passes_the_chains_but_not_
the_heads).
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from milestones.commands import milestone_plan
from portfolio import roles
from portfolio.eventstore.hashing import GENESIS, event_hash
from portfolio.eventstore.heads import record_head
from portfolio.eventstore.models import StoredEvent, StoredHead
from risks.commands import risk_assess, risk_raise
from tests import factories

from .appending import put

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def as_owner(statement: str, params=()) -> None:
    """Run `statement` as only the tables' owner can: with the log's triggers disabled.

    Inside the test's transaction, so the triggers are back when it rolls back.
    """
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE eventstore_event DISABLE TRIGGER USER")
        cursor.execute(statement, params)
        cursor.execute("ALTER TABLE eventstore_event ENABLE TRIGGER USER")


def breaks(capsys) -> list[str]:
    """Run verify_events; return the breaks it names, first first (it must find some)."""
    capsys.readouterr()
    with pytest.raises(CommandError, match="break"):
        call_command("verify_events")
    return capsys.readouterr().err.splitlines()


def rechain(stream_id: str) -> None:
    """Write new hashes over a stream's events with the project's own formula, each chained
    to the event before it in the log: an edit covered up as well as one stream allows."""
    previous = GENESIS
    for row in StoredEvent.objects.order_by("position"):
        if row.stream_id == stream_id:
            fields = {f: getattr(row, f) for f in ("stream_type", "event_type", "data")}
            fields |= {f: getattr(row, f) for f in ("metadata", "recorded_at", "known_at")}
            row.hash = event_hash(
                previous=previous,
                position=row.position,
                stream_id=row.stream_id,
                version=row.version,
                schema_version=row.schema_version,
                **fields,
            )
            as_owner(
                "UPDATE eventstore_event SET hash = %s WHERE position = %s",
                [row.hash, row.position],
            )
        previous = row.hash


def test_a_stream_s_last_events_deleted_break_the_chain_at_the_log_s_next_event(capsys):
    # given: s-1's last event is not the log's last
    put("s-1", 0, {"n": 1}, {"n": 2})
    kept, cut = put("s-1", 2, {"n": 3}, {"n": 4}).positions
    after = put("s-2", 0, {"n": 1}).positions[0]
    call_command("verify_events")

    # when
    as_owner("DELETE FROM eventstore_event WHERE position = %s", [cut])

    # then
    assert breaks(capsys)[0] == (
        f"position {after}: stream s-2 version 1 (Test.Happened) does not match its hash:"
        f" the chain breaks after position {kept}: events between were removed, or the event"
        " was altered"
    )


def test_the_log_s_first_event_deleted_breaks_the_chain_at_the_next(capsys):
    first, second = put("s-1", 0, {"n": 1}, {"n": 2}).positions

    as_owner("DELETE FROM eventstore_event WHERE position = %s", [first])

    assert breaks(capsys) == [
        f"position {second}: stream s-1 jumps from version 0 to 2",
        f"position {second}: stream s-1 version 2 (Test.Happened) does not match its hash:"
        " the chain breaks at the log's start: events before it were removed, or the event was"
        " altered",
    ]


def test_a_whole_risk_deleted_breaks_the_chain_at_the_log_s_next_event(capsys):
    # given: a risk raised and assessed, and the project going on after it
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)
    risk = risk_raise(project_id=project_id, track_id=None, title="R", impact=3, actor=manager)
    risk_assess(risk_id=risk.stream_id, probability=2, impact=4, expected_version=1, actor=manager)
    milestone_plan(project_id=project_id, track_id=None, title="M", planned_on=None, actor=manager)
    positions = list(StoredEvent.objects.values_list("position", "stream_id"))
    removed = [p for p, stream in positions if stream == risk.stream_id]
    next_kept = min(p for p, stream in positions if p > removed[0] and p not in removed)
    before = max(p for p, stream in positions if p < next_kept and p not in removed)
    call_command("verify_events")

    # when: the risk's stream is deleted, all of it
    as_owner("DELETE FROM eventstore_event WHERE stream_id = %s", [risk.stream_id])

    # then
    found = breaks(capsys)[0]
    assert found.startswith(f"position {next_kept}: ")
    assert f"the chain breaks after position {before}: events between were removed" in found


def test_a_payload_changed_and_its_stream_rechained_breaks_at_the_log_s_next_event(capsys):
    # given
    put("s-1", 0, {"n": 1}, {"n": 2}, {"n": 3})
    last_of_s1 = StoredEvent.objects.get(stream_id="s-1", version=3).position
    after = put("s-2", 0, {"n": 1}).positions[0]

    # when: s-1 version 2 says otherwise, and s-1's hashes are computed anew
    as_owner(
        "UPDATE eventstore_event SET data = '{\"n\": 20}' WHERE stream_id = 's-1' AND version = 2"
    )
    rechain("s-1")

    # then: s-1 holds together, the log does not
    assert breaks(capsys)[0] == (
        f"position {after}: stream s-2 version 1 (Test.Happened) does not match its hash:"
        f" the event was altered, or the one before it at position {last_of_s1}"
    )


@pytest.mark.parametrize(
    "change",
    [
        "recorded_at = recorded_at - interval '1 day'",
        "stream_type = 'Other'",
        "known_at = known_at - interval '1 second'",
        'metadata = metadata || \'{"actor": "someone else"}\'',
    ],
)
def test_a_changed_column_is_named(capsys, change):
    put("s-1", 0, {"n": 1})
    first, _ = put("s-1", 1, {"n": 2}, {"n": 3}).positions

    as_owner(f"UPDATE eventstore_event SET {change} WHERE position = %s", [first])  # noqa: S608

    assert breaks(capsys)[0] == (
        f"position {first}: stream s-1 version 2 (Test.Happened) does not match its hash:"
        f" the event was altered, or the one before it at position {first - 1}"
    )
    assert len(breaks(capsys)) == 1, "the chain goes on from the stored hash"


def test_the_whole_log_rechained_after_an_edit_is_named_by_the_last_checkpoint(signing_key, capsys):
    # given: a checkpoint, as the hourly beat takes them
    put("s-1", 0, {"n": 1}, {"n": 2})
    record_head()
    head = StoredHead.objects.get()

    # when: an event is edited and every hash from it on computed anew
    as_owner("UPDATE eventstore_event SET data = '{\"n\": 20}' WHERE version = 1")
    rechain("s-1")

    # then: every chain holds, but not the signed head
    assert breaks(capsys) == [f"signed head #{head.pk} at position {head.position}: hash differs"]
