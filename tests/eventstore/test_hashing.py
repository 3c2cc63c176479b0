"""The hash chain: its pieces equal the plain definition, and the database chains as Python does."""

import hashlib
import json
from contextlib import suppress
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.eventstore.hashing import GENESIS, canonical_json, chain, content_digest, event_hash
from portfolio.eventstore.models import StoredEvent

from .appending import put

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


times = st.datetimes(timezones=st.just(UTC))


@given(
    stream_id=st.text(min_size=1, max_size=20),
    stream_type=st.text(min_size=1, max_size=20),
    event_type=st.text(min_size=1, max_size=20),
    schema_version=st.integers(1, 99),
    data=st.dictionaries(st.text(), json_values, max_size=5),
    metadata=st.dictionaries(st.text(), st.text() | st.none(), max_size=4),
    recorded_at=times,
    known_at=times,
)
def test_content_digest_is_the_sha256_of_the_canonical_json_of_every_stored_field(
    stream_id, stream_type, event_type, schema_version, data, metadata, recorded_at, known_at
):
    # every column but the position and the version (in the chain) and the hash itself
    whole = {
        "stream_id": stream_id,
        "stream_type": stream_type,
        "event_type": event_type,
        "schema_version": schema_version,
        "data": data,
        "metadata": metadata,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "known_at": known_at.isoformat(timespec="microseconds"),
    }
    expected = hashlib.sha256(canonical_json(whole).encode()).hexdigest()

    digest = content_digest(
        stream_id=stream_id,
        stream_type=stream_type,
        event_type=event_type,
        schema_version=schema_version,
        data=data,
        metadata=metadata,
        recorded_at=recorded_at,
        known_at=known_at,
    )

    assert digest == expected


def test_the_chain_covers_the_previous_hash_the_position_the_version_and_the_content():
    when = datetime(2026, 4, 24, tzinfo=UTC)
    content = dict(
        stream_id="s-1",
        stream_type="Test",
        event_type="Test.Happened",
        schema_version=1,
        data={"n": 1},
        metadata={"reason": "100% sure"},
        recorded_at=when,
        known_at=when,
    )
    first = event_hash(previous=GENESIS, position=1, version=1, **content)

    assert first == chain(GENESIS, 1, 1, content_digest(**content))
    for changed in (
        event_hash(previous=first, position=1, version=1, **content),
        event_hash(previous=GENESIS, position=2, version=1, **content),
        event_hash(previous=GENESIS, position=1, version=2, **content),
        event_hash(previous=GENESIS, position=1, version=1, **{**content, "data": {"n": 2}}),
        event_hash(previous=GENESIS, position=1, version=1, **{**content, "stream_type": "T"}),
        event_hash(
            previous=GENESIS,
            position=1,
            version=1,
            **{**content, "recorded_at": when + timedelta(microseconds=1)},
        ),
    ):
        assert changed != first


@settings(max_examples=500)
@given(value=json_values | st.integers(-(2**80), 2**80))
def test_canonical_json_is_what_json_dumps_writes_with_sorted_keys(value):
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert canonical_json(value) == expected


@pytest.mark.django_db
def test_the_database_chains_each_event_to_the_log_s_previous_event_as_hashing_does():
    # given: appends of one event and of several, one back-dated, on interleaved streams, and
    # (on PostgreSQL) positions a rolled-back append used up
    past = timezone.now() - timedelta(days=3)
    for stream_id, expected, payloads, known_at, kept in (
        ("s-1", 0, [{"n": 1}], None, True),
        ("s-2", 0, [{"text": "Kommuneområdet æøå"}, {"n": 2**70}], past, True),
        ("s-1", 1, [{"n": 2}, {"n": 3}, {"nested": [1, None, True]}], None, True),
        ("s-3", 0, [{"n": 1}], None, False),
        ("s-1", 4, [{"n": 5}], None, True),
    ):
        with suppress(RuntimeError), transaction.atomic():
            put(stream_id, expected, *payloads, known_at=known_at)
            if not kept:
                raise RuntimeError

    # then: each stored hash is the one hashing computes, chained from the one before it
    previous = GENESIS
    rows = StoredEvent.objects.order_by("position")
    for row in rows:
        expected_hash = event_hash(
            previous=previous,
            position=row.position,
            stream_id=row.stream_id,
            stream_type=row.stream_type,
            version=row.version,
            event_type=row.event_type,
            schema_version=row.schema_version,
            data=row.data,
            metadata=row.metadata,
            recorded_at=row.recorded_at,
            known_at=row.known_at,
        )
        assert row.hash == expected_hash, f"{row.stream_id} version {row.version}"
        previous = expected_hash
    assert [(r.stream_id, r.version) for r in rows][-1] == ("s-1", 5)
    assert "s-3" not in {r.stream_id for r in rows}
