"""The API's Celery task: forget the stored answers to idempotent POSTs once they expire."""

from celery import shared_task
from celery.schedules import crontab

from . import idempotency

BEAT_SCHEDULE = {
    "api-forget-idempotency-keys": {
        "task": "portfolio.api_platform.tasks.forget_idempotency_keys",
        "schedule": crontab(minute=30),
    }
}


@shared_task(acks_late=True)
def forget_idempotency_keys() -> int:
    """Delete the expired answers; return how many. Twice deletes nothing more."""
    return idempotency.forget_expired()
