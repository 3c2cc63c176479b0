"""Turn new events into delivery rows, then send each subscription's deliveries in order.

`enqueue` follows the log by position: in one transaction it locks the checkpoint, reads the
events after it, inserts a delivery per matching (subscription, position) and moves the
checkpoint, so a crash either does all of it or none. `send_due` then works through each
subscription under a row lock, oldest position first, and stops at the first delivery that is
neither delivered nor given up: position N+1 never goes before N. A send is at least once.
"""

import http.client
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portfolio.api_platform import identities
from portfolio.api_platform.feed import events_json
from portfolio.eventstore import store

from . import signing
from .models import AREA, DELIVERED, FAILED, PENDING, PROJECT, Checkpoint, Delivery, Subscription

CHECKPOINT = "deliveries"
BATCH = 500


def matches_kind(kinds: list[str], event_type: str) -> bool:
    """Return whether an event type is one of `kinds` (a type, a `Prefix.*`, or `*`)."""
    for kind in kinds:
        if kind == "*" or kind == event_type:
            return True
        if kind.endswith(".*") and event_type.startswith(kind[:-1]):
            return True
    return False


def _in_scope(sub: Subscription, about: dict) -> bool:
    """Return whether an event is in the subscription's scope; `about` is the event's
    identities.subjects entry (its project and area, as the delivered body names them)."""
    if sub.scope not in (AREA, PROJECT):
        return True
    named = about["project"] if sub.scope == PROJECT else about["area"]
    return named is not None and named["id"] == sub.scope_id


def enqueue(batch: int = BATCH) -> tuple[int, int]:
    """Create the deliveries of the events after the checkpoint; return (events, deliveries)."""
    Checkpoint.objects.get_or_create(name=CHECKPOINT)
    with transaction.atomic():
        checkpoint = Checkpoint.objects.select_for_update().get(name=CHECKPOINT)
        # Events first, subscriptions after: a subscription committed in between starts at a
        # head that includes these events, so none it should have is passed over.
        head = store.head_position()
        events = store.read_all(after=checkpoint.position, limit=batch)
        subs = list(Subscription.objects.filter(active=True))
        if not subs:  # nobody listens: skip the log so far rather than scan it later
            checkpoint.position = max(checkpoint.position, head)
            checkpoint.save(update_fields=["position"])
            return 0, 0
        now, rows = timezone.now(), []
        for event, about in zip(events, identities.subjects(events), strict=True):
            for sub in subs:
                if event.position <= sub.after_position:
                    continue
                if matches_kind(sub.kinds, event.event_type) and _in_scope(sub, about):
                    rows.append(
                        Delivery(
                            subscription=sub,
                            position=event.position,
                            event_type=event.event_type,
                            next_attempt_at=now,
                        )
                    )
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        if events:
            checkpoint.position = events[-1].position
            checkpoint.save(update_fields=["position"])
        return len(events), len(rows)


def backoff(attempts: int) -> timedelta:
    """Return the wait after the `attempts`th failure: doubling, up to the maximum."""
    base = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(base, settings.WEBHOOK_BACKOFF_MAX_SECONDS))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx), not somewhere to send the event again


_opener = urllib.request.build_opener(_NoRedirect)


def post(sub: Subscription, delivery: Delivery, event: dict) -> int:
    """POST the event, signed; return the status code (raise OSError when nothing answers)."""
    if not sub.target_url.lower().startswith(("http://", "https://")):
        raise ValueError("Only http(s) URLs are called.")
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Portefolje-Webhooks/1",
        signing.SIGNATURE_HEADER: signing.signature(sub.secret, int(time.time()), body),
        "Idempotency-Key": str(delivery.position),
        "Portefolje-Event-Position": str(delivery.position),
        "Portefolje-Event-Type": delivery.event_type,
        "Portefolje-Subscription": str(sub.id),
    }
    request = urllib.request.Request(sub.target_url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def attempt(sub: Subscription, delivery: Delivery) -> bool:
    """Send one delivery and record the outcome; return whether it is finished."""
    [event] = store.read_positions([delivery.position])
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        code = post(sub, delivery, events_json([event])[0])
        delivery.status_code, delivery.last_error = (
            code,
            "" if 200 <= code < 300 else f"HTTP {code}",
        )
    except (OSError, ValueError, http.client.HTTPException) as error:
        delivery.status_code, delivery.last_error = None, str(error)[:1000] or type(error).__name__
    if not delivery.last_error:
        delivery.status, delivery.finished_at = DELIVERED, now
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.finished_at = FAILED, now
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save()
    return delivery.status != PENDING


def send_subscription(subscription_id, limit: int = BATCH) -> int:
    """Send a subscription's due deliveries in position order; return how many were tried.

    Each attempt commits on its own, under the subscription's row lock, so a crash repeats at
    most the one in flight, and two workers never send one subscription's events at once.
    """
    tried = 0
    while tried < limit:
        with transaction.atomic():
            sub = (
                Subscription.objects.select_for_update(skip_locked=True)
                .filter(id=subscription_id, active=True)
                .first()
            )
            if sub is None:  # deleted, or another worker is sending these
                return tried
            head = sub.deliveries.filter(status=PENDING).order_by("position").first()
            if head is None or head.next_attempt_at > timezone.now():
                return tried
            tried += 1
            if not attempt(sub, head):
                return tried
    return tried


def send_due() -> int:
    """Send every subscription's due deliveries; return how many were tried."""
    ids = (
        Delivery.objects.filter(
            status=PENDING, next_attempt_at__lte=timezone.now(), subscription__active=True
        )
        .order_by()  # no default ordering: its columns would make DISTINCT see duplicates
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    return sum(send_subscription(sid) for sid in list(ids))


def pump(batches: int = 20) -> tuple[int, int]:
    """Enqueue new events' deliveries (a few batches of the log), then send what is due;
    return (deliveries created, deliveries tried)."""
    created = 0
    for _ in range(batches):
        events, rows = enqueue()
        created += rows
        if events < BATCH:
            break
    return created, send_due()
