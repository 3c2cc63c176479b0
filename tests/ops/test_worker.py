"""A real worker: its heartbeat makes /health/ready pass, and its task lines carry the request id
of the request that sent the task."""

import json
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command

from portfolio import roles
from portfolio.ops import heartbeat
from reports.models import ReportRequest
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ops_on_redis(settings, broker, monkeypatch):
    """Share the worker's broker and ops cache, with no heartbeat left from an earlier run;
    the worker writes JSON lines."""
    settings.CELERY_BROKER_URL = broker
    settings.CACHES = {
        **settings.CACHES,
        settings.OPS_CACHE: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker,
        },
    }
    caches[settings.OPS_CACHE].delete(heartbeat.KEY)
    monkeypatch.setenv("PORTEFOLJE_LOG_FORMAT", "json")


def _ready(client, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        body = client.get("/health/ready").json()
        if body["checks"]["worker"]["ok"] or time.monotonic() > deadline:
            return body
        time.sleep(0.3)


def test_no_worker_heartbeat_is_not_ready(client, ops_on_redis):
    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"]["detail"] == "no worker heartbeat recorded"


def test_a_running_worker_is_seen_and_its_task_logs_carry_the_request_id(
    ops_on_redis, worker, client, tmp_path
):
    # given a running worker: its heartbeat makes the site ready
    body = _ready(client)
    assert body["status"] == "ready", body
    assert body["checks"]["worker"]["detail"].startswith("portefolje-test-")
    # when a steering-group member asks for a report through the API, with a request id
    call_command("load_demo", verbosity=0)
    client.force_login(factories.user(roles.STEERING_GROUP))
    response = client.post(
        "/api/v1/reports/",
        {"kind": "status_page", "project": "paa-tvaers-boern-og-unge"},
        content_type="application/json",
        HTTP_X_REQUEST_ID="ask-for-report-1",
    )
    assert response.status_code == 202, response.content
    request = ReportRequest.objects.get()
    deadline = time.monotonic() + 90
    while request.state not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        request.refresh_from_db()
    # then the worker's line for that task, one JSON object, carries the request's id
    lines = (tmp_path / "worker.log").read_text().splitlines()
    tasks = [json.loads(x) for x in lines if x.startswith("{") and '"portefolje.task"' in x]
    done = [t for t in tasks if t["task"] == "reports.tasks.generate_report"]
    assert done, lines[-40:]
    assert done[0]["request_id"] == "ask-for-report-1"
    assert done[0]["user_id"] == request.requested_by_id
    assert done[0]["state"] == "SUCCESS" and done[0]["duration_ms"] > 0
