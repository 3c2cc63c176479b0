"""The steering group's overview: leader, biggest risk, derived light, outdated status, sorting."""

from datetime import date, timedelta

import pytest

from portfolio.models import Project
from portfolio.selectors import NOW, project_state
from reports.derived import current_lights, project_light, track_lights
from reports.lights import STALE, status_outdated
from reports.models import SteeringMeeting

from . import demo
from .overview_data import steering_portfolio


@pytest.fixture
def portfolio(pinned_today, manager):
    return steering_portfolio(manager, pinned_today)


def titles(response) -> list[str]:
    return [row.project.title for _, rows in response.context["groups"] for row in rows]


@pytest.mark.parametrize("meeting_days_ago", [None, 3])
def test_the_overview_lights_are_the_project_pages_lights(pinned_today, db, meeting_days_ago):
    # given the demo portfolio, whose projects have tracks, risks, slips and statuses
    demo.load()
    if meeting_days_ago is not None:  # a meeting of one area, after every status was reported
        area = Project.objects.select_related("area").first().area.slug
        SteeringMeeting.objects.create(
            area_slug=area, meets_on=pinned_today - timedelta(days=meeting_days_ago)
        )
    projects = list(Project.objects.select_related("area"))
    # when the overview judges them all at once from the read models
    lights = current_lights(projects, pinned_today)
    # then each light, with its reasons, is the one the project page derives from the log
    for project in projects:
        state = project_state(project.slug, NOW)
        assert lights[project.id] == project_light(track_lights(state, NOW)), project.slug
    stale = {p.slug for p in projects if any(r.rule == STALE for r in lights[p.id].reasons)}
    assert bool(stale) == (meeting_days_ago is not None)


def test_the_overview_shows_leader_biggest_risk_and_both_lights(client, steering, portfolio):
    client.force_login(steering)
    response = client.get("/")
    rows = {row.project.title: row for _, rows in response.context["groups"] for row in rows}
    assert rows["Alfa"].project.project_leader == "Bo Berg"
    assert rows["Alfa"].biggest_risk.title == "Alfa risiko"
    assert rows["Alfa"].ratings == [("", "green")]
    assert [r.light.rating for r in rows.values()] == ["red", "green", "yellow"]
    html = response.content.decode()
    assert "Bo Berg" in html and "Alfa risiko" in html
    assert "Afledt lys" in html
    # beside the derived light, its worst reason
    assert "Alfa leverance: overskredet med 40 dage (grænse 30)" in html


def test_a_status_older_than_the_last_meeting_is_outdated(client, steering, portfolio):
    client.force_login(steering)
    response = client.get("/")
    outdated = [
        row.project.title for _, rows in response.context["groups"] for row in rows if row.outdated
    ]
    assert outdated == ["Alfa"]
    assert response.content.decode().count("status forældet") == 1


@pytest.mark.parametrize(
    ("reported_days_ago", "meeting_days_ago", "expected"),
    [
        (20, 10, True),  # before the last meeting
        (5, 10, False),
        (60, None, False),
        (61, None, True),  # more than 60 days old
        (None, None, True),  # never reported
    ],
)
def test_status_outdated_rule(reported_days_ago, meeting_days_ago, expected):
    today = date(2026, 9, 1)
    ago = lambda days: None if days is None else today - timedelta(days=days)  # noqa: E731
    assert status_outdated(ago(reported_days_ago), ago(meeting_days_ago), today, 60) is expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Alfa", "Beta", "Gamma"]),
        ("-title", ["Gamma", "Beta", "Alfa"]),
        ("leader", ["Beta", "Alfa", "Gamma"]),
        ("-derived", ["Alfa", "Gamma", "Beta"]),
        ("-risk", ["Alfa", "Gamma", "Beta"]),
        ("status", ["Alfa", "Gamma", "Beta"]),
        ("rating", ["Alfa", "Beta", "Gamma"]),
    ],
)
def test_each_column_sorts(client, steering, portfolio, sort, expected):
    client.force_login(steering)
    assert titles(client.get("/", {"sort": sort})) == expected


def test_an_unknown_sort_keeps_the_usual_order(client, steering, portfolio):
    client.force_login(steering)
    response = client.get("/", {"sort": "password"})
    assert response.status_code == 200
    assert titles(response) == ["Alfa", "Beta", "Gamma"]


def test_the_overview_speaks_english_when_chosen(client, steering, portfolio, settings):
    client.force_login(steering)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    for words in ("Project leader", "Derived light", "Biggest risk", "status outdated"):
        assert words in html
    assert "forældet" not in html
