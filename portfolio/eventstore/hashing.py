"""The per-stream hash chain: each event's hash covers its content and the previous hash."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def canonical_json(value) -> str:
    """Return JSON with sorted keys and no spaces, the same bytes whichever database stored it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    *,
    previous: str,
    stream_id: str,
    version: int,
    event_type: str,
    schema_version: int,
    data: dict,
    metadata: dict,
    known_at: datetime,
) -> str:
    """Return the SHA-256 of an event chained to the hash of the one before it."""
    body = canonical_json(
        {
            "previous": previous,
            "stream_id": stream_id,
            "version": version,
            "event_type": event_type,
            "schema_version": schema_version,
            "data": data,
            "metadata": metadata,
            "known_at": known_at.astimezone(UTC).isoformat(timespec="microseconds"),
        }
    )
    return hashlib.sha256(body.encode()).hexdigest()
