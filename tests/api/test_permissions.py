"""Roles through HTTP: anonymous 401, readers read only, managers write their own projects."""

import pytest

from .toy import seed

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.toy")]

ROLES = ["anonymous", "reader", "manager", "other_manager", "steering", "admin"]

# Every toy write endpoint × every role: the status each gets.
MATRIX = {
    "/toy/counters/c1/bump/": {
        "anonymous": 401,
        "reader": 403,
        "manager": 200,
        "other_manager": 403,
        "steering": 403,
        "admin": 200,
    },
    "/toy/projects/": {
        "anonymous": 401,
        "reader": 403,
        "manager": 201,
        "other_manager": 201,
        "steering": 403,
        "admin": 201,
    },
    "/toy/decisions/": {
        "anonymous": 401,
        "reader": 403,
        "manager": 403,
        "other_manager": 403,
        "steering": 201,
        "admin": 201,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(MATRIX))
def test_write_permission_matrix(users, client_for, url, role):
    seed()
    client = client_for(users.get(role))

    response = client.post(url, {"by": 1}, format="json")

    assert response.status_code == MATRIX[url][role], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_and_anonymous_is_401(users, client_for, role):
    seed()

    response = client_for(users.get(role)).get("/toy/counters/c1/")

    assert response.status_code == (401 if role == "anonymous" else 200)


def test_read_only_endpoint_refuses_writes_even_to_admins(users, client_for):
    response = client_for(users["admin"]).post("/toy/fail/invalid/", {}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_method_a_view_lacks_is_405_not_403(users, client_for):
    response = client_for(users["reader"]).post("/api/v1/events/", {}, format="json")

    assert response.status_code == 405


def test_unknown_resource_is_404_before_403(users, client_for):
    response = client_for(users["reader"]).post("/toy/counters/nope/bump/", {"by": 1})

    assert response.status_code == 404
