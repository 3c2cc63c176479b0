"""One log line per request, and the request id every line of a request (and its tasks) carries.

The id comes from an incoming `X-Request-ID` when it looks like one, else a new one; it goes
back in the response's `X-Request-ID` and into the headers of the Celery tasks the request
sends (ops/worker.py), so a report's task logs under the request that asked for it.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
# Ids from proxies and clients: UUIDs, trace ids, their usual punctuation; nothing that could
# forge another log line or field.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# The request being served (its user is known only once a view authenticated it), or in a
# worker the id of the user whose request sent the task.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
task_user_id: ContextVar[int | None] = ContextVar("task_user_id", default=None)

log = logging.getLogger("portefolje.request")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_user_id() -> int | None:
    """Return the id of the user the current request or task acts for, if known."""
    request = current_request.get()
    if request is not None:
        return _user_id(request)
    return task_user_id.get()


def accepted_request_id(incoming: str | None) -> str:
    """Return the incoming id if it is sane, else a new one."""
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return new_request_id()


class ContextFilter(logging.Filter):
    """Give every record the request id and user id of the request or task it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        if not hasattr(record, "user_id"):
            record.user_id = current_user_id()
        return True


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # Only a user the request already looked up: resolving a lazy one would cost a session
    # read and a query on requests that never needed it.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Set the request id, answer it in `X-Request-ID`, and log the request when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accepted_request_id(request.headers.get(HEADER))
        request.request_id = rid
        rid_token, request_token = request_id.set(rid), current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            uid = _user_id(request)
            match = getattr(request, "resolver_match", None)
            route = match.route if match else None
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            log.log(
                level,
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": uid,
                },
            )
            return response
        finally:
            request_id.reset(rid_token)
            current_request.reset(request_token)
