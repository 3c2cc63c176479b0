"""Request ids and the one-line-per-request log, as a client and a log reader meet them."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_sane_incoming_request_id_is_kept_and_answered(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="lb-7f3a:42")

    assert response["X-Request-ID"] == "lb-7f3a:42"


@pytest.mark.parametrize("incoming", [None, "", "two words", "x" * 200, "a\nforged line"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}

    response = client.get("/health/live", **headers)

    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"] != incoming


def test_each_request_logs_one_line_with_its_id_user_route_status_and_duration(client, caplog):
    user = factories.user()
    client.force_login(user)

    with caplog.at_level(logging.INFO, logger="portefolje.request"):
        response = client.get("/health/ready", HTTP_X_REQUEST_ID="req-1")
        client.get("/", HTTP_X_REQUEST_ID="req-2")

    lines = [r for r in caplog.records if r.name == "portefolje.request"]
    assert [r.request_id for r in lines] == ["req-1", "req-2"]
    first = lines[0]
    assert (first.route, first.status, first.method) == ("health/ready", 200, "GET")
    assert first.duration_ms >= 0
    assert response.status_code == 200
    # The overview page reads the signed-in user; the line names them.
    assert lines[1].user_id == user.pk


def test_json_format_writes_one_json_object_per_request_line():
    # A fresh process, as `PORTEFOLJE_LOG_FORMAT=json gunicorn ...` starts one.
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "Client().get('/health/live', HTTP_X_REQUEST_ID='from-proxy-1')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portfolio.settings",
        "PORTEFOLJE_LOG_FORMAT": "json",
    }
    run = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stderr.splitlines()]
    request = next(line for line in lines if line["logger"] == "portefolje.request")
    assert request["request_id"] == "from-proxy-1"
    assert request["route"] == "health/live"
    assert request["status"] == 200
    assert request["level"] == "INFO"
    assert {"time", "duration_ms", "user_id", "message"} <= set(request)


def test_text_is_the_default_format():
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "Client().get('/health/live', HTTP_X_REQUEST_ID='plain-1')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PORTEFOLJE_LOG_FORMAT"}
    env["DJANGO_SETTINGS_MODULE"] = "portfolio.settings"
    run = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert run.returncode == 0, run.stderr
    assert "INFO portefolje.request [plain-1] GET /health/live 200" in run.stderr
