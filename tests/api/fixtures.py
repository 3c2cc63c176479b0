"""Users in each role and API clients that authenticate as them (with a clean throttle):
fixtures of every test that speaks to the API, loaded by tests/conftest.py."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from rest_framework.test import APIClient

from portfolio import roles
from portfolio.api_platform import throttling
from portfolio.api_platform.models import ApiToken

ROLE_USERS = {
    "reader": roles.API_READERS,
    "manager": roles.PROJECT_MANAGERS,
    "other_manager": roles.PROJECT_MANAGERS,
    "steering": roles.STEERING_GROUP,
    "admin": roles.ADMINISTRATORS,
}


@pytest.fixture
def fresh_throttle():
    throttling.reset()
    caches[settings.API_THROTTLE_CACHE].clear()


@pytest.fixture
def make_user(db):
    def make(username: str, *role_names: str):
        user = get_user_model().objects.create_user(username, password="pw-" + username)
        for name in role_names:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        return user

    return make


@pytest.fixture
def users(make_user) -> dict:
    """One user per role; `other_manager` manages nothing the tests touch."""
    return {name: make_user(name, role) for name, role in ROLE_USERS.items()}


@pytest.fixture
def client_for(fresh_throttle):
    """Return an APIClient that sends `Authorization: Token …` for `user` (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            _, secret = ApiToken.issue(user, name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make


@pytest.fixture
def reader(users, client_for):
    return client_for(users["reader"])


@pytest.fixture
def manager(users, client_for):
    return client_for(users["manager"])
