"""A retried POST with the same Idempotency-Key gets the first answer and appends nothing."""

import threading

import pytest
from django.db import connections

from portfolio.api_platform.models import IdempotentResponse
from portfolio.eventstore import store

from .toy import seed

pytestmark = pytest.mark.urls("tests.api.toy")

BUMP = "/toy/counters/c1/bump/"


@pytest.mark.django_db
def test_retry_replays_the_first_answer_and_appends_once(manager):
    seed()
    first = manager.post(BUMP, {"by": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    # Someone else moves the counter on meanwhile.
    manager.post(BUMP, {"by": 3}, format="json")

    again = manager.post(BUMP, {"by": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() == {"count": 3, "version": 2}
    assert again["ETag"] == first["ETag"]
    assert first["ETag"].startswith('"2-')
    assert again["Idempotent-Replayed"] == "true"
    assert [e.data["by"] for e in store.read_stream("counter-c1")] == [1, 2, 3]


@pytest.mark.django_db
def test_same_key_for_a_different_request_is_422(manager):
    seed()
    manager.post(BUMP, {"by": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = manager.post(BUMP, {"by": 4}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert len(store.read_stream("counter-c1")) == 2


@pytest.mark.django_db
def test_keys_are_scoped_by_user(users, client_for):
    seed()
    admin = client_for(users["admin"])
    manager = client_for(users["manager"])

    manager.post(BUMP, {"by": 1}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = admin.post(BUMP, {"by": 1}, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert "Idempotent-Replayed" not in response
    assert len(store.read_stream("counter-c1")) == 3


@pytest.mark.django_db
def test_refused_request_is_not_remembered(manager):
    seed()
    refused = manager.post(
        BUMP, {"by": 1}, format="json", HTTP_IF_MATCH='"7"', HTTP_IDEMPOTENCY_KEY="k"
    )

    retried = manager.post(
        BUMP, {"by": 1}, format="json", HTTP_IF_MATCH='"1"', HTTP_IDEMPOTENCY_KEY="k"
    )

    assert (refused.status_code, retried.status_code) == (412, 200)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there", "line\x85break"])
def test_bad_key_is_400(manager, key):
    seed()

    response = manager.post(BUMP, {"by": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_retries_append_once_and_answer_alike(users, client_for):
    # given: two copies of one request, sent at the same moment
    seed()
    clients = [client_for(users["manager"]) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers = [None, None]

    def send(index):
        try:
            barrier.wait()
            answers[index] = clients[index].post(
                BUMP, {"by": 4}, format="json", HTTP_IDEMPOTENCY_KEY="race"
            )
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then: one append, the same answer twice, one stored response
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json() == {"count": 5, "version": 2}
    assert [e.data["by"] for e in store.read_stream("counter-c1")] == [1, 4]
    assert IdempotentResponse.objects.count() == 1


@pytest.mark.django_db
def test_a_key_used_again_after_its_answer_expired_does_not_find_another_operations_result(
    manager,
):
    # given a key used on one counter, its stored answer since expired (forget_idempotency_keys)
    seed()
    seed("c2", by=1)
    manager.post(BUMP, {"by": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    IdempotentResponse.objects.all().delete()

    # when the same key comes with a request to another operation
    other = manager.post(
        "/toy/counters/c2/bump/", {"by": 5}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    # then it runs as the new request it is
    assert other.status_code == 200 and other.json()["count"] == 6
    assert [e.data["by"] for e in store.read_stream("counter-c2")] == [1, 5]
