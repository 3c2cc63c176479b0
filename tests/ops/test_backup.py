"""manage.py backup and restore carry a loaded installation whole: the log and its signed heads,
users, roles, tokens, report requests and the archive's files."""

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections

from portfolio import backup as backups
from portfolio import roles
from portfolio.eventstore.heads import record_head
from reports import services
from reports.models import IssuedReport
from tests import factories
from tests.worker import _database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SEED_SLUG = "paa-tvaers-boern-og-unge"


def manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would, on `database` and `media`."""
    env = {**os.environ, "DATABASE_URL": database, "PORTEFOLJE_MEDIA_ROOT": str(media)}
    return subprocess.run(  # noqa: S603 - our interpreter, manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def empty_database():
    """Create an empty database beside the test database; drop it after."""
    db = connections["default"].settings_dict
    name = f"pf_deploy_restore_{uuid.uuid4().hex[:8]}"
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(**server, password=db["PASSWORD"] or None, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**server, password=db["PASSWORD"] or None, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def serving(name: str, media: Path, settings):
    """Point this process's connection and MEDIA_ROOT at another database and folder."""
    connection = connections["default"]
    saved = connection.settings_dict["NAME"], settings.MEDIA_ROOT
    connection.close()
    connection.settings_dict["NAME"], settings.MEDIA_ROOT = name, media
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"], settings.MEDIA_ROOT = saved


def api_answers(client, report: IssuedReport) -> dict:
    """Return what the API answers on the reads an integration would make."""
    report_id = report.id
    paths = [
        f"/api/v1/reports/requests/{report.request_id}/",
        "/api/v1/projects/",
        f"/api/v1/projects/{SEED_SLUG}/",
        f"/api/v1/projects/{SEED_SLUG}/history/",
        "/api/v1/milestones/",
        "/api/v1/risks/",
        "/api/v1/events/?after=0",
        "/api/v1/reports/",
        f"/api/v1/reports/{report_id}/",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:500])
        answers[path] = (response.json(), response.get("ETag"))
    pdf = client.get(f"/api/v1/reports/{report_id}/pdf", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    answers["pdf"] = hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest()
    return answers


def archive(media: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def test_a_restored_backup_answers_as_the_system_it_was_taken_of(
    tmp_path, settings, signing_key, client_for, django_capture_on_commit_callbacks
):
    # given a loaded system: the demo, a signed head, a report issued into the archive, a token
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("load_demo", verbosity=0)
    record_head()
    member = factories.user(roles.STEERING_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_report(member, "status_page", SEED_SLUG, None, "en")
    report = IssuedReport.objects.get(request=request)
    client = client_for(member)
    before = api_answers(client, report)
    original = _database_url()
    verified = manage("verify_events", database=original, media=media)
    assert verified.returncode == 0, verified.stderr

    # when it is backed up, and restored into an empty database and media folder
    backup = tmp_path / "backup"
    backed_up = manage("backup", str(backup), database=original, media=media)
    assert backed_up.returncode == 0, backed_up.stderr
    restored_media = tmp_path / "restored-media"
    with empty_database() as name:
        target = original.rsplit("/", 1)[0] + f"/{name}"
        restored = manage("restore", str(backup), database=target, media=restored_media)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        # then verify_events says what it said of the original
        reverified = manage("verify_events", database=target, media=restored_media)
        assert (reverified.returncode, reverified.stdout) == (0, verified.stdout)
        assert "1 signed heads" in reverified.stdout
        # and the API answers the same, to the same token, with byte-identical reports
        with serving(name, restored_media, settings):
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone() == (name,)
            after = api_answers(client, report)
        assert after == before
        assert archive(restored_media) == archive(media)
        assert len(archive(media)) == 2  # the PDF and its HTML twin


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(tmp_path, settings):
    # given a backup, restored once into a new database
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("load_demo", "--no-example", verbosity=0)
    backup = tmp_path / "backup"
    assert manage("backup", str(backup), database=_database_url(), media=media).returncode == 0
    with empty_database() as name:
        target = _database_url().rsplit("/", 1)[0] + f"/{name}"
        assert manage("restore", str(backup), database=target, media=media).returncode == 0

        # when it is restored there again
        refused = manage("restore", str(backup), database=target, media=tmp_path / "other")
        forced = manage("restore", "--force", str(backup), database=target, media=media)

    # then restore refuses, unless forced: then it replaces the tables and verifies
    assert refused.returncode != 0
    assert "restore into an empty database" in refused.stderr
    assert forced.returncode == 0, forced.stderr
    assert "intact" in forced.stdout


def test_restore_refuses_a_backup_whose_files_differ_from_its_manifest(tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    backup = tmp_path / "backup"
    assert manage("backup", str(backup), database=_database_url(), media=media).returncode == 0
    with (backup / "database.dump").open("ab") as dump:
        dump.write(b"\0")

    with empty_database() as name:
        target = _database_url().rsplit("/", 1)[0] + f"/{name}"
        refused = manage("restore", str(backup), database=target, media=tmp_path / "restored")

    assert refused.returncode != 0
    assert "checksum differs" in refused.stderr


def test_backup_on_sqlite_says_it_is_postgresql_only(tmp_path):
    done = manage(
        "backup", str(tmp_path / "b"), database=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        media=tmp_path / "media",
    )  # fmt: skip

    assert done.returncode != 0
    assert "PostgreSQL-only" in done.stderr


def test_backup_reads_the_archive_through_the_storage_not_the_folder(tmp_path, settings):
    # given an archive kept in a storage that is not MEDIA_ROOT (as a bucket is)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    files = {"reports/2026/a.pdf": b"%PDF-1.4 a", "reports/2026/a.html": b"<h1>a</h1>"}
    for name, data in files.items():
        assert default_storage.save(name, ContentFile(data)) == name

    # when it is backed up
    manifest = backups.back_up(tmp_path / "backup")

    # then the tar holds the storage's files, and checking finds a file gone from it
    with tarfile.open(tmp_path / "backup" / backups.MEDIA) as tar:
        assert {m.name: tar.extractfile(m).read() for m in tar} == files
    assert manifest["media"] == {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}
    assert not settings.MEDIA_ROOT.exists()
    default_storage.delete("reports/2026/a.html")
    assert backups.check(manifest).breaks[-1] == "media file reports/2026/a.html: missing"
