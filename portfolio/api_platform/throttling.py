"""Throttle per token (or per user for sessions, per address for anonymous requests).

Counts live in the `api` cache: Redis when the settings name one, so every gunicorn worker
shares one count; local memory otherwise (the zero-setup run, one process).
"""

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):
        return caches[getattr(settings, "API_THROTTLE_CACHE", "default")]

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
            return super().allow_request(request, view)
        except Exception:
            # A throttle is a guard, not a dependency: with its cache down, serve rather than fail.
            logger.warning("API throttle cache unavailable; request let through", exc_info=True)
            return True
