"""Erasing a person: every place they appear is listed, then nothing names them any more (the
database dump, an export, the API, issued reports), and every hash still holds."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portfolio import commands, project_snapshots, roles
from portfolio.eventstore.models import Person, StoredEvent
from portfolio.models import Project as ProjectRow
from portfolio.models import ProjectSnapshot
from reports import services
from reports.models import IssuedReport, Redaction
from reports.tasks import generate_report
from tests import factories
from tests.database import truncate_allowed

from .pdftext import all_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
SLUG = "paa-tvaers-boern-og-unge"
LEADER = "Dorthe Skou Lassen"  # the seed page's project leader


@pytest.fixture(autouse=True)
def journal(settings, tmp_path):
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"
    return settings.ERASURE_JOURNAL


def _run(*args) -> str:
    out = io.StringIO()
    call_command("erase_person", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _issue(member) -> IssuedReport:
    request = services.request_report(member, "status_page", SLUG, as_of=date(2026, 4, 24))
    generate_report(str(request.pk))  # eager in tests already; a second run finds the archive
    return IssuedReport.objects.get(request=request)


def _dump() -> str:
    """Return the whole test database as pg_dump writes it."""
    db = connection.settings_dict
    where = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    who = ["-U", db["USER"] or "postgres", "-d", db["NAME"]]
    dump = subprocess.run(  # noqa: S603 (our own arguments)
        [shutil.which("pg_dump"), *where, *who], check=True, capture_output=True, text=True
    )
    return dump.stdout


def _export(tmp_path) -> str:
    path = tmp_path / "log.jsonl"
    call_command("export_events", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path.read_text()


def test_a_dry_run_lists_every_place_and_changes_nothing(demo):
    listed = _run("--name", LEADER.lower())

    assert "name: Dorthe Skou Lassen" in listed
    assert f"{SLUG}: Project.LeaderNamed x1" in listed
    assert "Dry run: nothing changed" in listed
    assert Person.objects.filter(name=LEADER, erased_at__isnull=True).exists()


def test_erasing_by_name_leaves_no_trace_and_every_hash_holds(demo, client_for, tmp_path):
    # given a project snapshot (a cache) folded with the leader's name, at its 50th event
    project_id = ProjectRow.objects.get(slug=SLUG).id
    admin = factories.admin()
    for n in range(project_snapshots.EVERY):
        commands.status_report(
            project_id=project_id, track_id=None, rating="green", narrative=f"Uge {n}",
            reported_on=date(2026, 4, 1), expected_version=None, actor=admin,
        )  # fmt: skip
    assert ProjectSnapshot.objects.filter(state__contains=LEADER).exists()
    # and an issued status page that names her
    member = factories.user(roles.STEERING_GROUP)
    report = _issue(member)
    old_sha = report.sha256
    assert LEADER in all_text(report.file.read())
    hashes = list(StoredEvent.objects.values_list("position", "hash"))
    assert LEADER in _dump()

    # when the data-protection officer erases her
    said = _run("--name", LEADER, "--confirm", "--reason", "Anmodning art. 17", "--by", "dpo")

    # then nothing stored names her: not the database, not an export
    assert "re-rendered 1 issued report(s)" in said
    assert "Skou Lassen" not in _dump()
    assert "Skou Lassen" not in _export(tmp_path)
    assert ProjectSnapshot.objects.exists(), "the snapshots were written anew"
    # and every hash is what it was, and the log verifies
    assert list(StoredEvent.objects.values_list("position", "hash")) == hashes
    call_command("verify_events", stdout=io.StringIO())
    # and the API says she was erased, in the reader's language
    client = client_for(factories.user(roles.STEERING_GROUP))
    answer = client.get(f"/api/v1/projects/{SLUG}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["project_leader"] in ("[slettet]", "[erased]")
    # and the issued report was re-rendered without her, the archive recording why
    report.refresh_from_db()
    text = all_text(report.file.read())
    assert LEADER not in text and "[slettet]" in text
    redaction = Redaction.objects.get(report=report)
    assert (redaction.redacted_by, redaction.reason, redaction.replaced_sha256) == (
        "dpo",
        "Anmodning art. 17",
        old_sha,
    )
    assert services.verify(report).matches


def test_erasing_by_user_anonymises_the_account_and_their_actions(demo):
    # given a manager with a distinctive user name who changed the project
    manager = factories.user(
        roles.PROJECT_MANAGERS, username="qvortrup-mgr", first_name="Gunnhild", last_name="Qv"
    )
    project_id = factories.project(manager, slug="qv-projekt")
    from portfolio import commands

    commands.project_update(
        project_id=project_id, changes={"purpose": "Noget"}, expected_version=None, actor=manager
    )
    assert "qvortrup-mgr" in _dump()

    # when
    _run("--user", "qvortrup-mgr", "--confirm", "--reason", "fratrådt", "--by", "dpo")

    # then the account is kept but names nobody, and no trace of the user name is left
    manager.refresh_from_db()
    assert manager.username == f"slettet-{manager.pk}" and not manager.is_active
    assert "qvortrup-mgr" not in _dump()
    call_command("verify_events", stdout=io.StringIO())


def test_confirming_needs_a_reason_and_who_asks(demo):
    with pytest.raises(CommandError, match="--reason and --by"):
        _run("--name", LEADER, "--confirm")
    assert Person.objects.filter(name=LEADER).exists()


def test_an_unknown_person_is_an_error():
    with pytest.raises(CommandError, match="nobody registered"):
        _run("--name", "Ingen Sådan Person")


def test_an_erasure_is_replayed_after_restoring_an_export_taken_before_it(demo, tmp_path, journal):
    # given an export taken before the erasure, and the erasure's journal
    before = tmp_path / "before.jsonl"
    call_command("export_events", str(before), stdout=io.StringIO())
    _run("--name", LEADER, "--confirm", "--reason", "art. 17", "--by", "dpo")
    assert "Dorthe" not in journal.read_text()

    # when the old export is restored into an empty database, it names her again
    with truncate_allowed(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE eventstore_event, eventstore_checkpoint, eventstore_command")
    call_command("import_events", str(before), stdout=io.StringIO(), stderr=io.StringIO())
    assert "Skou Lassen" in _dump()
    listed = _run("--replay", str(journal))
    assert "Erased 'art. 17' by dpo" in listed and "name: Dorthe Skou Lassen" in listed

    # and replaying the journal erases her again
    _run("--replay", str(journal), "--confirm")
    assert "Skou Lassen" not in _dump()
    assert "Every erasure in the journal is done" in _run("--replay", str(journal))
    call_command("verify_events", stdout=io.StringIO())
