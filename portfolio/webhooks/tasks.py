"""The webhooks' Celery task: follow the log and send deliveries, every few seconds from beat."""

from celery import shared_task
from django.conf import settings

from . import delivery

# Gathered when the Celery app finalizes (portfolio/celery.py), not at start.
BEAT_SCHEDULE = {
    "webhooks-pump": {
        "task": "portfolio.webhooks.tasks.pump",
        "schedule": float(settings.WEBHOOK_POLL_SECONDS),
    }
}


@shared_task(acks_late=True)
def pump() -> list[int]:
    """Enqueue and send deliveries; safe to run twice or at once (row locks)."""
    return list(delivery.pump())
