"""Logins are throttled per user name and per address; every page sends a strict CSP."""

import pytest
from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _log_in(client: Client, url: str, username: str, password: str, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_a_user_name_is_locked_after_too_many_failures_even_with_the_right_password(
    client, manager, limit, url
):
    # given: the limit of wrong passwords for dsl, each from its own address
    answers = [
        _log_in(client, url, "dsl", "wrong", address=f"203.0.113.{n}").status_code
        for n in range(limit)
    ]
    assert answers == [200] * (limit - 1) + [429]  # the form with its error, then the lock

    # when: the right password, from yet another address
    response = _log_in(client, url, "dsl", PASSWORD, address="198.51.100.1")

    # then: refused, and not logged in, told why in Danish (the product's first language)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert f"Der var {limit} mislykkede login i træk" in response.content.decode()


def test_an_address_is_locked_after_too_many_failures_whatever_the_user_name(
    client, manager, limit
):
    # given: one address tries several user names
    for n in range(limit):
        _log_in(client, "/login/", f"guess{n}", "wrong")

    # when: a real user's right password from that address
    response = _log_in(client, "/login/", "dsl", PASSWORD)

    # then
    assert response.status_code == 429

    # and from another address the same user logs in
    response = _log_in(client, "/login/", "dsl", PASSWORD, address="198.51.100.1")
    assert response.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, manager, limit):
    for _ in range(limit - 1):
        _log_in(client, "/login/", "dsl", "wrong")
    assert _log_in(client, "/login/", "dsl", PASSWORD).status_code == 302
    client.post("/logout/")

    for _ in range(limit - 1):
        _log_in(client, "/login/", "dsl", "wrong")

    assert _log_in(client, "/login/", "dsl", PASSWORD).status_code == 302


@pytest.mark.parametrize("url", ["/login/", "/admin/login/", "/api/docs/"])
def test_html_pages_send_a_content_security_policy(client, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_pages_after_login_send_it_too(client, manager):
    client.force_login(manager)

    policy = client.get("/")["Content-Security-Policy"]

    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
