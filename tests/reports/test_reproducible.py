"""Reproducible from the command line: the fingerprint does not depend on the time zone a pin
was written in, an archived report re-renders to its bytes, and a PDF someone holds is checked."""

import io
from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from portfolio import roles
from portfolio.selectors import AsOf
from reports import services
from reports.build import build_status_page, pin
from reports.fingerprint import snapshot_digest
from reports.models import IssuedReport
from tests import factories

from .pdftext import all_text, flat

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _issue(django_capture_on_commit_callbacks) -> IssuedReport:
    member = factories.user(roles.STEERING_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_report(member, "status_page", SLUG, as_of=date(2026, 4, 24))
    return IssuedReport.objects.get(request=request)


def _run(name: str, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_the_fingerprint_is_the_same_in_any_time_zone(demo):
    typed = pin(date(2026, 4, 24))  # end of the day in Copenhagen, as the command line gives it
    local = AsOf(time=typed.time.astimezone(COPENHAGEN), position=typed.position)
    utc = AsOf(time=typed.time.astimezone(UTC), position=typed.position)
    assert snapshot_digest(build_status_page(SLUG, local)) == snapshot_digest(
        build_status_page(SLUG, utc)
    )


def test_render_report_of_an_archived_report_gives_its_bytes(
    demo, tmp_path, django_capture_on_commit_callbacks
):
    report = _issue(django_capture_on_commit_callbacks)
    output = tmp_path / "again.pdf"
    said = _run("render_report", "--report", str(report.id), "--output", str(output))
    assert output.read_bytes() == report.file.read()
    assert "the archived bytes" in said and "NOT" not in said


def test_render_report_as_of_the_same_date_gives_the_archived_bytes(
    demo, tmp_path, django_capture_on_commit_callbacks
):
    report = _issue(django_capture_on_commit_callbacks)
    output = tmp_path / "typed.pdf"
    _run("render_report", "--project", SLUG, "--as-of", "2026-04-24", "--output", str(output))
    assert output.read_bytes() == report.file.read()


def test_verify_report_says_whether_we_issued_a_pdf_and_as_of_what(
    demo, tmp_path, django_capture_on_commit_callbacks
):
    report = _issue(django_capture_on_commit_callbacks)
    held = tmp_path / "held.pdf"
    held.write_bytes(report.file.read())
    said = _run("verify_report", str(held))
    assert str(report.id) in said and SLUG in said
    assert "as of 2026-04-24 23:59" in said and f"log position {report.as_of_position}" in said

    forged = tmp_path / "forged.pdf"
    forged.write_bytes(report.file.read() + b"%% one byte more\n")
    with pytest.raises(CommandError, match="not a report we issued"):
        _run("verify_report", str(forged))


def test_render_report_of_an_unknown_report_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="no archived report"):
        _run("render_report", "--report", "nope", "--output", str(tmp_path / "x.pdf"))


def _portfolio_text(tmp_path, *args) -> str:
    output = tmp_path / "portefolje.pdf"
    _run("render_report", "--portfolio", "--as-of", "2026-04-24", *args, "--output", str(output))
    return flat(all_text(output.read_bytes()))


def test_the_portfolio_report_lists_each_projects_changes_since_a_date(demo, tmp_path):
    text = _portfolio_text(tmp_path, "--since", "2026-03-01")
    assert "Ændringer siden 1. marts 2026" in text
    assert "10.03.2026 kl. 10:00 besluttet Styregruppen godkender" in text
    assert "Ingen tidligere rapport at sammenligne med." not in text


def test_the_portfolio_report_by_default_lists_changes_since_the_last_one_issued(
    demo, tmp_path, django_capture_on_commit_callbacks
):
    assert "Ændringer siden" not in _portfolio_text(tmp_path)  # no earlier one: no section
    member = factories.user(roles.STEERING_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_report(member, "portfolio", None, as_of=date(2026, 3, 1))
    text = _portfolio_text(tmp_path)
    assert "Ændringer siden 1. marts 2026" in text
    assert "10.03.2026 kl. 10:00 besluttet Styregruppen godkender" in text
