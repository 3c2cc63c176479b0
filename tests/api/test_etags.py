"""An ETag covers everything its body shows: what it embeds from other streams, and what the
clock derives (a milestone overdue since last night)."""

from datetime import timedelta

import pytest

from . import portfolio_data

pytestmark = pytest.mark.django_db


def test_a_projects_etag_changes_when_its_embedded_biggest_risk_changes(users, manager, reader):
    # given: Alpha shows Leverandør as the biggest risk of its track Børn
    data = portfolio_data.build(users)
    risk = f"/api/v1/risks/{data.risks['Leverandør']}/"
    manager.post(f"{risk}mark-biggest/", {}, format="json")
    before = reader.get("/api/v1/projects/alpha/")

    # when: the risk (its own stream) is re-assessed and renamed; the project's stream is not
    manager.post(f"{risk}assess/", {"probability": 5, "impact": 5}, format="json")
    manager.post(f"{risk}revise/", {"title": "Leverandør svigter"}, format="json")
    after = reader.get("/api/v1/projects/alpha/", HTTP_IF_NONE_MATCH=before["ETag"])

    # then: the old ETag no longer gets a 304, and the body shows the change
    assert after.json()["version"] == before.json()["version"]
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    boern = next(t for t in after.json()["tracks"] if t["name"] == "Børn")
    assert boern["biggest_risk"]["title"] == "Leverandør svigter"


def test_a_milestones_etag_changes_when_it_becomes_overdue_overnight(
    pinned_today, users, manager, time_machine
):
    # given: a milestone planned for tomorrow, read today
    portfolio_data.build(users)
    client = manager
    planned = client.post(
        "/api/v1/projects/alpha/milestones/",
        {"title": "Go-live", "planned_on": (pinned_today + timedelta(days=1)).isoformat()},
        format="json",
    )
    url = planned["Location"]
    today = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=today["ETag"]).status_code == 304

    # when: two days pass, with no event
    time_machine.move_to(pinned_today + timedelta(days=2))
    later = client.get(url, HTTP_IF_NONE_MATCH=today["ETag"])

    # then: a new body (overdue) under a new ETag, although the stream is unchanged
    assert later.status_code == 200
    assert later["ETag"] != today["ETag"]
    assert later.json()["version"] == today.json()["version"]
    assert later.json()["state"] != today.json()["state"]
