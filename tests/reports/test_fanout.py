"""A portfolio report fanned out over a real worker, tasks that build batches of its project
pages and a join, is the report one process makes, byte for byte."""

import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portfolio import commands, roles
from portfolio.api_platform.models import ApiToken
from portfolio.domain.change import Change
from portfolio.models import Project
from portfolio.selectors import AsOf
from reports import fanout, jobs, services
from reports.build import build_portfolio
from reports.lights import Reason
from reports.models import IssuedReport, ReportRequest
from reports.snapshot import TrackLight
from tests import factories
from tests.worker import WORKER_IMPORT, running_worker


def _wait_for(request: ReportRequest, process, seconds: float = 120) -> ReportRequest:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        request.refresh_from_db()
        if request.state in (ReportRequest.DONE, ReportRequest.FAILED):
            return request
        assert process.poll() is None, "the worker died"
        time.sleep(0.3)
    raise AssertionError(f"no result in {seconds} s; state {request.state}; see the worker log")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_joined_portfolio_report_is_the_one_process_report(broker, tmp_path, settings):
    # given the demo portfolio and a steering-group member
    call_command("load_demo", verbosity=0)
    member = factories.user(roles.STEERING_GROUP)
    projects = len(fanout.project_slugs(None))
    assert projects > 1
    # when they request the portfolio report of a worker that fans it out, and again after a
    # project changed (the second lists the changes since the first)
    env = {"REPORTS_FAN_OUT": "1", "REPORTS_FAN_OUT_BATCH": "2"}
    with running_worker(broker, tmp_path, settings, env=env) as worker:
        first = _wait_for(services.request_report(member, "portfolio", None, None, "da"), worker)
        seed = Project.objects.get(slug="paa-tvaers-boern-og-unge")
        commands.project_update(
            project_id=seed.id,
            changes={"project_leader": "Ny Projektleder"},
            expected_version=None,
            actor=factories.admin(),
        )
        second = _wait_for(services.request_report(member, "portfolio", None, None, "da"), worker)
    log = (tmp_path / "worker.log").read_text()
    # then tasks built the project pages, two at a time, and one joined them ...
    assert (first.state, second.state) == ("done", "done"), f"{first.error}{second.error}"
    batches = (projects + 1) // 2
    assert log.count("reports.tasks.portfolio_pages") >= 2 * batches
    assert log.count("reports.tasks.join_portfolio") >= 2
    assert second.changes_since == first.as_of_time
    # ... into the report this process renders from the same pin, PDF and HTML alike
    for request in (first, second):
        report = IssuedReport.objects.get(request=request)
        point = AsOf(time=request.as_of_time, position=request.as_of_position)
        pdf, html = services.render_pinned("portfolio", None, "da", point, request.changes_since)
        assert report.file.read() == pdf
        assert report.html_file.read().decode() == html
    assert "Ny Projektleder" in html


@pytest.mark.django_db
def test_a_snapshot_comes_back_from_its_json_as_it_was(pinned_today):
    # given the demo's snapshots, one also with a light's reason and a change of dates
    call_command("load_demo", verbosity=0)
    first, *others = build_portfolio()
    reason = Reason("red", "overdue", "Udrulning", 12, 0, date(2026, 8, 1))
    light = TrackLight(None, "green", "red", (reason,), "Leverandøren")
    change = Change(
        "replanned",
        "Udrulning",
        "planned_on",
        date(2026, 8, 1),
        {"day": date(2026, 9, 1), "names": ("a", "b")},
        known_at=datetime(2026, 8, 2, 9, 30, tzinfo=UTC),
        position=7,
    )
    snapshots = [replace(first, lights=(light,), changes=(change,)), *others]

    # when each goes through the JSON a part answers with
    again = [fanout.decode(json.loads(json.dumps(fanout.encode(s)))) for s in snapshots]

    # then it is equal, field for field
    assert again == snapshots


def test_only_a_snapshot_s_own_classes_are_encoded():
    with pytest.raises(TypeError):
        fanout.encode(AsOf())


def _poll(client, url: str, process, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["state"] in ("done", "failed"):
            return body
        assert process.poll() is None, "the worker died"
        time.sleep(0.3)
    raise AssertionError(f"no result in {seconds} s; state {body['state']}; see the worker log")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_part_fails_the_report_at_once_with_its_reason(broker, tmp_path, settings):
    # given the demo portfolio, a worker that fans the report out two projects a part, and one
    # project whose part raises
    call_command("load_demo", verbosity=0)
    client = APIClient()
    user = factories.user(roles.STEERING_GROUP)
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, name='test')[1]}")
    broken = tmp_path / "broken"
    broken.write_text("paa-tvaers-boern-og-unge")
    env = {
        "REPORTS_FAN_OUT": "1",
        "REPORTS_FAN_OUT_BATCH": "2",
        WORKER_IMPORT: "tests.reports.broken_part",
        "PORTEFOLJE_TEST_BROKEN_PART": str(broken),
    }
    with running_worker(broker, tmp_path, settings, env=env) as worker:
        # when a steering-group member requests the portfolio report through the API
        asked = client.post("/api/v1/reports/", {"kind": "portfolio"}, format="json")
        assert asked.status_code == 202, asked.content
        # then the request fails, long before the sweep would find it, saying why
        started = time.monotonic()
        failed = _poll(client, asked["Location"], worker)
        assert failed["state"] == "failed", failed
        assert time.monotonic() - started < jobs.DEADLINE.total_seconds() / 4
        assert "paa-tvaers-boern-og-unge could not be read" in failed["error"]
        assert failed["links"]["pdf"] is None
        # and the parts' spooled snapshots are gone
        assert not [p for p in (tmp_path / "fanout").rglob("*") if p.is_file()]
        # and once the project can be read again, asking again gives the report
        broken.unlink()
        again = client.post("/api/v1/reports/", {"kind": "portfolio"}, format="json")
        done = _poll(client, again["Location"], worker)
    assert (done["state"], done["error"]) == ("done", None), done
    assert not [p for p in (tmp_path / "fanout").rglob("*") if p.is_file()]
    assert ReportRequest.objects.get(pk=failed["id"]).state == ReportRequest.FAILED
