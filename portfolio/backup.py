"""Back up and restore an installation: its PostgreSQL database, its media, and a manifest."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

from portfolio.eventstore.heads import SignedHead, head_at
from portfolio.eventstore.signing import verify_key
from portfolio.eventstore.verify import verify_log
from portfolio.eventstore.witnesses import head_breaks, verify_stored_heads

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"  # pg_dump --format=custom of the whole database
MEDIA = "media.tar"  # the report archive's PDF and HTML files (MEDIA_ROOT, or a bucket)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Restored:
    events: int = 0
    heads: int = 0
    files: int = 0
    breaks: list[str] = field(default_factory=list)


def back_up(directory: Path) -> dict:
    """Write the database's dump, a tar of the report archive and their manifest into `directory`.

    The archive is read through the storage API: MEDIA_ROOT, or the bucket it is kept in.

    The dump comes first: a report archived meanwhile has its file on disk before its row
    commits, so every archived row in the dump finds its file in the tar.
    """
    database = _postgres()
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new or empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    position, hash_ = head_at()
    created = timezone.now()
    _run("pg_dump", ["--format=custom", f"--file={directory / DUMP}"], database)
    media = _tar(default_storage, directory / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": created.isoformat(),
        "database": database["NAME"],
        "log_head": {"position": position, "hash": hash_},
        "files": {name: _sha256(directory / name) for name in (DUMP, MEDIA)},
        "media": media,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def restore(directory: Path, *, force: bool = False) -> Restored:
    """Load a backup into this database and report archive, then check what was loaded.

    Refuses a database with tables, or an archive with files, unless `force`: then pg_restore
    drops and recreates every table it holds (DROP, which the log's triggers do not refuse), and
    the media replace the files of the same names.
    """
    database = _postgres()
    manifest = read_manifest(directory)
    if not force:
        _refuse_if_not_empty(database["NAME"], default_storage)
    connection.close()
    # As the connecting role (the tables' owner, as for migrate); grant_app_role grants anew.
    options = ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
    if force:
        options += ["--clean", "--if-exists"]
    target = [f"--dbname={database['NAME']}", str(directory / DUMP)]
    _run("pg_restore", options + target, database, dbname=False)
    _untar(directory / MEDIA, default_storage)
    return check(manifest)


def check(manifest: dict) -> Restored:
    """Verify the log as verify_events does, its head against the manifest's, and every file."""
    log = verify_log()
    heads = verify_stored_heads(verify_key())
    head = manifest["log_head"]
    pinned = SignedHead(head["position"], head["hash"], _time(manifest), key_id="")
    breaks = [*log.breaks, *heads.breaks, *head_breaks("the manifest's log head", pinned, None)]
    for name, digest in manifest["media"].items():
        if not default_storage.exists(name):
            breaks.append(f"media file {name}: missing")
        else:
            with default_storage.open(name, "rb") as file:
                if _sha256_of(file) != digest:
                    breaks.append(f"media file {name}: checksum differs")
    return Restored(log.events, heads.heads, len(manifest["media"]), breaks)


def read_manifest(directory: Path) -> dict:
    """Read a backup's manifest and check the dump's and the tar's checksums against it."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory / MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory}: a backup of format {manifest.get('format')}, not {FORMAT}")
    for name, digest in manifest["files"].items():
        path = directory / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path}: missing, or its checksum differs from the manifest's")
    return manifest


def _postgres() -> dict:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore are PostgreSQL-only. On SQLite, stop the site and copy the"
            f" database file ({connection.settings_dict['NAME']}) and MEDIA_ROOT"
            f" ({settings.MEDIA_ROOT}) together."
        )
    return connection.settings_dict


def _refuse_if_not_empty(name: str, storage: Storage) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database {name} has {len(tables)} tables: restore into an empty database"
            " (createdb), or pass --force to replace them"
        )
    if _files(storage):
        raise BackupError(f"{_where(storage)} is not empty: empty it, or pass --force")


def _run(program: str, arguments: list[str], database: dict, *, dbname: bool = True) -> None:
    """Run pg_dump or pg_restore against `database`, with its password in the environment."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed (Debian: postgresql-client)")
    env = {**os.environ}
    if database["PASSWORD"]:
        env["PGPASSWORD"] = database["PASSWORD"]
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    target = [
        f"--host={database['HOST'] or 'localhost'}",
        f"--port={database['PORT'] or 5432}",
        f"--username={database['USER']}",
        *([f"--dbname={database['NAME']}"] if dbname else []),
    ]
    done = subprocess.run(  # noqa: S603 - a PostgreSQL client and arguments of our own
        [path, *target, *arguments], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")


def _tar(storage: Storage, target: Path) -> dict[str, str]:
    """Write every file in `storage` into a tar at `target`; return each one's SHA-256."""
    files = {}
    with tarfile.open(target, "w") as tar:
        for name in _files(storage):
            with storage.open(name, "rb") as file:
                data = file.read()
            files[name] = hashlib.sha256(data).hexdigest()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            member.mtime = int(storage.get_modified_time(name).timestamp())
            tar.addfile(member, io.BytesIO(data))
    return files


def _untar(source: Path, storage: Storage) -> None:
    """Save every file of the tar at `source` into `storage` under its own name."""
    with tarfile.open(source) as tar:
        for member in tar:
            if not member.isfile():
                continue
            if storage.exists(member.name):  # only with --force: the archive was refused else
                storage.delete(member.name)
            try:
                saved = storage.save(member.name, File(tar.extractfile(member)))
            except SuspiciousFileOperation as error:
                raise BackupError(
                    f"{source}: refusing the file {member.name!r}: {error}"
                ) from error
            if saved != member.name:
                raise BackupError(f"{source}: {member.name} was saved as {saved}")


def _files(storage: Storage, folder: str = "") -> list[str]:
    """Return the name of every file in `storage` under `folder`, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a MEDIA_ROOT not made yet
        return []
    names = [f"{folder}{name}" for name in files]
    for name in folders:
        names += _files(storage, f"{folder}{name}/")
    return sorted(names)


def _where(storage: Storage) -> str:
    location = getattr(storage, "location", "")
    if bucket := getattr(storage, "bucket_name", None):
        return f"the report archive (bucket {bucket}{'/' + location if location else ''})"
    return f"the report archive (MEDIA_ROOT {location})"


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return _sha256_of(file)


def _sha256_of(file) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _time(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["created_at"])
