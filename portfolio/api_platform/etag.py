"""Conditional requests: `ETag` is the stream version, `If-None-Match` → 304, `If-Match` → 412.

A stream's version only grows, so it names a representation exactly; the ETag is the version as
a strong validator, `"7"`. A write's `If-Match` becomes the command's expected version, so a
stale one fails inside the same transaction that would have appended (never check-then-write).
"""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


def etag(version: int) -> str:
    """Return the strong entity tag of a stream at `version`."""
    return f'"{version}"'


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def not_modified(request, version: int) -> Response | None:
    """Return a 304 response when the client's `If-None-Match` names `version`, else None."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    current = etag(version)
    # If-None-Match uses the weak comparison: W/"7" matches "7".
    tags = [t.removeprefix("W/") for t in _tags(header)]
    if "*" in tags or current in tags:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": current})
    return None


def expected_version(request) -> int | None:
    """Return the stream version the client's `If-Match` names, or None when it sent none.

    `If-Match: *` means "whatever the current version is", so it checks nothing. A weak tag
    never matches under If-Match (RFC 9110 §13.1.1), so it is refused as a bad header.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tags = _tags(header)
    if len(tags) == 1:
        tag = tags[0]
        inner = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag
        if inner.isdigit() and len(inner) < 10:
            return int(inner)
    raise ValidationError({"If-Match": ['Give one strong entity tag from an ETag, e.g. "3".']})


def with_etag(response: Response, version: int) -> Response:
    """Set the response's `ETag` to the stream version and return it."""
    response["ETag"] = etag(version)
    return response
