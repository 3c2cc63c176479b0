"""Each field's length limit is stated once: the command and the API refuse the same length."""

from datetime import date

import pytest

from milestones import commands as milestone_commands
from milestones import limits as milestone_limits
from portfolio import commands, limits
from portfolio.errors import InvalidInput
from risks import commands as risk_commands
from risks import limits as risk_limits

from . import portfolio_data

pytestmark = pytest.mark.django_db


def _plan(data, pm, text):
    milestone_commands.milestone_plan(
        project_id=data.alpha, track_id=None, title=text, planned_on=None, actor=pm
    )


def _replan(data, pm, text):
    milestone_commands.milestone_replan(
        milestone_id=data.m["Udrulning"],
        planned_on=date(2027, 2, 1),
        reason=text,
        expected_version=None,
        actor=pm,
    )


def _raise(data, pm, text, field="title"):
    values = {"title": "Risiko", field: text}
    risk_commands.risk_raise(project_id=data.alpha, track_id=None, actor=pm, **values)


def _retitle_project(data, pm, text):
    commands.project_update(
        project_id=data.alpha, changes={"title": text}, expected_version=None, actor=pm
    )


def _add_track(data, pm, text):
    commands.track_add(project_id=data.alpha, name=text, expected_version=None, actor=pm)


# (field, its limit, the command given a text, the API's URL and body given a text)
CASES = [
    (
        "title",
        milestone_limits.TITLE,
        _plan,
        lambda data, text: ("/api/v1/projects/alpha/milestones/", {"title": text}),
    ),
    (
        "reason",
        milestone_limits.REASON,
        _replan,
        lambda data, text: (
            f"/api/v1/milestones/{data.m['Udrulning']}/replan/",
            {"planned_on": "2027-03-01", "reason": text},
        ),
    ),
    (
        "title",
        risk_limits.TITLE,
        _raise,
        lambda data, text: ("/api/v1/projects/alpha/risks/", {"title": text}),
    ),
    (
        "owner",
        risk_limits.OWNER,
        lambda data, pm, text: _raise(data, pm, text, "owner"),
        lambda data, text: ("/api/v1/projects/alpha/risks/", {"title": "Risiko", "owner": text}),
    ),
    (
        "title",
        limits.PROJECT_TITLE,
        _retitle_project,
        lambda data, text: ("/api/v1/projects/alpha/update/", {"title": text}),
    ),
    (
        "name",
        limits.TRACK_NAME,
        _add_track,
        lambda data, text: ("/api/v1/projects/alpha/tracks/", {"name": text}),
    ),
]


@pytest.mark.parametrize(("field", "limit", "command", "request_for"), CASES)
def test_command_and_api_refuse_one_character_more_than_the_limit(
    users, client_for, field, limit, command, request_for
):
    data = portfolio_data.build(users)
    pm, manager = users["manager"], client_for(users["manager"])

    with pytest.raises(InvalidInput) as refused:
        command(data, pm, "c" * (limit + 1))
    assert refused.value.field == field
    assert f"longer than {limit} characters" in refused.value.message
    url, body = request_for(data, "a" * (limit + 1))
    response = manager.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert str(limit) in response.json()["detail"]

    command(data, pm, "c" * limit)
    url, body = request_for(data, "a" * limit)
    response = manager.post(url, body, format="json")
    assert response.status_code in (200, 201), response.content
