"""Every throttled API answer says the limit, what is left and when the window resets."""

import pytest

pytestmark = pytest.mark.django_db


def test_each_answer_counts_down_the_shared_limit(settings, reader):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }

    first = reader.get("/api/v1/areas/")
    second = reader.get("/api/v1/projects/")
    reader.get("/api/v1/areas/")
    refused = reader.get("/api/v1/areas/")

    assert first["RateLimit-Limit"] == "3"
    assert first["RateLimit-Remaining"] == "2"
    assert second["RateLimit-Remaining"] == "1"
    assert 0 < int(first["RateLimit-Reset"]) <= 60
    assert refused.status_code == 429
    assert refused["RateLimit-Remaining"] == "0"
