"""Celery tasks: a few lines each, ids as JSON arguments, safe to run twice."""

from celery import shared_task

from . import services

MAX_RETRIES = 4


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def generate_report(self, request_id: str) -> str | None:
    """Generate and archive the report of one request; retry when the database blinks."""
    try:
        return services.generate(request_id)
    except services.TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            services.fail(request_id, f"gave up after {self.request.retries + 1} tries: {error}")
            return None
        raise self.retry(exc=error, countdown=min(60, 2**self.request.retries)) from error


@shared_task(acks_late=True)
def request_meeting_reports() -> list[str]:
    """Request the portfolio report for each steering-group meeting due tomorrow or sooner."""
    from .schedule import request_due_meeting_reports

    return request_due_meeting_reports()
