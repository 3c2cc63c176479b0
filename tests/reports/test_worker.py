"""A real Celery worker on Redis generates a requested report from the test database."""

import time

import pytest
from django.core.management import call_command

from portfolio import roles
from reports import services
from reports.models import IssuedReport, ReportRequest
from tests import factories

from .pdftext import all_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(request: ReportRequest, process, seconds: float = 90) -> ReportRequest:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        request.refresh_from_db()
        if request.state in (ReportRequest.DONE, ReportRequest.FAILED):
            return request
        assert process.poll() is None, "the worker died"
        time.sleep(0.3)
    raise AssertionError(f"no result in {seconds} s; state {request.state}; see the worker log")


def test_a_real_worker_generates_and_archives_a_requested_report(worker, tmp_path):
    # given the demo data and a steering-group member
    call_command("load_demo", verbosity=0)
    member = factories.user(roles.STEERING_GROUP)
    # when they request the seed page in English (what the API's POST will call)
    request = services.request_report(member, "status_page", "paa-tvaers-boern-og-unge", None, "en")
    # then the worker, a separate process, generates and archives it
    try:
        request = _wait_for(request, worker)
    finally:
        log = (tmp_path / "worker.log").read_text()
        print(log[-4000:])
    assert request.state == "done", f"{request.error}\n{log[-3000:]}"
    assert "reports.tasks.generate_report" in log
    report = IssuedReport.objects.get(request=request)
    assert "Project leader: Dorthe Skou Lassen" in all_text(report.file.read())
    assert services.verify(report).matches
