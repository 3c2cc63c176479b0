"""Requesting reports: validation, archive, idempotent task, retries, failure, schedule, CLI."""

import hashlib
from datetime import date, timedelta

import pytest
import reportlab
from django.core.management import call_command
from django.db import OperationalError

from milestones import commands as milestone_commands
from milestones.models import Milestone
from portfolio import roles
from portfolio.errors import InvalidInput, NotAllowed, NotFound
from reports import services
from reports.models import IssuedReport, ReportRequest, SteeringMeeting
from reports.schedule import request_due_meeting_reports
from reports.tasks import generate_report
from tests import factories

from .pdftext import all_text, reader

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"


@pytest.fixture
def member():
    return factories.user(roles.STEERING_GROUP)


def _request(member, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_report(
            member,
            kwargs.pop("kind", ReportRequest.STATUS_PAGE),
            kwargs.pop("slug", SLUG),
            **kwargs,
        )
    request.refresh_from_db()
    return request


def test_a_request_is_generated_after_commit_and_archived(
    demo, member, django_capture_on_commit_callbacks
):
    # when a steering-group member asks for the seed page as of its date
    request = _request(member, django_capture_on_commit_callbacks, as_of=date(2026, 4, 24))
    # then the request is done and the archive holds the PDF, its hash, its pin and who asked
    assert (request.state, request.progress, request.error) == ("done", 100, "")
    report = IssuedReport.objects.get(request=request)
    pdf = report.file.read()
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 and report.size == len(pdf)
    assert report.pages == len(reader(pdf).pages)
    assert report.requested_by == member and report.as_of_position == request.as_of_position
    assert "Dorthe Skou Lassen" in all_text(pdf)
    assert b"<h1>P\xc3\xa5 tv\xc3\xa6rs" in report.html_file.read()
    assert report.file.name.endswith(f"{SLUG}-20260424-da-{report.sha256[:12]}.pdf")
    # and the ReportLab that rendered it
    assert report.reportlab_version == reportlab.Version
    # and re-rendering the pinned point gives the archived bytes
    verification = services.verify(report)
    assert verification.matches and not verification.other_reportlab
    assert verification.message == (
        "The re-rendered PDF is the archived one, byte for byte "
        f"(both made with ReportLab {reportlab.Version})."
    )


def test_verify_names_the_reportlab_an_archived_pdf_was_made_with_when_it_differs(
    demo, member, django_capture_on_commit_callbacks
):
    # given an archived report recorded as made by another ReportLab, with other bytes
    request = _request(member, django_capture_on_commit_callbacks, as_of=date(2026, 4, 24))
    IssuedReport.objects.filter(request=request).update(reportlab_version="3.6.13", sha256="0" * 64)
    report = IssuedReport.objects.get(request=request)
    # when it is verified
    verification = services.verify(report)
    # then it does not match, and says which ReportLab made each PDF
    assert not verification.matches and verification.other_reportlab
    assert (verification.made_with, verification.installed) == ("3.6.13", reportlab.Version)
    assert verification.message == (
        "The re-rendered PDF differs from the archived one (the archived one made with "
        f"ReportLab 3.6.13, this one with ReportLab {reportlab.Version}): another ReportLab "
        "alone can change the bytes."
    )


def test_verify_of_other_bytes_from_the_same_reportlab_does_not_blame_it(
    demo, member, django_capture_on_commit_callbacks
):
    # given an archived report made by this ReportLab whose hash is not the re-render's
    request = _request(member, django_capture_on_commit_callbacks, as_of=date(2026, 4, 24))
    IssuedReport.objects.filter(request=request).update(sha256="0" * 64)
    verification = services.verify(IssuedReport.objects.get(request=request))
    # then the difference lies with the report, not with ReportLab
    assert not verification.matches and not verification.other_reportlab
    assert "another ReportLab" not in verification.message
    assert f"both made with ReportLab {reportlab.Version}" in verification.message


def test_verify_of_a_report_archived_without_a_version_says_it_was_not_recorded(
    demo, member, django_capture_on_commit_callbacks
):
    # given a report archived before the ReportLab version was recorded
    request = _request(member, django_capture_on_commit_callbacks, as_of=date(2026, 4, 24))
    IssuedReport.objects.filter(request=request).update(reportlab_version="")
    verification = services.verify(IssuedReport.objects.get(request=request))
    # then its bytes still match, and the message says the version is unknown
    assert verification.matches and verification.other_reportlab
    assert "made with an unrecorded ReportLab" in verification.message


def test_running_the_task_twice_archives_one_report(
    demo, member, django_capture_on_commit_callbacks
):
    request = _request(member, django_capture_on_commit_callbacks)
    first = IssuedReport.objects.get(request=request).id
    assert generate_report.apply(args=[str(request.id)]).get() == str(first)
    assert IssuedReport.objects.filter(request=request).count() == 1


def test_a_transient_error_is_retried(demo, member, monkeypatch):
    request = ReportRequest.objects.create(
        kind=ReportRequest.STATUS_PAGE,
        project_slug=SLUG,
        language="da",
        as_of_time=services.pin(None).time,
        as_of_position=services.pin(None).position,
    )
    real, calls = services.render_pinned, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_pinned", flaky)
    # Run eagerly: the retry runs at once; throw=False keeps the first run's Retry to itself.
    generate_report.apply(args=[str(request.id)], throw=False)
    request.refresh_from_db()
    assert (request.state, request.attempts, len(calls)) == ("done", 2, 2)


def test_a_permanent_error_marks_the_request_failed_with_the_reason(demo):
    # given a request for the seed project pinned to a day before it was known
    point = services.pin(date(2026, 1, 1))
    request = ReportRequest.objects.create(
        kind=ReportRequest.STATUS_PAGE,
        project_slug=SLUG,
        language="da",
        as_of_time=point.time,
        as_of_position=point.position,
    )
    # when the task runs, then it fails for good and says why
    assert generate_report.apply(args=[str(request.id)]).get() is None
    request.refresh_from_db()
    assert request.state == "failed" and "no project 'paa-tvaers-boern-og-unge'" in request.error
    assert not IssuedReport.objects.exists()


def test_requests_are_validated(demo, member):
    with pytest.raises(NotAllowed):
        services.request_report(factories.user(roles.API_READERS), "status_page", SLUG)
    with pytest.raises(NotFound):
        services.request_report(member, "status_page", "findes-ikke")
    with pytest.raises(NotFound):
        services.request_report(member, "portfolio", "intet-omraade")
    with pytest.raises(InvalidInput):
        services.request_report(member, "status_page", SLUG, language="de")
    with pytest.raises(InvalidInput):
        services.request_report(member, "invoice", SLUG)
    assert not ReportRequest.objects.exists()


def test_the_next_page_lists_changes_since_the_previous_issued_report(
    demo, member, django_capture_on_commit_callbacks
):
    first = _request(member, django_capture_on_commit_callbacks)
    milestone = Milestone.objects.filter(project__slug=SLUG, planned_on__isnull=False).first()
    milestone_commands.milestone_replan(
        milestone_id=milestone.id,
        planned_on=date(2027, 2, 1),
        reason="Ny regering",
        expected_version=None,
        actor=factories.admin(),
    )
    second = _request(member, django_capture_on_commit_callbacks)
    assert second.changes_since == first.as_of_time
    text = all_text(IssuedReport.objects.get(request=second).file.read())
    assert "01.12.2026 → 01.02.2027: Ny regering" in text


def test_portfolio_request_in_english(demo, member, django_capture_on_commit_callbacks):
    request = _request(
        member,
        django_capture_on_commit_callbacks,
        kind="portfolio",
        slug="kommuneomraadet",
        language="en",
    )
    report = IssuedReport.objects.get(request=request)
    text = all_text(report.file.read())
    assert "Portfolio report" in text and "Area: Kommuneområdet" in text
    assert services.verify(report).matches


def test_beat_requests_the_portfolio_report_the_day_before_a_meeting(
    demo, django_capture_on_commit_callbacks
):
    today = date(2026, 6, 8)
    SteeringMeeting.objects.create(area_slug="kommuneomraadet", meets_on=today + timedelta(1))
    SteeringMeeting.objects.create(meets_on=today + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        requested = request_due_meeting_reports(today)
    assert len(requested) == 1
    request = ReportRequest.objects.get(pk=requested[0])
    assert (request.kind, request.area_slug, request.state) == (
        "portfolio",
        "kommuneomraadet",
        "done",
    )
    assert request_due_meeting_reports(today) == []


def test_beat_schedule_names_the_task():
    from portfolio.celery import app

    app.finalize()  # beat finalizes the app before it reads the schedule
    entry = app.conf.beat_schedule["reports-before-steering-meetings"]
    assert entry["task"] == request_due_meeting_reports.__module__.replace("schedule", "tasks") + (
        ".request_meeting_reports"
    )


def test_render_report_command_writes_the_same_file_twice(demo, tmp_path, capsys):
    out = tmp_path / "page.pdf"
    args = ["render_report", "--project", SLUG, "--as-of", "2026-04-24", "--output", str(out)]
    call_command(*args)
    first = out.read_bytes()
    call_command(*args)
    assert out.read_bytes() == first
    assert hashlib.sha256(first).hexdigest() in capsys.readouterr().out
    call_command(*args[:-2], "--html", "--lang", "en", "--output", str(tmp_path / "page.html"))
    assert '<html lang="en">' in (tmp_path / "page.html").read_text()
    call_command(
        "render_report",
        "--portfolio",
        "--area",
        "kommuneomraadet",
        "--output",
        str(tmp_path / "p.pdf"),
    )
    assert "Kommuneområdet" in all_text((tmp_path / "p.pdf").read_bytes())
