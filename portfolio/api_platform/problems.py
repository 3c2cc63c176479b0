"""Every API error as `application/problem+json` (RFC 9457), from one exception handler.

A problem names the HTTP status, a short title, the detail, a machine-readable `code` and, when
one field is at fault, that `field`; validation errors list every field in `errors`.
"""

import json
import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

from portfolio.error_words import translate_error
from portfolio.errors import DomainError
from portfolio.eventstore.errors import ConcurrencyConflict, InvalidEvent

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
# The database refused, dropped or timed out the connection: the client should come back soon.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER = 5  # seconds; about what a restart of the database takes

DOMAIN_STATUS = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "not_found": status.HTTP_404_NOT_FOUND,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "closed": status.HTTP_409_CONFLICT,
    "gone": status.HTTP_410_GONE,
    "taken": status.HTTP_409_CONFLICT,
}


class UnprocessableContent(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


NOT_YET_RECORDED = "https://portefolje.invalid/problems/not-yet-recorded"
WITHDRAWN = "https://portefolje.invalid/problems/withdrawn"


class NotYetRecorded(exceptions.NotFound):
    """The resource exists, but the log held nothing of it at the `as_of` asked for."""

    default_code = "not_yet_recorded"
    problem_type = NOT_YET_RECORDED

    def __init__(self, field: str = "as_of"):
        super().__init__(
            _("Nothing of this was recorded yet at %(field)s; it exists now.") % {"field": field}
        )
        self.field = field


class Gone(exceptions.APIException):
    """The milestone or risk was withdrawn by the point read: its history keeps it."""

    status_code = status.HTTP_410_GONE
    default_detail = gettext_lazy("This was withdrawn; the project's history keeps it.")
    default_code = "withdrawn"
    problem_type = WITHDRAWN
    field = None


TYPED_PROBLEMS = (NotYetRecorded, Gone)
DOMAIN_TYPE = {"gone": WITHDRAWN}  # the domain's refusal of a command on a withdrawn member


class ProblemResponse(HttpResponse):
    """A problem-details response, rendered here so every error is JSON whatever was asked."""

    def __init__(self, status_code: int, detail: str, *, code: str, **extra):
        problem = {
            "type": "about:blank",
            "title": HTTPStatus(status_code).phrase,
            "status": status_code,
            "detail": detail,
            "code": code,
            **{k: v for k, v in extra.items() if v is not None},
        }
        super().__init__(
            json.dumps(problem, cls=DjangoJSONEncoder, ensure_ascii=False),
            status=status_code,
            content_type=PROBLEM_JSON,
        )
        self.problem = problem


def _flatten(detail, prefix: str = "") -> list[dict]:
    """Return DRF validation details as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            if key == "non_field_errors":
                name = prefix
            elif isinstance(key, int):  # an item of a list field
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else key
            items.extend(_flatten(value, name))
        return items
    if isinstance(detail, list):
        if all(isinstance(d, exceptions.ErrorDetail | str) for d in detail):
            return [
                {"field": prefix or None, "message": str(d), "code": getattr(d, "code", "invalid")}
                for d in detail
            ]
        items = []
        for index, value in enumerate(detail):
            items.extend(_flatten(value, f"{prefix}[{index}]" if prefix else f"[{index}]"))
        return items
    return [{"field": prefix or None, "message": str(detail), "code": getattr(detail, "code", "")}]


def _validation_problem(exc: exceptions.ValidationError) -> ProblemResponse:
    errors = _flatten(exc.detail)
    first = errors[0] if errors else {"field": None, "message": "Invalid input."}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return ProblemResponse(400, detail, code="invalid", field=first["field"], errors=errors or None)


def _api_problem(exc: exceptions.APIException) -> ProblemResponse:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    codes = exc.get_codes()
    response = ProblemResponse(
        exc.status_code, str(detail), code=codes if isinstance(codes, str) else exc.default_code
    )
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        response["Retry-After"] = str(int(exc.wait))
    return response


def database_unavailable() -> ProblemResponse:
    """Return the 503 problem a request gets while the database is away."""
    response = ProblemResponse(
        503, _("The database is unavailable for a moment; try again shortly."), code="unavailable"
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def exception_handler(exc: Exception, context: dict) -> HttpResponse:
    """DRF's EXCEPTION_HANDLER: return the problem response for any exception a view raised."""
    request = context.get("request")
    set_rollback()
    if isinstance(exc, DomainError):
        said = translate_error(exc)
        return ProblemResponse(
            DOMAIN_STATUS.get(exc.code, 400),
            f"{exc.field}: {said}" if exc.field else said,
            code=exc.code,
            field=exc.field or None,
            type=DOMAIN_TYPE.get(exc.code),
        )
    if isinstance(exc, ConcurrencyConflict):
        # A client that sent If-Match asked for "only if unchanged": that is a 412. Without it
        # the write lost a race with another one: 409, and the client should read and retry.
        if request is not None and request.headers.get("If-Match"):
            status_code, code = 412, "precondition_failed"
        else:
            status_code, code = 409, "conflict"
        return ProblemResponse(
            status_code,
            _("The resource has changed since you read it; read it again."),
            code=code,
            field="If-Match",
            current_version=exc.actual,
        )
    if isinstance(exc, InvalidEvent):
        return ProblemResponse(400, str(exc), code="invalid")
    if isinstance(exc, DATABASE_DOWN):
        logger.warning("Database unavailable: %s", exc)
        return database_unavailable()
    # What a client sent, not a fault of ours: a body over DATA_UPLOAD_MAX_MEMORY_SIZE, JSON or a
    # cursor nested deeper than Python's recursion limit, a value PostgreSQL cannot hold (a NUL
    # byte in a path id or a query), too many form fields.
    if isinstance(exc, RequestDataTooBig):
        return ProblemResponse(
            413, _("The request body is larger than the server takes."), code="too_large"
        )
    if isinstance(exc, RecursionError):
        return ProblemResponse(400, _("The input is nested too deeply."), code="invalid")
    if isinstance(exc, DataError):
        return ProblemResponse(
            400,
            "The request holds a value that cannot be stored or looked up"
            " (a NUL byte, or a number out of range).",
            code="invalid",
        )
    if isinstance(exc, SuspiciousOperation):
        return ProblemResponse(400, str(exc), code="invalid")
    if isinstance(exc, TYPED_PROBLEMS):
        return ProblemResponse(
            exc.status_code,
            str(exc.detail),
            code=exc.default_code,
            field=exc.field,
            type=exc.problem_type,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return _validation_problem(exc)
    if isinstance(exc, exceptions.APIException):
        return _api_problem(exc)
    view = context.get("view")
    logger.exception("Unhandled error in %s", type(view).__name__ if view else "an API view")
    return ProblemResponse(
        500, _("The server failed to answer; the error is logged."), code="error"
    )


@csrf_exempt
def not_found(request, *args, **kwargs) -> HttpResponse:
    """Answer any unknown URL under /api/ with a JSON 404 rather than the site's HTML page."""
    return ProblemResponse(
        404, _("No API endpoint at %(path)s.") % {"path": request.path}, code="not_found"
    )
