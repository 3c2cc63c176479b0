"""The log names people by reference; the person register holds their names, so erasing one
changes no stored byte of the log."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from portfolio import commands, roles
from portfolio.eventstore import people, repository, store
from portfolio.eventstore.models import Person, StoredEvent
from risks import commands as risk_commands
from risks.domain import Risk
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Gunnhild Qvortrup"


def _update(manager, project_id: str, **changes) -> None:
    commands.project_update(
        project_id=project_id, changes=changes, expected_version=None, actor=manager
    )


def _stored(stream_id: str) -> list[StoredEvent]:
    return list(StoredEvent.objects.filter(stream_id=stream_id).order_by("version"))


def test_a_named_person_is_stored_by_reference_and_read_back_by_name():
    # given a manager who names the project leader
    manager = factories.user(roles.PROJECT_MANAGERS, username="qv-manager")
    project_id = factories.project(manager)

    # when
    _update(manager, project_id, project_leader=NAME)

    # then the log holds a reference for the name and for the acting user, never the text
    last = _stored(project_id)[-1]
    assert last.data["project_leader"].startswith("@person:")
    assert last.metadata["actor"].startswith("@person:")
    assert NAME not in str(last.data) and "qv-manager" not in str(last.metadata)
    # and every reader gets the name back
    read = store.read_stream(project_id)[-1]
    assert read.data["project_leader"] == NAME and read.metadata["actor"] == "qv-manager"
    assert store.decode([last])[0].data["project_leader"] == NAME


def test_a_name_marked_in_free_text_is_stored_by_reference():
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)

    _update(manager, project_id, purpose=f"Ledes af @[{NAME}] og andre.")

    stored = _stored(project_id)[-1].data["purpose"]
    assert NAME not in stored and stored.startswith("Ledes af @[person:")
    assert store.read_stream(project_id)[-1].data["purpose"] == f"Ledes af @[{NAME}] og andre."


def test_an_erased_person_reads_as_erased_and_no_stored_byte_of_the_log_changes():
    # given a leader and a risk owner of the same name
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)
    _update(manager, project_id, project_leader=NAME)
    risk_id = risk_commands.risk_raise(
        project_id=project_id,
        track_id=None,
        title="Leverancen slipper",
        owner=NAME.upper(),
        actor=manager,
    ).stream_id
    before = list(StoredEvent.objects.values_list("position", "data", "metadata", "hash"))

    # when the person is erased, by name in any case
    found = people.find(name=NAME.lower())
    spellings = {p.name for p in found}
    people.erase(found, by="dpo", reason="art. 17")

    # then both spellings are gone, the log is byte for byte as it was, and it verifies
    assert spellings == {NAME, NAME.upper()}
    assert not Person.objects.filter(name__iexact=NAME).exists()
    assert list(StoredEvent.objects.values_list("position", "data", "metadata", "hash")) == before
    call_command("verify_events")
    # and readers see the erasure in their language
    with translation.override("da"):
        assert store.read_stream(project_id)[-1].data["project_leader"] == "[slettet]"
    with translation.override("en"):
        assert repository.load(Risk, risk_id).owner == "[erased]"
    # and the erasure is on record
    record = Person.objects.get(pk=found[0].pk)
    assert (record.erased_by, record.erasure_reason, record.key) == (
        "dpo",
        "art. 17",
        f"erased:{record.pk}",
    )


def test_the_same_name_is_one_person_and_a_new_name_after_erasure_is_a_new_one():
    manager = factories.user(roles.PROJECT_MANAGERS)
    first, second = factories.project(manager, slug="a"), factories.project(manager, slug="b")
    _update(manager, first, project_leader=NAME)
    _update(manager, second, project_leader=NAME)
    assert _stored(first)[-1].data == _stored(second)[-1].data
    people.erase(people.find(name=NAME), by="dpo", reason="art. 17")

    _update(manager, first, project_leader="")
    _update(manager, first, project_leader=NAME)

    assert store.read_stream(first)[-1].data["project_leader"] == NAME
    assert store.read_stream(second)[-1].data["project_leader"] != NAME


def _erase_elsewhere(name: str) -> None:
    """Erase as another process would: this process's memory of the register is not told."""
    for person in Person.objects.filter(key=people.name_key(name)):
        Person.objects.filter(pk=person.pk).update(key=f"erased:{person.pk}", name="")


def test_a_name_typed_after_another_process_erased_it_is_a_new_person():
    # given this process has met the name (and remembers its reference)
    manager = factories.user(roles.PROJECT_MANAGERS)
    first, second = factories.project(manager, slug="a"), factories.project(manager, slug="b")
    _update(manager, first, project_leader=NAME)
    # when another process erases the person, and the name is typed again here
    _erase_elsewhere(NAME)
    _update(manager, second, project_leader=NAME)

    # then the new mention is a new person, not the erased one
    assert store.read_stream(second)[-1].data["project_leader"] == NAME
    assert store.read_stream(first)[-1].data["project_leader"] != NAME
    assert Person.objects.filter(key=people.name_key(NAME), erased_at__isnull=True).count() == 1


def test_a_registration_that_rolled_back_is_registered_again():
    # given a registration of the name in a transaction that rolled back
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)
    with pytest.raises(RuntimeError), transaction.atomic():
        _update(manager, project_id, project_leader=NAME)
        raise RuntimeError
    assert not Person.objects.filter(key=people.name_key(NAME)).exists()

    # when the name is named again
    _update(manager, project_id, project_leader=NAME)

    # then it is registered, and read back
    assert Person.objects.filter(key=people.name_key(NAME)).exists()
    assert store.read_stream(project_id)[-1].data["project_leader"] == NAME
