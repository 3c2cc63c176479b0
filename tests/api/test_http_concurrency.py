"""Two clients re-plan one milestone with the same If-Match: one wins, one gets 412."""

import threading

import pytest
from django.db import connections

from milestones.models import Milestone
from portfolio.eventstore import store

from . import portfolio_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_replans_with_one_if_match_one_200_one_412(users, client_for):
    # given: Pilot at version 2, and two managers' tools that both read that version
    data = portfolio_data.build(users)
    pilot = data.m["Pilot"]
    clients = [client_for(users["manager"]), client_for(users["admin"])]
    barrier = threading.Barrier(2)
    answers = {}

    def replan(index, day):
        try:
            barrier.wait()
            answers[index] = clients[index].post(
                f"/api/v1/milestones/{pilot}/replan/",
                {"planned_on": day, "reason": f"client {index}"},
                format="json",
                HTTP_IF_MATCH='"2"',
            )
        finally:
            connections.close_all()

    # when
    threads = [
        threading.Thread(target=replan, args=(i, d))
        for i, d in enumerate(["2026-12-01", "2027-02-01"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then: one 200, one 412, and the history holds exactly one new re-plan: the winner's
    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [200, 412], [a.content for a in answers.values()]
    winner = next(i for i, a in answers.items() if a.status_code == 200)
    replans = [e for e in store.read_stream(pilot) if e.event_type == "Milestone.Replanned"]
    assert [e.data["reason"] for e in replans] == ["Sen levering", f"client {winner}"]
    assert Milestone.objects.get(pk=pilot).version == 3
    loser = answers[1 - winner].json()
    assert (loser["status"], loser["current_version"]) == (412, 3)
