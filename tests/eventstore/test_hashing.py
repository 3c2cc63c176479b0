"""The hash chain: its pieces equal the plain definition, and the database chains as Python does."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.eventstore import store
from portfolio.eventstore.hashing import GENESIS, canonical_json, chain, content_digest, event_hash
from portfolio.eventstore.models import StoredEvent

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(
    stream_id=st.text(min_size=1, max_size=20),
    event_type=st.text(min_size=1, max_size=20),
    schema_version=st.integers(1, 99),
    data=st.dictionaries(st.text(), json_values, max_size=5),
    metadata=st.dictionaries(st.text(), st.text() | st.none(), max_size=4),
    known_at=st.datetimes(timezones=st.just(UTC)),
)
def test_content_digest_is_the_sha256_of_the_canonical_json_of_the_event(
    stream_id, event_type, schema_version, data, metadata, known_at
):
    whole = {
        "stream_id": stream_id,
        "event_type": event_type,
        "schema_version": schema_version,
        "data": data,
        "metadata": metadata,
        "known_at": known_at.isoformat(timespec="microseconds"),
    }
    expected = hashlib.sha256(canonical_json(whole).encode()).hexdigest()

    digest = content_digest(
        stream_id=stream_id,
        event_type=event_type,
        schema_version=schema_version,
        data=data,
        metadata=metadata,
        known_at=known_at,
    )

    assert digest == expected


def test_the_chain_covers_the_previous_hash_the_version_and_the_content():
    content = dict(
        stream_id="s-1",
        event_type="Test.Happened",
        schema_version=1,
        data={"n": 1},
        metadata={"reason": "100% sure"},
        known_at=datetime(2026, 4, 24, tzinfo=UTC),
    )
    first = event_hash(previous=GENESIS, version=1, **content)

    assert first == chain(GENESIS, 1, content_digest(**content))
    assert event_hash(previous=first, version=2, **content) != first
    assert event_hash(previous=GENESIS, version=2, **content) != first
    assert event_hash(previous=GENESIS, version=1, **{**content, "data": {"n": 2}}) != first


@settings(max_examples=500)
@given(value=json_values | st.integers(-(2**80), 2**80))
def test_canonical_json_is_what_json_dumps_writes_with_sorted_keys(value):
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert canonical_json(value) == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_chains_appends_of_one_and_of_several_events_as_hashing_does():
    # given: appends of one event and of several, one back-dated, on two streams
    past = timezone.now() - timedelta(days=3)
    for stream_id, expected, payloads, known_at in (
        ("s-1", 0, [{"n": 1}], None),
        ("s-2", 0, [{"text": "Kommuneområdet æøå"}, {"n": 2**70}], past),
        ("s-1", 1, [{"n": 2}, {"n": 3}, {"nested": [1, None, True]}], None),
        ("s-1", 4, [{"n": 5}], None),
    ):
        store.append(
            stream_id=stream_id,
            stream_type="Test",
            expected_version=expected,
            events=[store.NewEvent("Test.Happened", payload) for payload in payloads],
            actor="tester",
            known_at=known_at,
        )

    # then: each stored hash is the one hashing computes, chained from its own results
    previous = {}
    rows = StoredEvent.objects.order_by("position")
    for row in rows:
        expected_hash = event_hash(
            previous=previous.get(row.stream_id, GENESIS),
            stream_id=row.stream_id,
            version=row.version,
            event_type=row.event_type,
            schema_version=row.schema_version,
            data=row.data,
            metadata=row.metadata,
            known_at=row.known_at,
        )
        assert row.hash == expected_hash, f"{row.stream_id} version {row.version}"
        previous[row.stream_id] = expected_hash
    assert [(r.stream_id, r.version) for r in rows][-1] == ("s-1", 5)
