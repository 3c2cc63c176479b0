"""Back up and restore an installation: its PostgreSQL database, its media, and a manifest."""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portfolio.eventstore.heads import SignedHead, head_at
from portfolio.eventstore.signing import verify_key
from portfolio.eventstore.verify import verify_log
from portfolio.eventstore.witnesses import head_breaks, verify_stored_heads

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"  # pg_dump --format=custom of the whole database
MEDIA = "media.tar"  # MEDIA_ROOT: the report archive's PDF and HTML files


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Restored:
    events: int = 0
    heads: int = 0
    files: int = 0
    breaks: list[str] = field(default_factory=list)


def back_up(directory: Path) -> dict:
    """Write the database's dump, a tar of MEDIA_ROOT and their manifest into `directory`.

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
    media = _tar(Path(settings.MEDIA_ROOT), directory / MEDIA)
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
    """Load a backup into this database and MEDIA_ROOT, then check what was loaded.

    Refuses a database with tables, or a MEDIA_ROOT with files, unless `force`: then pg_restore
    drops and recreates every table it holds (DROP, which the log's triggers do not refuse), and
    the media are unpacked over what is there.
    """
    database = _postgres()
    manifest = read_manifest(directory)
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        _refuse_if_not_empty(database["NAME"], media_root)
    connection.close()
    # As the connecting role (the tables' owner, as for migrate); grant_app_role grants anew.
    options = ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
    if force:
        options += ["--clean", "--if-exists"]
    target = [f"--dbname={database['NAME']}", str(directory / DUMP)]
    _run("pg_restore", options + target, database, dbname=False)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA) as tar:
        tar.extractall(media_root, filter="data")
    return check(manifest)


def check(manifest: dict) -> Restored:
    """Verify the log as verify_events does, its head against the manifest's, and every file."""
    log = verify_log()
    heads = verify_stored_heads(verify_key())
    head = manifest["log_head"]
    pinned = SignedHead(head["position"], head["hash"], _time(manifest), key_id="")
    breaks = [*log.breaks, *heads.breaks, *head_breaks("the manifest's log head", pinned, None)]
    media_root = Path(settings.MEDIA_ROOT)
    for name, digest in manifest["media"].items():
        path = media_root / name
        if not path.is_file():
            breaks.append(f"media file {name}: missing")
        elif _sha256(path) != digest:
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


def _refuse_if_not_empty(name: str, media_root: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database {name} has {len(tables)} tables: restore into an empty database"
            " (createdb), or pass --force to replace them"
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT {media_root} is not empty: empty it, or pass --force")


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


def _tar(root: Path, target: Path) -> dict[str, str]:
    """Write every file under `root` into a tar at `target`; return each one's SHA-256."""
    files = {}
    with tarfile.open(target, "w") as tar:
        if root.exists():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                files[name] = _sha256(path)
                tar.add(path, arcname=name, recursive=False)
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _time(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["created_at"])
