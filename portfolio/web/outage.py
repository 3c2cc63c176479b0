"""A database outage answers 503 with Retry-After, for pages and the API, instead of a 500."""

import logging
import sys

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from portfolio.api_platform import problems

logger = logging.getLogger(__name__)


class DatabaseOutageMiddleware:
    """Turn a view's lost or refused database connection into a 503 the client can retry.

    The API's own views answer through problems.exception_handler; this covers the pages and
    the rest. The page is rendered without the request, so nothing on it asks the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, problems.DATABASE_DOWN):
            return None
        return _unavailable(request, exc)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: an outage raised outside a view, where the middleware above does not
    see it (a middleware saving the session), is a 503 as well."""
    exc = sys.exc_info()[1]
    if isinstance(exc, problems.DATABASE_DOWN):
        return _unavailable(request, exc)
    return defaults.server_error(request)


def _unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.warning("Database unavailable: %s", exc)
    if request.path.startswith("/api/"):
        return problems.database_unavailable()
    page = render_to_string("503.html", {"retry_after": problems.RETRY_AFTER})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(problems.RETRY_AFTER)
    return response
