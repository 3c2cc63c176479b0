"""`Idempotency-Key` on POSTs: a retried request gets the first answer and appends nothing.

The first request with a key claims it (inserts its row) before its command runs, in the same
transaction as the command and its answer. A retry that races it waits at that insert until the
first commits, then reads its answer; if the first failed, its claim rolled back and the retry
runs the command itself. The key is also the command id (scoped by user), so the event store
would refuse a second append besides.

Answers are kept for KEPT_FOR (the README states it) and then forgotten (`forget_expired`, from
beat or `manage.py forget_idempotency_keys`). A key reused after that runs its command again,
which the event store answers without appending, as it remembers command ids for good.
"""

import functools
import hashlib
import json
import re
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotentResponse
from .problems import UnprocessableContent

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("ETag", "Location", "Content-Location")
KEPT_FOR = timedelta(hours=24)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def command_id_for(user, key: str, operation: str) -> str:
    """Return the event-store command id of `user`'s request to `operation` (method and path)
    with this idempotency key. The event store keeps command ids for ever, the stored answers
    only for a while: a key used again later for another operation must not find the first
    one's result."""
    return "api:" + _digest(str(user.pk), operation, key)


def command_id(request) -> str | None:
    """Return the command id of this request: from its Idempotency-Key, else None."""
    return getattr(request, "command_id", None)


_KEY = re.compile(r"[^\x00-\x1f\x7f-\x9f]{1,200}")  # no control characters, as the schema says


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not _KEY.fullmatch(key):  # the schema's pattern
        raise ValidationError({HEADER: [_("Give 1 to 200 printable characters, e.g. a UUID.")]})
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


def _claim(request, key: str, fingerprint: str) -> IdempotentResponse | None:
    """Insert this key's row, or return None when another request holds the key.

    The insert waits while a concurrent request's claim of the key is not committed yet.
    """
    expired = IdempotentResponse.objects.filter(created_at__lt=timezone.now() - KEPT_FOR)
    expired.filter(user=request.user, key=key).delete()
    try:
        with transaction.atomic():
            return IdempotentResponse.objects.create(
                user=request.user, key=key, fingerprint=fingerprint, status=0
            )
    except IntegrityError:
        return None


def _store(claim: IdempotentResponse, response: Response) -> None:
    claim.status = response.status_code
    claim.body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
    claim.headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    claim.save(update_fields=["status", "body", "headers"])


def forget_expired(now: datetime | None = None) -> int:
    """Delete the answers stored longer than KEPT_FOR ago; return how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    return IdempotentResponse.objects.filter(created_at__lt=cutoff).delete()[0]


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
        with transaction.atomic():
            claim = _claim(request, key, fingerprint)
            if claim is None:
                return _replay(
                    IdempotentResponse.objects.get(user=request.user, key=key), fingerprint
                )
            request.command_id = command_id_for(
                request.user, key, f"{request.method} {request.path}"
            )
            # An exception rolls the claim back with the command; so does a refusal.
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300 and isinstance(response, Response):
                _store(claim, response)
            else:
                claim.delete()
            return response

    return wrapper
