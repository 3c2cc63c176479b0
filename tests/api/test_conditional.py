"""ETag is the stream version and the body's digest; If-None-Match → 304; If-Match names the
expected version (412)."""

import re

import pytest

from portfolio.api_platform import etag
from portfolio.eventstore import store

from .toy import seed

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.toy")]


def test_read_carries_the_stream_version_and_a_digest_of_the_body_as_etag(manager):
    seed()

    response = manager.get("/toy/counters/c1/")

    assert response["ETag"] == etag.representation_tag(1, response.json())
    assert re.fullmatch(r'"1-[0-9a-f]{16}"', response["ETag"])


@pytest.mark.parametrize(
    ("tag", "status"),
    [("{tag}", 304), ("W/{tag}", 304), ("*", 304), ('"1"', 200), ('"0"', 200)],
)
def test_if_none_match(manager, tag, status):
    seed()
    current = manager.get("/toy/counters/c1/")["ETag"]

    response = manager.get("/toy/counters/c1/", HTTP_IF_NONE_MATCH=tag.format(tag=current))

    assert response.status_code == status
    assert response["ETag"] == current
    if status == 304:
        assert response.content == b""


def test_if_match_takes_the_etag_as_given(manager):
    seed()
    current = manager.get("/toy/counters/c1/")["ETag"]

    response = manager.post(
        "/toy/counters/c1/bump/", {"by": 2}, format="json", HTTP_IF_MATCH=current
    )

    assert response.status_code == 200


def test_write_with_current_if_match_succeeds_and_returns_the_new_etag(manager):
    seed()

    response = manager.post("/toy/counters/c1/bump/", {"by": 2}, format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 200
    assert response["ETag"] == etag.representation_tag(2, {"count": 3, "version": 2})
    assert response.json() == {"count": 3, "version": 2}


def test_write_with_stale_if_match_is_412_and_appends_nothing(manager):
    seed()
    manager.post("/toy/counters/c1/bump/", {"by": 1}, format="json", HTTP_IF_MATCH='"1"')

    response = manager.post("/toy/counters/c1/bump/", {"by": 5}, format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["current_version"] == 2
    assert response.json()["field"] == "If-Match"
    assert len(store.read_stream("counter-c1")) == 2


def test_write_that_loses_a_race_without_if_match_is_409(manager, monkeypatch):
    seed()
    real_append = store.append

    def append_after_someone_else(**kwargs):
        # Another writer commits between our read and our append.
        real_append(
            stream_id="counter-c1",
            stream_type="Counter",
            expected_version=kwargs["expected_version"],
            events=[store.NewEvent("Counter.Bumped", {"by": 1})],
            actor="someone",
        )
        return real_append(**kwargs)

    monkeypatch.setattr(store, "append", append_after_someone_else)

    response = manager.post("/toy/counters/c1/bump/", {"by": 5}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert [e.data["by"] for e in store.read_stream("counter-c1")] == [1, 1]


@pytest.mark.parametrize("tag", ['W/"1"', '"one"', '"1", "2"', "", '"1-xyz"', '"1-"'])
def test_malformed_if_match_is_400(manager, tag):
    seed()

    response = manager.post("/toy/counters/c1/bump/", {"by": 1}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 400
    assert response.json()["field"] == "If-Match"
