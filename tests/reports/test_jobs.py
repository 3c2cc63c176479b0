"""The report outbox (reports.jobs): dispatch after commit, the sweep, attempts, the run lock."""

from datetime import timedelta

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from portfolio.celery import app
from reports import jobs, services
from reports.models import IssuedReport, ReportRequest
from reports.tasks import generate_report

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"


def _open(**fields) -> ReportRequest:
    point = services.pin(None)
    return ReportRequest.objects.create(
        kind=ReportRequest.STATUS_PAGE,
        project_slug=SLUG,
        as_of_time=point.time,
        as_of_position=point.position,
        **fields,
    )


def test_a_request_is_dispatched_after_commit_and_marked_sent(
    demo, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(app.tasks[jobs.GENERATE], "apply_async", lambda **kw: sent.append(kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = services.request_report(None, "status_page", SLUG)
    # nothing is sent before the commit; the row says it is not sent yet
    assert sent == [] and request.dispatched_at is None and len(callbacks) == 1
    callbacks[0]()
    request.refresh_from_db()
    assert sent == [{"args": [str(request.pk)], "retry": False}]
    assert request.dispatched_at is not None and request.deadline > request.dispatched_at


def test_the_sweep_sends_what_was_never_sent_and_what_is_overdue(demo):
    now = timezone.now()
    unsent = _open()
    lost_while_running = _open(
        state="running", attempts=1, dispatched_at=now - timedelta(hours=1), deadline=now
    )
    on_time = _open(state="running", attempts=1, dispatched_at=now, deadline=now + jobs.DEADLINE)
    # when beat's sweep runs (tasks run in-process here)
    sent = jobs.sweep(now + timedelta(seconds=1))
    # then the unsent and the overdue run, and the one within its deadline is left alone
    assert sent == [str(unsent.pk), str(lost_while_running.pk)]
    for request in (unsent, lost_while_running):
        request.refresh_from_db()
        assert request.state == "done" and IssuedReport.objects.filter(request=request).exists()
    assert lost_while_running.attempts == 2
    on_time.refresh_from_db()
    assert on_time.state == "running"


def test_a_job_lost_on_its_last_attempt_is_failed_with_the_reason(demo):
    now = timezone.now()
    request = _open(state="running", attempts=jobs.MAX_ATTEMPTS, dispatched_at=now, deadline=now)

    assert jobs.sweep(now + timedelta(seconds=1)) == []

    request.refresh_from_db()
    assert request.state == "failed" and request.finished_at is not None
    assert f"Gave up after {jobs.MAX_ATTEMPTS} attempts" in request.error


def test_a_redelivered_job_out_of_attempts_fails_instead_of_running(demo):
    request = _open(state="running", attempts=jobs.MAX_ATTEMPTS)

    assert generate_report.apply(args=[str(request.pk)]).get() is None

    request.refresh_from_db()
    assert request.state == "failed" and "did not finish" in request.error
    assert not IssuedReport.objects.exists()


@pytest.mark.postgres
def test_a_run_leaves_a_request_to_the_run_holding_its_lock(demo):
    # given another process running the request: it holds the request's run lock
    request = _open(state="running", attempts=1)
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", jobs.run_lock_key(request.pk))
        # when a duplicate delivery of its job runs
        assert services.generate(str(request.pk)) is None
    # then it neither counts an attempt nor issues a report
    request.refresh_from_db()
    assert (request.state, request.attempts) == ("running", 1)
    assert not IssuedReport.objects.exists()


def test_a_message_outlives_no_live_run_and_a_lost_one_outlives_its_message():
    transport = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    # the broker hands an unacknowledged job out again only after any run of it must have ended
    assert transport["visibility_timeout"] > jobs.TIME_LIMIT + jobs.MAX_RETRY_DELAY
    # and a job is presumed lost only after its run would have been killed
    assert jobs.DEADLINE.total_seconds() > jobs.TIME_LIMIT
    assert generate_report.time_limit == jobs.TIME_LIMIT
    assert generate_report.acks_late and generate_report.reject_on_worker_lost
