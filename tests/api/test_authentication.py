"""Token and session authentication through the API; tokens are hashed and revocable."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portfolio.api_platform.models import ApiToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_anonymous_request_is_401_with_the_token_scheme_named(client_for):
    response = client_for(None).get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"


def test_token_authenticates_and_is_stored_only_as_its_sha256(make_user, client):
    user = make_user("ida", "api_readers")
    token, secret = ApiToken.issue(user)

    response = client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 200
    assert response.json() == {
        "username": "ida",
        "roles": ["api_readers"],
        "authenticated_by": "token",
    }
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(getattr(token, f.attname)) for f in ApiToken._meta.fields}
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Token pf_not-a-real-token", "Token", "Token a b", "token pf_wrong"],
)
def test_bad_token_is_401(client, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoked_token_stops_working(make_user, client):
    user = make_user("ida")
    token, secret = ApiToken.issue(user)
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200

    token.revoke()

    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_token_of_a_deactivated_user_stops_working(make_user, client):
    user = make_user("ida")
    _, secret = ApiToken.issue(user)
    user.is_active = False
    user.save()

    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_session_of_a_logged_in_browser_is_accepted(make_user, client):
    client.force_login(make_user("ida", "steering_group"))

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["authenticated_by"] == "session"


def test_session_posts_need_the_csrf_token(make_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("ida", "steering_group"))

    response = browser.post(ME, {}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_create_api_token_prints_a_working_token_once(make_user, client):
    make_user("ida", "api_readers")
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "ida", "--name", "etl", stdout=out, stderr=err)

    secret = out.getvalue().strip()
    assert secret.startswith("pf_") and len(secret) > 40
    assert "not shown again" in err.getvalue()
    assert ApiToken.objects.get().name == "etl"
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())


def test_revoke_api_token_command(make_user, client):
    user = make_user("ida")
    token, secret = ApiToken.issue(user)

    call_command("revoke_api_token", "--hint", token.hint, stdout=io.StringIO())

    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401


def test_admin_issues_a_token_showing_the_secret_once_and_revokes(make_user, client):
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    ida = make_user("ida")
    client.force_login(admin)

    response = client.post("/admin/api/apitoken/add/", {"user": ida.pk, "name": "etl"}, follow=True)

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    secret = next(w for m in shown for w in m.split() if w.startswith("pf_"))
    token = ApiToken.objects.get(user=ida)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert client.get("/admin/api/apitoken/").status_code == 200
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    client.logout()
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
