"""A client paging the feed over HTTP while writer processes append never skips or repeats."""

import multiprocessing
import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from portfolio.api_platform.models import ApiToken
from portfolio.eventstore.models import StoredEvent
from tests.eventstore.writers import write

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def follow(client: APIClient, stop: threading.Event) -> list[dict]:
    """Page through /api/v1/events/ by its `next` links until the writers stop and it is dry."""
    seen, url = [], "/api/v1/events/?limit=37"
    while True:
        finished = stop.is_set()
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen.extend(body["results"])
        url = body["next"]
        if not body["results"]:
            if finished:
                return seen
            time.sleep(0.002)


def test_paging_reader_sees_every_event_once_while_three_processes_write(users, settings):
    # given: a reader paging through HTTP, and three writer processes, 450 events in all
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute"},  # the reader polls hard
    }
    _, secret = ApiToken.issue(users["reader"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    writers, per_writer = 3, 150
    stop, seen = threading.Event(), []

    def read():
        try:
            seen.extend(follow(client, stop))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()

    # when
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        written = pool.starmap(write, [(url, w, per_writer, 4) for w in range(writers)])
    stop.set()
    reader.join(60)

    # then: each committed event exactly once, in position order, streams in version order
    positions = [e["position"] for e in seen]
    assert len(positions) == len(set(positions)), "the reader saw an event twice"
    assert positions == sorted(positions)
    committed = set(StoredEvent.objects.values_list("position", flat=True))
    assert set(positions) == committed == {p for w in written for p in w}
    assert len(committed) == writers * per_writer
    last_version = {}
    for event in seen:
        assert event["version"] == last_version.get(event["stream"], 0) + 1
        last_version[event["stream"]] = event["version"]
