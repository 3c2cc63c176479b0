"""Every moment the API writes is RFC 3339 in UTC with Z, whatever the site's time zone."""

import re

import pytest

from . import portfolio_data

pytestmark = pytest.mark.django_db

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
MOMENT_KEYS = ("when", "known_at", "recorded_at", "imported_at", "created_at")


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def moments(value, found=None) -> list[str]:
    """Return every value under a key that names a moment, anywhere in a JSON body."""
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key in MOMENT_KEYS and isinstance(item, str):
                found.append(item)
            else:
                moments(item, found)
    elif isinstance(value, list):
        for item in value:
            moments(item, found)
    return found


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/?limit=1000",
        "/api/v1/projects/alpha/history/?limit=1000",
        "/api/v1/projects/alpha/changes/",
    ],
)
def test_moments_are_utc_with_z(data, reader, url):
    body = reader.get(url).json()

    found = moments(body)

    assert found, "the answer names no moment"
    assert [m for m in found if not RFC3339_UTC.match(m)] == []


def test_a_webhook_shows_when_it_was_created_in_utc(users, client_for, data):
    admin = client_for(users["admin"])
    created = admin.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "kinds": ["Milestone.*"]},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert RFC3339_UTC.match(created.json()["created_at"])
