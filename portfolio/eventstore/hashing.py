"""The log's hash chain: each event's hash covers its content and the previous event's hash.

An event's hash is SHA-256 over "<previous hash>:<position>:<version>:<content digest>", where
the previous hash is that of the event before it in the whole log (by position; GENESIS for the
first) and the content digest covers every other stored field. So a hash stands for its event
and, through the chain, for every event before it: an event altered, removed or moved breaks
the chain at the next event that exists. `chain` is the formula: SQLite's append and
verify_events call it. PostgreSQL's append function (migration 0011) chains the digests the
application sends after it has read the log's head under the log's lock, with a SQL twin of
`chain` that a test holds to this one (tests/eventstore/test_hashing.py).
"""

import hashlib
import json
from datetime import UTC, datetime

import orjson

GENESIS = "0" * 64


def canonical_json(value) -> str:
    """Return JSON with sorted keys and no spaces, the same bytes whichever database stored it.

    That is json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False);
    orjson writes the same text about fifteen times faster (a property test holds the two
    together) but stops at 64-bit integers, which json then writes.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _time_json(when: datetime) -> str:
    return canonical_json(when.astimezone(UTC).isoformat(timespec="microseconds"))


_type_json: dict[str, str] = {}


class Envelope:
    """What every event of one append shares, encoded once for all their content digests."""

    def __init__(
        self,
        stream_id: str,
        stream_type: str,
        metadata: dict | str,
        known_at: datetime,
        recorded_at: datetime,
    ):
        """`metadata` is a dict, or its canonical JSON when the caller has it already."""
        if not isinstance(metadata, str):
            metadata = canonical_json(metadata)
        # The keys after "data" and "event_type", in canonical (sorted) order.
        self._before_schema = (
            f',"known_at":{_time_json(known_at)},"metadata":{metadata},'
            f'"recorded_at":{_time_json(recorded_at)},"schema_version":'
        )
        self._after_schema = (
            f',"stream_id":{canonical_json(stream_id)},'
            f'"stream_type":{canonical_json(stream_type)}}}'
        )

    def digest(self, event_type: str, schema_version: int, data_json: str) -> str:
        """Return the content digest of an event whose data is `data_json` (canonical JSON).

        The same bytes as canonical_json of the whole dict (a test holds the two together),
        built from pieces so a batch of events encodes what they share only once.
        """
        type_json = _type_json.get(event_type)
        if type_json is None:  # event types are few and repeat: a batch of 100 has one or two
            type_json = _type_json[event_type] = canonical_json(event_type)
        body = (
            f'{{"data":{data_json},"event_type":{type_json}'
            f"{self._before_schema}{int(schema_version)}{self._after_schema}"
        )
        return hashlib.sha256(body.encode()).hexdigest()


def content_digest(
    *,
    stream_id: str,
    stream_type: str,
    event_type: str,
    schema_version: int,
    data: dict,
    metadata: dict,
    recorded_at: datetime,
    known_at: datetime,
) -> str:
    """Return the SHA-256 of everything stored about an event but its position and hash."""
    envelope = Envelope(stream_id, stream_type, metadata, known_at, recorded_at)
    return envelope.digest(event_type, schema_version, canonical_json(data))


def chain(previous: str, position: int, version: int, digest: str) -> str:
    """Return the hash of the event at `position` (and `version` of its stream) whose content
    digest is `digest`, chained to `previous`, the hash of the log's event before it."""
    return hashlib.sha256(f"{previous}:{position}:{version}:{digest}".encode()).hexdigest()


def event_hash(*, previous: str, position: int, version: int, **content) -> str:
    """Return the SHA-256 of an event chained to the hash of the log's event before it."""
    return chain(previous, position, version, content_digest(**content))
