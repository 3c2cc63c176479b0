"""Celery tasks: a few lines each, ids as JSON arguments, safe to run twice."""

from functools import partial

from celery import chord, shared_task
from celery.schedules import crontab

from . import fanout, jobs, reminders, services
from .models import ReportRequest
from .schedule import request_due_meeting_reports

BEAT_SCHEDULE = {
    # Beat runs the check every morning; a meeting gets its report the day before it (or on the
    # day, if it was set up that late), as of the moment the check runs.
    "reports-before-steering-meetings": {
        "task": "reports.tasks.request_meeting_reports",
        "schedule": crontab(hour=6, minute=0),
    },
    # Daily: managers are reminded REMINDER_DAYS_BEFORE_MEETING days ahead (or on a later run,
    # if beat was down that morning); each reminder is recorded, so a second run sends nothing.
    "reports-status-reminders": {
        "task": "reports.tasks.send_status_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "reports-sweep-jobs": {
        "task": "reports.tasks.sweep_report_jobs",
        "schedule": 60.0,
        # A sweep that waited for the next one's turn is of no use: drop it.
        "options": {"expires": 60.0},
    },
}


# acks_late with reject_on_worker_lost: a run whose worker process died (killed, out of memory)
# goes back on the queue instead of being acknowledged as if it had finished.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=jobs.MAX_ATTEMPTS,
    time_limit=jobs.TIME_LIMIT,
    soft_time_limit=jobs.SOFT_TIME_LIMIT,
)
def generate_report(self, request_id: str) -> str | None:
    """Generate and archive the report of one request; retry when the database blinks."""
    try:
        # The pages go to the queue this job came from: the workers that render reports.
        queue = (self.request.delivery_info or {}).get("routing_key")
        return services.generate(request_id, fan_out=partial(fan_out, queue=queue))
    except services.TRANSIENT as error:
        attempts = services.attempts(request_id)
        if attempts >= jobs.MAX_ATTEMPTS:
            services.fail(request_id, f"gave up after {attempts} attempts: {error}")
            return None
        delay = min(jobs.MAX_RETRY_DELAY, 2**attempts)
        raise self.retry(exc=error, countdown=delay, retry=False) from error


@shared_task(acks_late=True)
def sweep_report_jobs() -> list[str]:
    """Send again the report jobs the broker never got or that were lost; fail the hopeless."""
    return jobs.sweep()


@shared_task(acks_late=True)
def request_meeting_reports() -> list[str]:
    """Request the portfolio report for each steering-group meeting due tomorrow or sooner."""
    return request_due_meeting_reports()


@shared_task(acks_late=True)
def send_status_reminders() -> int:
    """E-mail the managers of projects with a status older than the previous steering meeting."""
    return reminders.send_due()


def fan_out(request: ReportRequest, *, queue: str | None = None) -> bool:
    """Send a claimed portfolio request to the workers as tasks that build its project pages, a
    batch each, and a join; return whether it was sent (else the caller renders it itself)."""
    if not fanout.wanted(request):
        return False
    pin = (request.as_of_position, request.as_of_time.isoformat(), request.language)
    since = request.changes_since.isoformat() if request.changes_since else None
    options = {"queue": queue} if queue else {}
    slugs = fanout.project_slugs(request.area_slug)
    request_id = str(request.pk)
    parts = [
        portfolio_pages.s(request_id, batch, *pin, since).set(**options)
        for batch in fanout.batches(slugs)
    ]
    # A part that fails (or the join itself) fails the request at once, with its reason: the
    # join never runs then, and the sweep would only find the request after its deadline.
    join = join_portfolio.s(request_id).set(**options).on_error(fail_portfolio.s(request_id))
    chord(parts)(join)
    return True


# Its answer (where its snapshots are) is what the join reads, through the result backend.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=False)
def portfolio_pages(
    request_id: str,
    slugs: list[str],
    position: int,
    time: str,
    language: str,
    changes_since: str | None,
) -> dict:
    """Build and spool a batch of the project pages of a fanned-out portfolio report."""
    return fanout.pages(request_id, slugs, position, time, language, changes_since)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=jobs.TIME_LIMIT,
    soft_time_limit=jobs.SOFT_TIME_LIMIT,
)
def join_portfolio(parts: list, request_id: str) -> str:
    """Render and archive a fanned-out portfolio report from its parts."""
    return fanout.join(parts, request_id)


# An error callback of the new style: Celery calls it in the process that saw the failure.
@shared_task
def fail_portfolio(task_request, error, traceback, request_id: str) -> None:
    """Fail a fanned-out portfolio report whose part or join failed, saying why."""
    fanout.failed(request_id, error)
