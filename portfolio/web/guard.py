"""Refuse control characters in a request's path and query string, before any view reads them.

PostgreSQL cannot store or compare NUL in text, so an id holding one reached the database as an
error (a 500); the other control characters have no business in a URL either. Tab, line feed and
the rest are refused alike, so a view never has to think about them: a path holding one names
nothing (404), a query holding one is a bad request (400).
"""

import re
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse

from portfolio.api_platform import problems

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refusal(request: HttpRequest) -> tuple[int, str] | None:
    """Return the status and the part of the URL at fault ("path", "query"), else None."""
    if CONTROL.search(request.path_info):
        return 404, "path"
    query = request.META.get("QUERY_STRING", "")
    if CONTROL.search(unquote(query.replace("+", " "), errors="replace")):
        return 400, "query"
    return None


class ControlCharacterMiddleware:
    """Answer 404 or 400 to a request whose path or query holds a control character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = _refusal(request)
        if refusal is None:
            return self.get_response(request)
        status, where = refusal
        message = f"The {where} holds a control character (such as NUL)."
        if request.path_info.startswith("/api/"):
            code = "not_found" if status == 404 else "invalid"
            return problems.ProblemResponse(status, message, code=code, field=where)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
