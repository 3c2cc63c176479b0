"""Errors answer application/problem+json naming the field; unknown /api/ URLs are JSON 404s."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.toy")]

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        ("invalid", 400, "Bad Request"),
        ("not_found", 404, "Not Found"),
        ("forbidden", 403, "Forbidden"),
        ("closed", 409, "Conflict"),
    ],
)
def test_domain_error_becomes_a_problem_naming_its_field(reader, kind, status, title):
    response = reader.get(f"/toy/fail/{kind}/")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": f"title: a {kind} title",  # the subject first
        "code": kind,
        "field": "title",
    }


def test_unexpected_error_is_a_500_problem_without_internals(reader, caplog):
    response = reader.get("/toy/fail/crash/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= body.keys() and "boom" not in response.content.decode()
    assert "boom" in caplog.text  # logged for the operators


def test_validation_errors_list_every_field(users, client_for):
    from .toy import seed

    seed()
    manager = client_for(users["manager"])

    response = manager.post("/toy/counters/c1/bump/", {"by": 99}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["field"] == "by"
    assert body["errors"] == [
        {"field": "by", "message": body["errors"][0]["message"], "code": "max_value"}
    ]
    assert body["detail"].startswith("by: ")


def test_bad_query_parameter_names_the_parameter(reader):
    response = reader.get("/api/v1/events/?limit=0&after=x")

    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"limit", "after"}


def test_malformed_json_is_a_problem(users, client_for):
    manager = client_for(users["manager"])

    response = manager.post("/toy/projects/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_wrong_method_is_405_problem(reader):
    response = reader.delete("/api/v1/events/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "url", ["/api/nowhere", "/api/v1/nothing/here/", "/api/v2/events/", "/api/v1/events"]
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_url_is_a_json_404_for_anyone(client, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_errors_are_json_even_when_csv_or_html_was_asked(reader):
    response = reader.get("/toy/fail/invalid/", HTTP_ACCEPT="text/html")

    assert response["Content-Type"] == "application/problem+json"
