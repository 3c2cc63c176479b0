"""Client input through the API: oversize, nesting, NUL bytes, odd dates, unknown fields."""

import base64
import json

import pytest

from tests import factories

from . import portfolio_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def replan_url(data) -> str:
    return f"/api/v1/milestones/{data.m['Udrulning']}/replan/"


def test_a_body_over_the_upload_limit_is_a_413(data, users, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    body = json.dumps({"planned_on": "2027-03-01", "reason": "x" * 10_000_000})

    response = client_for(users["manager"]).post(
        replan_url(data), body, content_type="application/json"
    )

    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_json_nested_thousands_deep_is_a_400(data, users, client_for):
    body = "[" * 5000 + "]" * 5000

    response = client_for(users["manager"]).post(
        replan_url(data), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content


def test_a_cursor_of_nested_brackets_is_a_400_not_a_500(data, users, client_for):
    cursor = base64.b64encode(("[" * 50_000).encode()).decode()

    response = client_for(users["reader"]).get("/api/v1/milestones/", {"cursor": cursor})

    assert response.status_code in (400, 404), response.content


@pytest.mark.parametrize("path", ["/api/v1/milestones/a%00b/", "/api/v1/projects/a%00b/"])
def test_a_nul_byte_in_a_path_id_is_not_a_500(data, users, client_for, path):
    response = client_for(users["reader"]).get(path)

    assert response.status_code in (400, 404), response.content


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_a_day_outside_1990_to_2100_is_refused_naming_the_field(data, users, client_for, day):
    manager = client_for(users["manager"])

    response = manager.post(
        replan_url(data), {"planned_on": day, "reason": "Leverandør"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["field"] == "planned_on"
    assert "1990-01-01" in response.json()["detail"]
    kept = manager.get(f"/api/v1/milestones/{data.m['Udrulning']}/").json()
    assert kept["planned_on"] != day


def test_a_day_inside_the_range_is_taken(data, users, client_for):
    manager = client_for(users["manager"])

    response = manager.post(
        replan_url(data), {"planned_on": "2099-12-31", "reason": "Leverandør"}, format="json"
    )

    assert response.status_code == 200, response.content


def test_an_unknown_field_is_refused_naming_it_and_nothing_changes(data, users, client_for):
    manager = client_for(users["manager"])
    url = f"/api/v1/milestones/{data.m['Udrulning']}/"
    before = manager.get(url).json()

    response = manager.post(
        replan_url(data),
        {"planned_on": "2027-03-01", "reason": "Leverandør", "plannedOn": "2027-04-01"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert response.json()["field"] == "plannedOn"
    assert manager.get(url).json() == before


def test_a_form_body_is_refused_as_json_only(users, client_for):
    project = factories.project(users["manager"], slug="alpha")
    milestone = factories.milestone(users["manager"], project, title="Pilot")
    manager = client_for(users["manager"])

    response = manager.post(
        f"/api/v1/milestones/{milestone}/retitle/", {"title": "Ny"}, format="multipart"
    )

    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/problem+json")
    assert manager.get(f"/api/v1/milestones/{milestone}/").json()["title"] == "Pilot"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "X", "area": "kommuner", "managers": [0]}, "managers"),
        ({"title": 5, "area": "kommuner"}, "title"),
    ],
)
def test_a_number_where_text_is_due_is_refused_naming_the_field(users, client_for, body, field):
    factories.area(slug="kommuner")

    response = client_for(users["admin"]).post("/api/v1/projects/", body, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_write_with_query_parameters_is_refused_naming_them(users, client_for):
    factories.area(slug="kommuner")
    body = {"title": "X", "area": "kommuner"}

    response = client_for(users["admin"]).post("/api/v1/projects/?format=csv", body, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "format"
    assert client_for(users["admin"]).get("/api/v1/projects/").json()["results"] == []
