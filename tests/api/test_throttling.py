"""Requests are counted per token; past the rate the answer is 429 with Retry-After. With its
Redis down, the throttle fails open to a count in each process (api_platform/throttling.py)."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from portfolio import degraded
from portfolio.api_platform.models import ApiToken
from tests.redis_server import free_port

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def rate_3_per_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }


def test_fourth_request_in_a_minute_is_429_with_retry_after(rate_3_per_minute, users, client_for):
    client = client_for(users["reader"])

    statuses = [client.get(ME).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(ME)
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_count(rate_3_per_minute, users):
    one, two = APIClient(), APIClient()
    for client in (one, two):
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(users['reader'])[1]}")

    for _ in range(3):
        one.get(ME)

    assert one.get(ME).status_code == 429
    assert two.get(ME).status_code == 200


def test_counts_go_to_redis_when_it_is_configured(rate_3_per_minute, settings, users, client_for):
    # given: the throttle's cache pointed at Redis (db 3 is this suite's)
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "api-redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    settings.API_THROTTLE_CACHE = "api-redis"
    caches["api-redis"].clear()
    client = client_for(users["reader"])

    # when
    statuses = [client.get(ME).status_code for _ in range(4)]

    # then: the count lives in Redis, where every worker process would see it
    assert statuses == [200, 200, 200, 429]
    keys = redis.Redis.from_url(url).keys("*throttle:api:token:*")
    assert keys
    caches["api-redis"].clear()


def test_with_its_cache_down_the_throttle_counts_in_this_process_and_says_so(
    rate_3_per_minute, settings, users, client_for
):
    # given the throttle's cache on a Redis that is not there
    settings.CACHES = {
        **settings.CACHES,
        "api-down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": settings.REDIS_TIMEOUTS,
        },
    }
    settings.API_THROTTLE_CACHE = "api-down"
    client = client_for(users["reader"])
    before = degraded.counts().get("API throttle cache", 0)
    # when a client goes past the rate
    statuses = [client.get(ME).status_code for _ in range(4)]
    # then it is still throttled, by this process's own count, and the fallback was counted once
    assert statuses == [200, 200, 200, 429]
    assert degraded.counts()["API throttle cache"] == before + 1
