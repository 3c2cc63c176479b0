"""`Idempotency-Key` on POSTs: a retried request gets the first answer and appends nothing.

The key becomes the command id (scoped by user), so the event store itself refuses to append
twice even when two retries race. The first successful answer is stored as well, so a retry gets
the same body and status rather than a description of the state as it is now.
"""

import functools
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotentResponse
from .problems import UnprocessableContent

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("ETag", "Location", "Content-Location")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def command_id_for(user, key: str) -> str:
    """Return the event-store command id of `user`'s request with this idempotency key."""
    return "api:" + _digest(str(user.pk), key)


def command_id(request) -> str | None:
    """Return the command id of this request: from its Idempotency-Key, else None."""
    return getattr(request, "command_id", None)


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise ValidationError({HEADER: ["Give 1 to 200 printable characters, e.g. a UUID."]})
    return key


def _fingerprint(request) -> str:
    body = json.dumps(request.data, cls=DjangoJSONEncoder, sort_keys=True)
    return _digest(request.method, request.path, body)


def _replay(stored: IdempotentResponse, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise UnprocessableContent(
            f"This {HEADER} was used for a different request; use a new key.", "key_reused"
        )
    headers = {**stored.headers, "Idempotent-Replayed": "true"}
    return Response(stored.body, status=stored.status, headers=headers)


def _store(request, key: str, fingerprint: str, response: Response) -> Response:
    body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
    headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    try:
        with transaction.atomic():
            IdempotentResponse.objects.create(
                user=request.user,
                key=key,
                fingerprint=fingerprint,
                status=response.status_code,
                body=body,
                headers=headers,
            )
    except IntegrityError:
        # A concurrent retry stored its answer first; both appended once (same command id),
        # so answer what it answered.
        stored = IdempotentResponse.objects.get(user=request.user, key=key)
        return _replay(stored, fingerprint)
    return response


def idempotent(handler):
    """Decorate an APIView's `post` so an `Idempotency-Key` makes retries safe.

    The handler reads its command id with `command_id(request)` and passes it to the command.
    Only successful (2xx) answers are stored: a refused command appended nothing, so a retry
    after fixing the cause should run again.
    """

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        stored = IdempotentResponse.objects.filter(user=request.user, key=key).first()
        if stored is not None:
            return _replay(stored, fingerprint)
        request.command_id = command_id_for(request.user, key)
        response = handler(view, request, *args, **kwargs)
        if 200 <= response.status_code < 300 and isinstance(response, Response):
            return _store(request, key, fingerprint, response)
        return response

    return wrapper
