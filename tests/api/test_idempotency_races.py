"""A retry with the same Idempotency-Key gets the first answer whatever it races, on a real
command with a business rule; stored answers expire and are forgotten."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from milestones.apis import MilestoneCommandApi
from milestones.models import Milestone
from portfolio.api_platform import idempotency
from portfolio.api_platform.models import IdempotentResponse
from portfolio.api_platform.tasks import forget_idempotency_keys

from . import portfolio_data

ROUNDS = 12
# How long the first request, its events committed, gives a retry to overtake it before it
# answers. Past code let the retry run the command meanwhile; now the retry waits for the
# first's answer, so the first waits this long in vain.
OVERTAKE_WAIT = 3  # seconds


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_retries_of_a_replan_both_get_the_first_answer(users, client_for):
    # given: Pilot, and a tool that sends each re-plan twice at once (no If-Match)
    data = portfolio_data.build(users)
    url = f"/api/v1/milestones/{data.m['Pilot']}/replan/"
    clients = [client_for(users["manager"]) for _ in range(2)]
    wrong = []

    for round_ in range(ROUNDS):
        body = {"planned_on": f"2027-01-{round_ + 1:02d}", "reason": f"round {round_}"}
        barrier = threading.Barrier(2)
        answers = [None, None]

        def send(index, body=body, barrier=barrier, answers=answers, key=f"replan-{round_}"):
            try:
                barrier.wait()
                answers[index] = clients[index].post(
                    url, body, format="json", HTTP_IDEMPOTENCY_KEY=key
                )
            finally:
                connections.close_all()

        # when
        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        # then: both 200 with one body; the rule "is the current plan already" never answers
        statuses = [a.status_code for a in answers]
        if statuses != [200, 200] or answers[0].json() != answers[1].json():
            wrong.append((round_, statuses, [a.json().get("detail") for a in answers]))

    assert wrong == []
    assert Milestone.objects.get(pk=data.m["Pilot"]).replan_count == 1 + ROUNDS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_retry_sent_while_the_first_is_answering_gets_the_first_answer(
    users, client_for, monkeypatch
):
    # given: a re-plan whose events are appended, and a retry sent just then
    data = portfolio_data.build(users)
    url = f"/api/v1/milestones/{data.m['Pilot']}/replan/"
    body = {"planned_on": "2027-01-01", "reason": "r"}
    clients = [client_for(users["manager"]) for _ in range(2)]
    answers = {}

    def send(index):
        try:
            answers[index] = clients[index].post(
                url, body, format="json", HTTP_IDEMPOTENCY_KEY="overtaken"
            )
        finally:
            connections.close_all()

    answer = MilestoneCommandApi.answer

    def answer_once_a_retry_had_its_chance(view, request, result):
        if "retry" not in answers:
            answers["retry"] = threading.Thread(target=send, args=(1,))
            answers["retry"].start()
            answers["retry"].join(OVERTAKE_WAIT)
        return answer(view, request, result)

    monkeypatch.setattr(MilestoneCommandApi, "answer", answer_once_a_retry_had_its_chance)

    # when
    first = threading.Thread(target=send, args=(0,))
    first.start()
    first.join()
    answers["retry"].join()

    # then: the retry did not run the command into "is the current plan already"
    assert [answers[i].status_code for i in (0, 1)] == [200, 200], answers[1].content
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert answers[1].json() == answers[0].json()


@pytest.mark.django_db
def test_a_stored_answer_expires_after_a_day(users, client_for, time_machine):
    # given: a re-plan sent with a key, and its answer stored
    data = portfolio_data.build(users)
    manager = client_for(users["manager"])
    url = f"/api/v1/milestones/{data.m['Pilot']}/replan/"
    body = {"planned_on": "2027-01-01", "reason": "r"}
    first = manager.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert first.status_code == 200

    # when: a retry a little within the day, then one after it (with a new body)
    time_machine.move_to(timezone.now() + idempotency.KEPT_FOR - timedelta(minutes=1))
    within = manager.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    time_machine.move_to(timezone.now() + timedelta(minutes=2))
    after = manager.post(
        url, {"planned_on": "2027-02-01", "reason": "r"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    # then: the first is replayed; after a day the key is free (not 422 "key reused")
    assert within["Idempotent-Replayed"] == "true"
    assert after.status_code == 200 and "Idempotent-Replayed" not in after


@pytest.mark.django_db
def test_expired_answers_are_forgotten_by_the_task_and_the_command(users, time_machine):
    # given: one answer stored two days ago, one an hour ago
    now = timezone.now()
    for key, age in (("old", timedelta(days=2)), ("new", timedelta(hours=1))):
        IdempotentResponse.objects.create(
            user=users["manager"], key=key, fingerprint="f", status=200, created_at=now - age
        )

    # when
    forgotten = forget_idempotency_keys.apply().get()

    # then
    assert forgotten == 1
    assert list(IdempotentResponse.objects.values_list("key", flat=True)) == ["new"]

    # and the command forgets the other once it too is old
    time_machine.move_to(now + idempotency.KEPT_FOR)
    call_command("forget_idempotency_keys")
    assert not IdempotentResponse.objects.exists()


def test_beat_runs_the_task():
    from portfolio.celery import app

    app.finalize()  # beat finalizes the app before it reads the schedule
    entry = app.conf.beat_schedule["api-forget-idempotency-keys"]
    assert entry["task"] == forget_idempotency_keys.name
