"""Under the application's own role the log takes appends and reads, and nothing rewrites it."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from portfolio.eventstore import store
from portfolio.models import Project
from tests import factories

INSUFFICIENT_PRIVILEGE = "42501"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def app_role() -> str:
    """A role made by grant_app_role; roles are the cluster's, the test's rollback drops it."""
    role = f"pf_app_{uuid.uuid4().hex[:12]}"
    call_command("grant_app_role", role)
    return role


def act_as(role: str) -> None:
    """Run the rest of the test's transaction as `role`, as the application would connect."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")


def test_the_app_role_appends_and_reads_through_the_store(app_role):
    # given
    act_as(app_role)

    # when: commands write events, the command table, checkpoints and read models
    manager = factories.user()
    project_id = factories.project(manager, title="Under the app's role")
    first, again = (
        store.append(
            stream_id="s-1",
            stream_type="Test",
            expected_version=0,
            events=[store.NewEvent("Test.Happened", {"n": 1})],
            actor="tester",
            command_id="cmd-1",
        )
        for _ in range(2)
    )

    # then
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role,)
    assert Project.objects.get(pk=project_id).title == "Under the app's role"
    assert [e.data for e in store.read_stream("s-1")] == [{"n": 1}]
    assert again.duplicate and again.positions == first.positions
    call_command("verify_events")


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM eventstore_event",
        "UPDATE eventstore_event SET data = '{}'",
        "TRUNCATE eventstore_event",
        "ALTER TABLE eventstore_event DISABLE TRIGGER eventstore_event_no_truncate",
        "ALTER TABLE eventstore_event DISABLE TRIGGER ALL",
        "DELETE FROM eventstore_command",
        "UPDATE eventstore_command SET version = 0",
        "TRUNCATE eventstore_command",
    ],
)
def test_the_app_role_cannot_rewrite_the_log(app_role, statement):
    # given
    store.append(
        stream_id="s-1",
        stream_type="Test",
        expected_version=0,
        events=[store.NewEvent("Test.Happened", {"n": 1})],
        actor="tester",
        command_id="cmd-1",
    )
    act_as(app_role)

    # when / then: the role's rights stop it, before any trigger is asked
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert refused.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, refused.value
    assert [e.data for e in store.read_stream("s-1")] == [{"n": 1}]


@pytest.mark.parametrize("role", ["postgres", "owner's member"])
def test_grant_app_role_refuses_a_role_that_could_take_the_owners_rights(role):
    if role == "owner's member":
        role = f"pf_member_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'eventstore_event'")
            (owner,) = cursor.fetchone()
            cursor.execute(f'CREATE ROLE {role} NOLOGIN IN ROLE "{owner}"')

    with pytest.raises(CommandError, match=f"role {role} is"):
        call_command("grant_app_role", role)
