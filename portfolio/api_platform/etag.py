"""Conditional requests: `ETag` names a representation, `If-None-Match` → 304, `If-Match` → 412.

A body embeds more than its own stream (a project shows its tracks' biggest risks) and some of
it is derived from the clock (a milestone becomes overdue overnight), so the version alone
would name a stale body. The ETag is the stream version and a digest of the body, `"7-1f0c…"`:
it changes whenever the body does. A write's `If-Match` becomes the command's expected version,
read from the tag's version part, so a stale one fails inside the same transaction that would
have appended (never check-then-write); the write changes only that stream.
"""

import hashlib

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

DIGEST_LENGTH = 16  # hex digits of the body's SHA-256: a name, not a security measure


def etag(value) -> str:
    """Return the strong entity tag of a value (a report's SHA-256)."""
    return f'"{value}"'


def representation_tag(version: int, body) -> str:
    """Return the entity tag of a stream at `version` shown as `body` (JSON data)."""
    # orjson: the body is written once more only to be hashed, and json.dumps took as long as
    # rendering it.
    text = orjson.dumps(body, default=_ENCODER.default, option=_CANONICAL)
    digest = hashlib.sha256(text).hexdigest()[:DIGEST_LENGTH]
    return etag(f"{version}-{digest}")


_ENCODER = DjangoJSONEncoder()  # what orjson does not write itself (lazy text, Decimal)
_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def not_modified(request, tag: str) -> Response | None:
    """Return a 304 response when the client's `If-None-Match` names `tag`, else None."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    # If-None-Match uses the weak comparison: W/"7" matches "7".
    tags = [t.removeprefix("W/") for t in _tags(header)]
    if "*" in tags or tag in tags:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return None


def conditional(request, body, version: int) -> Response:
    """Return 304 when the client holds this representation, else `body` with its ETag."""
    tag = representation_tag(version, body)
    cached = not_modified(request, tag)
    if cached is not None:
        return cached
    return Response(body, headers={"ETag": tag})


def expected_version(request) -> int | None:
    """Return the stream version the client's `If-Match` names, or None when it sent none.

    `If-Match: *` means "whatever the current version is", so it checks nothing. The tag is one
    this API gave out (`"7-1f0c…"`) or the bare version (`"7"`). A weak tag never matches under
    If-Match (RFC 9110 §13.1.1), so it is refused as a bad header.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tags = _tags(header)
    if len(tags) == 1:
        tag = tags[0]
        inner = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag
        version, dash, digest = inner.partition("-")
        plausible = not dash or (len(digest) == DIGEST_LENGTH and _is_hex(digest))
        if version.isdigit() and len(version) < 10 and plausible:
            return int(version)
    raise ValidationError({"If-Match": [_('Give one strong entity tag from an ETag, e.g. "3".')]})


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def with_etag(response: Response, version: int) -> Response:
    """Set the response's `ETag` to the stream version with its body, and return it."""
    response["ETag"] = representation_tag(version, response.data)
    return response
