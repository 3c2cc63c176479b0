"""Withdrawing a milestone or risk entered by mistake, and as-of reads of what was not yet there."""

from datetime import UTC, datetime, time, timedelta

import pytest

from portfolio.commands import kpi_define
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Project
from risks.commands import risk_mark_biggest, risk_raise
from tests import factories

pytestmark = pytest.mark.django_db

WITHDRAWN = "https://portefolje.invalid/problems/withdrawn"
NOT_YET = "https://portefolje.invalid/problems/not-yet-recorded"


def days_ago(today, n: int) -> datetime:
    return datetime.combine(today - timedelta(days=n), time(12), tzinfo=UTC)


@pytest.fixture
def alpha(pinned_today, users):
    """Project alpha (recorded 20 days ago) with milestone "Pilot" and risk "Leverandør"
    recorded 10 days ago, the risk marked the project's biggest."""
    manager = users["manager"]
    area = factories.area(slug="kommuner", known_at=days_ago(pinned_today, 30))
    project = factories.project(
        manager, area_id=area, slug="alpha", known_at=days_ago(pinned_today, 20)
    )
    milestone = factories.milestone(
        manager,
        project,
        title="Pilot",
        planned_on=pinned_today + timedelta(days=30),
        known_at=days_ago(pinned_today, 10),
    )
    risk = risk_raise(
        project_id=project,
        track_id=None,
        title="Leverandør",
        actor=manager,
        known_at=days_ago(pinned_today, 10),
    ).stream_id
    risk_mark_biggest(risk_id=risk, actor=manager, known_at=days_ago(pinned_today, 10))
    return {"milestone": milestone, "risk": risk}


def as_of(today, n: int) -> str:
    return (today - timedelta(days=n)).isoformat()


def test_a_withdrawn_milestone_is_gone_now_and_there_before(pinned_today, alpha, manager, reader):
    url = f"/api/v1/milestones/{alpha['milestone']}/"

    response = manager.post(url + "withdraw/", {"reason": "Planlagt to gange"}, format="json")

    assert response.status_code == 204, response.content
    gone = reader.get(url)
    assert gone.status_code == 410
    assert gone.json()["type"] == WITHDRAWN
    assert reader.get("/api/v1/milestones/?project=alpha").json()["results"] == []
    earlier = reader.get(f"{url}?as_of={as_of(pinned_today, 5)}")
    assert earlier.status_code == 200
    assert earlier.json()["title"] == "Pilot"
    listed = reader.get(f"/api/v1/milestones/?project=alpha&as_of={as_of(pinned_today, 5)}")
    assert [m["title"] for m in listed.json()["results"]] == ["Pilot"]


def test_a_withdrawal_is_in_the_history_with_its_reason(alpha, manager, reader):
    manager.post(
        f"/api/v1/milestones/{alpha['milestone']}/withdraw/",
        {"reason": "Planlagt to gange"},
        format="json",
    )

    history = reader.get("/api/v1/projects/alpha/history/").json()["results"]
    changes = reader.get("/api/v1/projects/alpha/changes/").json()["results"]

    withdrawal = next(e for e in history if e["type"] == "Milestone.Withdrawn")
    assert withdrawal["data"]["reason"] == "Planlagt to gange"
    change = next(c for c in changes if c["kind"] == "withdrawn")
    assert (change["subject"], change["reason"]) == ("Pilot", "Planlagt to gange")
    assert change["detail"] == "Planlagt to gange"


def test_a_withdrawn_milestone_takes_no_more_commands(alpha, manager):
    url = f"/api/v1/milestones/{alpha['milestone']}/"
    manager.post(url + "withdraw/", {"reason": "Fejl"}, format="json")
    before = StoredEvent.objects.count()

    replan = manager.post(url + "replan/", {"planned_on": None, "reason": "x"}, format="json")
    again = manager.post(url + "withdraw/", {"reason": "Igen"}, format="json")

    assert replan.status_code == 410
    assert replan.json()["type"] == WITHDRAWN
    assert replan.json()["field"] == "milestone"
    assert again.status_code == 410
    assert StoredEvent.objects.count() == before


def test_withdrawing_needs_a_reason_and_a_manager(alpha, manager, reader, users, client_for):
    url = f"/api/v1/milestones/{alpha['milestone']}/withdraw/"
    before = StoredEvent.objects.count()

    blank = manager.post(url, {"reason": ""}, format="json")
    missing = manager.post(url, {}, format="json")
    by_reader = reader.post(url, {"reason": "Fejl"}, format="json")
    by_other = client_for(users["other_manager"]).post(url, {"reason": "Fejl"}, format="json")

    assert (blank.status_code, blank.json()["field"]) == (400, "reason")
    assert (missing.status_code, missing.json()["field"]) == (400, "reason")
    assert by_reader.status_code == 403
    assert by_other.status_code == 403
    assert StoredEvent.objects.count() == before
    assert reader.get(f"/api/v1/milestones/{alpha['milestone']}/").status_code == 200


def test_withdrawing_honours_if_match_and_idempotency_key(alpha, manager):
    url = f"/api/v1/milestones/{alpha['milestone']}/"
    manager.post(url + "retitle/", {"title": "Pilotdrift"}, format="json")  # version 2

    stale = manager.post(url + "withdraw/", {"reason": "Fejl"}, format="json", HTTP_IF_MATCH='"1"')
    first = manager.post(
        url + "withdraw/",
        {"reason": "Fejl"},
        format="json",
        HTTP_IF_MATCH='"2"',
        HTTP_IDEMPOTENCY_KEY="withdraw-pilot",
    )
    retry = manager.post(
        url + "withdraw/",
        {"reason": "Fejl"},
        format="json",
        HTTP_IF_MATCH='"2"',
        HTTP_IDEMPOTENCY_KEY="withdraw-pilot",
    )

    assert stale.status_code == 412
    assert first.status_code == 204
    assert retry.status_code == 204
    assert retry["Idempotent-Replayed"] == "true"
    withdrawals = StoredEvent.objects.filter(event_type="Milestone.Withdrawn")
    assert withdrawals.count() == 1


def test_a_withdrawn_risk_leaves_the_register_and_stops_being_the_biggest(
    pinned_today, alpha, manager, reader
):
    url = f"/api/v1/risks/{alpha['risk']}/"
    project_before = reader.get("/api/v1/projects/alpha/").json()

    response = manager.post(url + "withdraw/", {"reason": "Hører til beta"}, format="json")

    assert response.status_code == 204, response.content
    assert reader.get(url).status_code == 410
    assert reader.get("/api/v1/risks/?project=alpha").json()["results"] == []
    earlier = f"/api/v1/risks/?project=alpha&as_of={as_of(pinned_today, 5)}"
    assert [r["title"] for r in reader.get(earlier).json()["results"]] == ["Leverandør"]
    assert reader.get(f"{url}?as_of={as_of(pinned_today, 5)}").json()["biggest"] is True
    project_now = reader.get("/api/v1/projects/alpha/").json()
    assert "Leverandør" in str(project_before)
    assert "Leverandør" not in str(project_now)
    changes = reader.get("/api/v1/projects/alpha/changes/").json()["results"]
    assert ("withdrawn", "Leverandør") in [(c["kind"], c["subject"]) for c in changes]


@pytest.mark.parametrize("kind", ["milestone", "risk"])
def test_as_of_before_a_member_was_recorded_is_a_404_of_its_own_type(
    pinned_today, alpha, reader, kind
):
    early = reader.get(f"/api/v1/{kind}s/{alpha[kind]}/?as_of={as_of(pinned_today, 15)}")
    unknown = reader.get(f"/api/v1/{kind}s/nope/?as_of={as_of(pinned_today, 15)}")

    assert early.status_code == 404
    assert (early.json()["type"], early.json()["field"]) == (NOT_YET, "as_of")
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "about:blank"


def test_as_of_before_a_kpi_series_was_recorded_is_a_404_of_its_own_type(
    pinned_today, alpha, reader, users
):
    project = Project.objects.get(slug="alpha").id
    kpi = kpi_define(
        project_id=project,
        track_id=None,
        name="Kommuner",
        actor=users["manager"],
        known_at=days_ago(pinned_today, 3),
    ).stream_id

    early = reader.get(f"/api/v1/kpis/{kpi}/?as_of={as_of(pinned_today, 5)}")

    assert early.status_code == 404
    assert early.json()["type"] == NOT_YET


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/alpha/history/?as_of={day}",
        "/api/v1/projects/alpha/changes/?until={day}",
        "/api/v1/milestones/?project=alpha&as_of={day}",
        "/api/v1/risks/?project=alpha&as_of={day}",
        "/api/v1/decisions/?project=alpha&as_of={day}",
        "/api/v1/kpis/?project=alpha&as_of={day}",
    ],
)
def test_every_as_of_read_of_a_project_not_yet_recorded_says_so(pinned_today, alpha, reader, url):
    early = reader.get(url.format(day=as_of(pinned_today, 25)))
    later = reader.get(url.format(day=as_of(pinned_today, 15)))

    assert early.status_code == 404, early.content
    field = "until" if "until=" in url else "as_of"
    assert (early.json()["type"], early.json()["field"]) == (NOT_YET, field)
    assert field in early.json()["detail"]
    assert later.status_code == 200, later.content
