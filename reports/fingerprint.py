"""The fingerprint of a snapshot: what a report shows, hashed, printed in its footer."""

import hashlib
import json
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal


def _plain(value):
    """Return value as JSON-ready data; `extra` is left out, as it is of snapshot equality."""
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "extra"}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):  # a change's values
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, datetime):  # the same moment hashes the same in any time zone
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot_digest(*snapshots) -> str:
    """Return the SHA-256 (hex) of the snapshots' content, in order."""
    return digest_of(snapshots)


def digest_of(snapshots) -> str:
    """Return snapshot_digest(*snapshots), reading them one at a time (a spooled portfolio).

    The SHA-256 of the JSON of their list, fed an item at a time: a list's JSON is its items'
    JSON joined by ", " in brackets.
    """
    digest = hashlib.sha256(b"[")
    for n, snapshot in enumerate(snapshots):
        item = json.dumps(_plain(snapshot), sort_keys=True, ensure_ascii=False)
        digest.update((", " + item if n else item).encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()


def short_hash(*snapshots) -> str:
    """Return the first 12 hex digits of the digest, enough to tell reports apart by eye."""
    return snapshot_digest(*snapshots)[:12]
