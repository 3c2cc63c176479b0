"""/health/live and /health/ready as a load balancer or an orchestrator meets them."""

import json
import socket
import time
import urllib.error
import urllib.request

import pytest

from portfolio.eventstore import store
from portfolio.eventstore.models import ProjectionCheckpoint
from portfolio.eventstore.projections import registered
from tests import factories

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket closes


def test_live_answers_json_without_signing_in(client):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "live"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_ready_names_every_check_and_passes_on_a_migrated_database(client):
    response = client.get("/health/ready")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready" and body["failing"] == []
    assert set(body["checks"]) == {"database", "migrations", "projections", "broker", "worker"}
    # Without a broker the tasks run in-process: there is no worker to wait for.
    assert body["checks"]["worker"]["detail"] == "none: tasks run in-process"


def test_ready_answers_503_naming_the_broker_when_it_is_down(live_server, settings):
    # given a broker URL pointing at a port nothing listens on (a stopped Redis)
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    # when a probe asks the running server
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{live_server.url}/health/ready", timeout=5)  # noqa: S310
    took = time.monotonic() - started
    # then it answers at once, not ready, naming what failed
    assert answer.value.code == 503
    body = json.loads(answer.value.read())
    assert body["status"] == "not ready"
    assert "broker" in body["failing"]
    assert "refused" in body["checks"]["broker"]["detail"].lower()
    assert took < 1


def test_ready_answers_503_when_a_projection_lags_the_log(client):
    # given an event appended, then a projection's checkpoint set back before it, as when a
    # new projection's rebuild has not run
    factories.area()
    handling = next(p for p in registered() if p.name == "portfolio")
    head = store.head_position()
    ProjectionCheckpoint.objects.filter(name=handling.name).update(position=head - 1)
    # when a probe asks
    response = client.get("/health/ready")
    # then the projection is named with how far behind it is
    body = response.json()
    assert response.status_code == 503
    assert body["failing"] == ["projections"]
    assert body["checks"]["projections"]["detail"] == "portfolio 1 events behind"


def test_ready_answers_503_when_a_migration_is_not_applied(client):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(
        app="reports", name="0002_issuedreport_reportlab_version"
    ).delete()

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["detail"] == (
        "not applied: reports.0002_issuedreport_reportlab_version"
    )
