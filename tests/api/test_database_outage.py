"""While the database refuses connections, the API and the pages answer 503 with Retry-After."""

import pytest
from django.db import connection
from django.test import Client

from portfolio.api_platform import problems
from tests.redis_server import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down(monkeypatch):
    """Point the connection at a port nothing listens on, as during a database restart."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", free_port())
    yield
    monkeypatch.undo()
    connection.close()


def test_the_api_and_the_pages_answer_503_with_retry_after(users, client_for, request):
    # given a signed-in reader of the API and of the pages
    api = client_for(users["reader"])
    page = Client()
    page.force_login(users["steering"])
    assert api.get("/api/v1/me/").status_code == 200
    assert page.get("/").status_code == 200
    # when the database refuses connections
    request.getfixturevalue("database_down")
    answer = api.get("/api/v1/projects/")
    shown = page.get("/")
    # then the API answers a problem the client may retry
    assert answer.status_code == 503
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Retry-After"] == str(problems.RETRY_AFTER)
    assert answer.json()["code"] == "unavailable"
    # and the page says so, without asking the database for anything
    assert shown.status_code == 503 and shown["Retry-After"] == str(problems.RETRY_AFTER)
    assert "Utilgængelig et øjeblik" in shown.content.decode()


def test_an_api_write_while_the_database_is_down_is_503(users, client_for, request):
    api = client_for(users["steering"])
    request.getfixturevalue("database_down")

    answer = api.post("/api/v1/reports/", {"kind": "portfolio"}, format="json")

    assert answer.status_code == 503 and answer["Retry-After"]


def test_an_outage_in_a_middleware_after_the_view_is_503_not_500(users, monkeypatch):
    # given a signed-in page client, and a session middleware whose save meets the outage
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.db import OperationalError

    page = Client(raise_request_exception=False)
    page.force_login(users["steering"])

    def refused(self, request, response):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionMiddleware, "process_response", refused)

    # when
    shown, answer = page.get("/"), page.get("/api/v1/me/")

    # then the page and the API both say to come back, not that the server broke
    assert shown.status_code == 503 and shown["Retry-After"] == str(problems.RETRY_AFTER)
    assert "Utilgængelig et øjeblik" in shown.content.decode()
    assert answer.status_code == 503 and answer["Content-Type"] == "application/problem+json"
