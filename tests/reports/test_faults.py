"""Report jobs survive what the faults drill did: a worker's pool child killed mid-report, the
broker stopped while a report is asked for, Redis hung. Real processes: a Celery worker and a
private redis-server (tests/redis_server.py) that the tests stop, restart and pause."""

import os
import signal
import time

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portfolio import degraded, roles
from portfolio.api_platform.models import ApiToken
from portfolio.celery import app
from reports import jobs, services
from reports.models import IssuedReport, ReportRequest
from tests import factories
from tests.worker import WORKER_IMPORT, running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SLUG = "paa-tvaers-boern-og-unge"
REPORTS = "/api/v1/reports/"


def _wait_until(what, seconds: float = 60, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        assert process is None or process.poll() is None, "the worker died"
        time.sleep(0.05)
    raise AssertionError(f"not so within {seconds} s")


def _finished(request_id):
    def check():
        request = ReportRequest.objects.get(pk=request_id)
        return request if request.state in ("done", "failed") else None

    return check


def _log(tmp_path) -> str:
    return (tmp_path / "worker.log").read_text()[-3000:]


def _client(role) -> APIClient:
    client = APIClient()
    token = ApiToken.issue(factories.user(role), name="t")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_report_whose_pool_child_is_killed_mid_render_is_issued_once(
    private_redis, tmp_path, settings
):
    # given a prefork worker whose renders wait while the gate file exists
    call_command("load_demo", verbosity=0)
    gate = tmp_path / "gate"
    gate.touch()
    hook = {WORKER_IMPORT: "tests.reports.gate", "PORTEFOLJE_TEST_REPORT_GATE": str(gate)}
    with running_worker(private_redis.url, tmp_path, settings, pool="prefork", env=hook) as w:
        member = factories.user(roles.STEERING_GROUP)
        request = services.request_report(member, "status_page", SLUG, None, "en")
        # when the pool child is killed (SIGKILL) in the middle of the report
        held = tmp_path / "held"
        pid = int(_wait_until(lambda: held.exists() and held.read_text(), process=w))
        assert ReportRequest.objects.get(pk=request.pk).state == "running"
        os.kill(pid, signal.SIGKILL)
        gate.unlink()
        # then the job goes back on the queue, runs again in a new child, and is issued once
        request = _wait_until(_finished(request.pk), process=w)
    assert request.state == "done", _log(tmp_path)
    assert request.attempts == 2
    assert IssuedReport.objects.filter(request=request).count() == 1
    assert "WorkerLostError" in _log(tmp_path)


def test_a_report_asked_for_while_the_broker_is_down_runs_once_it_is_back(
    private_redis, tmp_path, settings
):
    # given the demo, and this process's Celery pointed at a broker that is then stopped
    call_command("load_demo", verbosity=0)
    client = _client(roles.PROJECT_MANAGERS)
    body = {"kind": "status_page", "project": SLUG, "language": "en"}
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    app._after_fork()
    private_redis.stop()
    try:
        before = degraded.counts().get("report dispatch", 0)
        # when a report is asked for
        started = time.monotonic()
        response = client.post(REPORTS, body, format="json", HTTP_IDEMPOTENCY_KEY="nede")
        elapsed = time.monotonic() - started
    finally:
        app.conf.update(saved)
        app._after_fork()
    # then it is accepted and queued at once; the missed dispatch is logged and counted
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "queued" and elapsed < 1
    request = ReportRequest.objects.get(pk=response.json()["id"])
    assert request.dispatched_at is None
    assert degraded.counts()["report dispatch"] == before + 1
    # when the broker is back, with a worker on it, and beat's sweep runs
    private_redis.start()
    with running_worker(private_redis.url, tmp_path, settings) as w:
        assert jobs.sweep() == [str(request.pk)]
        request = _wait_until(_finished(request.pk), process=w)
        # then the report is issued, once; the sweep after it has nothing to send
        assert jobs.sweep() == []
    assert request.state == "done", _log(tmp_path)
    assert IssuedReport.objects.filter(request=request).count() == 1
    # and the retried POST tells the request as it is now, not as it was
    again = client.post(REPORTS, body, format="json", HTTP_IDEMPOTENCY_KEY="nede")
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["state"] == "done" and again.json()["links"]["pdf"]
    assert ReportRequest.objects.count() == 1


def test_a_hung_redis_never_stalls_an_api_request(private_redis, settings):
    # given the throttle's cache and the broker on a Redis that then hangs (SIGSTOP)
    call_command("load_demo", verbosity=0)
    client = _client(roles.STEERING_GROUP)
    settings.CACHES = {
        **settings.CACHES,
        "api-hung": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": settings.REDIS_TIMEOUTS,
        },
    }
    settings.API_THROTTLE_CACHE = "api-hung"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    app._after_fork()
    before = degraded.counts()
    private_redis.pause()
    try:
        # when reads and a report request are sent
        times = {}
        for path in ("/api/v1/me/", "/api/v1/projects/", f"/api/v1/projects/{SLUG}/"):
            started = time.monotonic()
            assert client.get(path).status_code == 200, path
            times[path] = time.monotonic() - started
        started = time.monotonic()
        posted = client.post(REPORTS, {"kind": "portfolio"}, format="json")
        times["POST"] = time.monotonic() - started
    finally:
        private_redis.resume()
        app.conf.update(saved)
        app._after_fork()
    # then each answers within a second; the fallbacks are counted
    assert posted.status_code == 202 and posted.json()["state"] == "queued"
    assert max(times.values()) < 1, times
    after = degraded.counts()
    assert after["API throttle cache"] > before.get("API throttle cache", 0)
    assert after["report dispatch"] == before.get("report dispatch", 0) + 1
