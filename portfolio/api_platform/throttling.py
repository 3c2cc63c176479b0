"""Throttle per token (or per user for sessions, per address for anonymous requests).

Counts live in the `api` cache: Redis when the settings name one, so every gunicorn worker
shares one count; local memory otherwise (the zero-setup run, one process).

When Redis fails (down, or too slow for its short timeouts) the throttle fails open to a count in
this process's memory, for SHARED_RETRY seconds before it tries Redis again: each process then
enforces the rate on its own, so a client may get a few times the rate while Redis is away, but
a Redis outage never becomes an API outage and a flood is still slowed. The fallback is logged
and counted (portfolio.degraded).
"""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from portfolio import degraded

from .models import ApiToken

SHARED_RETRY = 5.0
_local = LocMemCache("api-throttle-fallback", {})
_shared_down_until = 0.0
_lock = threading.Lock()


def _shared_is_down() -> bool:
    return time.monotonic() < _shared_down_until


def reset() -> None:
    """Forget a past failure of the shared cache, and the local counts."""
    global _shared_down_until
    with _lock:
        _shared_down_until = 0.0
    _local.clear()


def _shared_failed(error: Exception) -> None:
    global _shared_down_until
    with _lock:
        _shared_down_until = time.monotonic() + SHARED_RETRY
    degraded.record("API throttle cache", error)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):
        name = getattr(settings, "API_THROTTLE_CACHE", "default")
        return _local if _shared_is_down() else caches[name]

    def get_rate(self) -> str | None:
        # Read the rate now, not at import as DRF does, so a settings change takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"addr:{self.get_ident(request)}"
        return f"throttle:{self.scope}:{ident}"

    def allow_request(self, request, view) -> bool:
        try:
            allowed = super().allow_request(request, view)
        except Exception as error:  # noqa: BLE001 - whatever the shared cache raised
            _shared_failed(error)
            allowed = super().allow_request(request, view)  # `cache` is the local one now
        if self.rate is not None:
            request._request.rate_limit = self._limit_headers()
        return allowed

    def _limit_headers(self) -> dict[str, str]:
        history = getattr(self, "history", [])
        reset = self.duration - (self.now - history[-1]) if history else self.duration
        return {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(max(self.num_requests - len(history), 0)),
            "RateLimit-Reset": str(max(int(reset + 0.999), 0)),
        }


class RateLimitHeaders:
    """Middleware: copy the throttle's count of this request onto its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in getattr(request, "rate_limit", {}).items():
            response[name] = value
        return response
