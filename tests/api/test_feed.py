"""The event feed through HTTP: shape, paging with `next`, filters, and who may read it."""

from datetime import UTC, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from portfolio.eventstore import store
from tests.eventstore import appending

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events/"


def put(stream_id, expected, stream_type="Counter", **options):
    """Bump a counter (or another stream type) once, as ida."""
    bump = {"by": expected + 1}
    return appending.put(
        stream_id,
        expected,
        bump,
        stream_type=stream_type,
        event_type=f"{stream_type}.Bumped",
        actor="ida",
        **options,
    )


def test_event_shows_position_stream_type_version_data_and_who_when_why(reader):
    known = timezone.now() - timedelta(days=30)
    put("c1", 0, reason="first count", known_at=known)

    body = reader.get(FEED).json()

    [event] = body["results"]
    assert event["stream"] == "c1"
    assert event["stream_type"] == "Counter"
    assert event["type"] == "Counter.Bumped"
    assert (event["version"], event["schema_version"]) == (1, 1)
    assert event["data"] == {"by": 1}
    assert event["metadata"]["who"] == "ida"
    assert event["metadata"]["why"] == "first count"
    assert event["metadata"]["when"] == event["known_at"]
    assert event["known_at"] == known.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert "imported_at" in event["metadata"]
    assert event["recorded_at"] > event["known_at"]
    assert body["last_position"] == event["position"]


def test_paging_with_next_returns_every_event_once_in_order(reader):
    for n in range(7):
        put(f"s{n % 3}", n // 3)

    seen, url, pages = [], f"{FEED}?limit=3", 0
    while True:
        body = reader.get(url).json()
        pages += 1
        if not body["results"]:
            break
        seen.extend(e["position"] for e in body["results"])
        url = body["next"]

    assert pages == 4
    assert seen == sorted(set(seen)) and len(seen) == 7


def test_next_of_an_empty_page_stays_put_for_polling(reader):
    put("c1", 0)
    head = store.head_position()

    body = reader.get(f"{FEED}?after={head}").json()

    assert body["results"] == []
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["after"] == [str(head)]


def test_filter_by_stream_type_is_kept_in_next(reader):
    put("c1", 0)
    put("r1", 0, stream_type="Risk")

    body = reader.get(f"{FEED}?stream_type=Risk&limit=5").json()

    assert [e["stream"] for e in body["results"]] == ["r1"]
    assert parse_qs(urlsplit(body["next"]).query)["stream_type"] == ["Risk"]


def test_anonymous_feed_is_401(client):
    assert client.get(FEED).status_code == 401


def test_feed_runs_one_query_whatever_the_page_size(reader, django_assert_num_queries):
    for n in range(20):
        put(f"s{n}", 0)

    reader.get(FEED)  # stamps the token's last use, at most once a minute

    # the token lookup (with its user), the page of events, the people they name (the
    # person register), the streams they are about and, as no read model names these
    # streams' project, their earlier events, whatever the page size
    for limit in (20, 2):
        with django_assert_num_queries(5):
            assert len(reader.get(f"{FEED}?limit={limit}").json()["results"]) == limit


@pytest.mark.parametrize("query", ["after=", "limit=", "after=-1", "limit=0", "after=x"])
def test_a_bad_or_empty_position_or_limit_is_a_400_naming_the_parameter(reader, query):
    response = reader.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert query.split("=")[0] in response.content.decode()
