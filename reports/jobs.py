"""Report jobs through an outbox: each request row says whether its job was sent, how many runs
it had and when it is presumed lost, so a broker outage or a killed worker delays a report but
never loses it.

The life of a job: `queued` (recorded, dispatched after the commit) → `running` (a worker holds
its run lock) → `done` or `failed`. `sweep`, from beat, sends again what the broker never got
and what sat queued or running past its deadline; after MAX_ATTEMPTS runs it is failed with the
reason. A job may thus run twice; a run finds a finished request and stops, and the run lock keeps
two from rendering at once.
"""

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.utils import timezone

from portfolio import degraded

from .models import ReportRequest

log = logging.getLogger(__name__)

GENERATE = "reports.tasks.generate_report"
OPEN = (ReportRequest.QUEUED, ReportRequest.RUNNING)
# A run past TIME_LIMIT is killed; SOFT_TIME_LIMIT first lets it fail the request with a reason.
TIME_LIMIT = 10 * 60
SOFT_TIME_LIMIT = TIME_LIMIT - 30
MAX_RETRY_DELAY = 60  # seconds between runs after a transient error, at most
# Queued or running longer than this, a job is presumed lost: beyond the time limit, so a live
# run is never sent again, and below the broker's visibility timeout (settings) plus a sweep.
DEADLINE = timedelta(seconds=TIME_LIMIT + 2 * MAX_RETRY_DELAY)
MAX_ATTEMPTS = 5
# The first key of the run locks among PostgreSQL's two-key advisory locks; any fixed number.
RUN_LOCK_CLASS = 0x52505254


def dispatch(request_id) -> bool:
    """Send the request's job to the broker; return False (logged, counted) if it did not go.

    One try with short timeouts: a request never waits on a broker that is down, and the sweep
    sends what did not go.
    """
    # Celery and the broker's client load where a task is sent, not when a web process starts.
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import RedisError

    from portfolio.celery import app

    try:
        app.tasks[GENERATE].apply_async(args=[str(request_id)], retry=False)
    except (BrokerError, RedisError, ConnectionError, TimeoutError) as error:
        degraded.record("report dispatch", error)
        return False
    now = timezone.now()
    ReportRequest.objects.filter(pk=request_id, state__in=OPEN).update(
        dispatched_at=now, deadline=now + DEADLINE
    )
    return True


def claim(request_id) -> ReportRequest | None:
    """Start one more run of an open request; None if it is finished or out of attempts.

    The caller holds the run lock. A request out of attempts is failed here, with the reason.
    """
    now = timezone.now()
    claimed = ReportRequest.objects.filter(
        pk=request_id, state__in=OPEN, attempts__lt=MAX_ATTEMPTS
    ).update(
        state=ReportRequest.RUNNING, progress=5, attempts=F("attempts") + 1, deadline=now + DEADLINE
    )
    if claimed:
        return ReportRequest.objects.get(pk=request_id)
    _give_up(ReportRequest.objects.filter(pk=request_id), now)
    return None


def sweep(now: datetime | None = None) -> list[str]:
    """Fail the lost jobs out of attempts, send again the unsent and the overdue; return those."""
    now = now or timezone.now()
    open_requests = ReportRequest.objects.filter(state__in=OPEN)
    _give_up(open_requests.filter(deadline__lt=now), now)
    due = open_requests.filter(Q(dispatched_at=None) | Q(deadline__lt=now))
    sent = []
    for request_id in due.order_by("requested_at").values_list("pk", flat=True):
        if not dispatch(request_id):
            break  # the broker is away; the next sweep tries again
        sent.append(str(request_id))
    if sent:
        log.info("sent %d report jobs again", len(sent))
    return sent


def _give_up(requests, now: datetime) -> None:
    requests.filter(state__in=OPEN, attempts__gte=MAX_ATTEMPTS).update(
        state=ReportRequest.FAILED,
        error=(
            f"Gave up after {MAX_ATTEMPTS} attempts: the last one did not finish "
            "(its worker was lost or it ran past its deadline)."
        ),
        finished_at=now,
    )


def run_lock_key(request_id) -> tuple[int, int]:
    """Return the two keys of a request's run lock (a hash: two requests may share one)."""
    return RUN_LOCK_CLASS, zlib.crc32(str(request_id).encode()) - 2**31  # into int4


@contextmanager
def run_lock(request_id) -> Iterator[bool]:
    """Hold the request's run lock while the block runs; yield False if another run holds it.

    A PostgreSQL session lock: a killed worker's connection closes and takes the lock with it,
    so a job sent again runs at once, yet never beside a run still alive. SQLite runs jobs in
    the requesting process, one at a time.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = run_lock_key(request_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        ours = cursor.fetchone()[0]
    try:
        yield ours
    finally:
        if ours:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except DatabaseError:
                pass  # the connection is gone, and the lock with it
