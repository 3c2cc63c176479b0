"""The report pages: ask for a PDF, see it done, download it, browse the archive."""

import pytest

from portfolio.models import Project
from reports.models import IssuedReport

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # archived reports go here, not into the work tree
    demo.load()


def test_manager_asks_for_the_seed_status_page_as_of_a_date_and_downloads_it(
    client, loaded, django_capture_on_commit_callbacks
):
    # given
    client = as_user(client, demo.MANAGER)

    # when: the project page's button, on the page as of 24 April 2026
    with django_capture_on_commit_callbacks(execute=True):  # the test's transaction never commits
        response = client.post(f"/projects/{demo.SEED}/report/", {"as_of": "2026-04-24"})

    # then: the request page (Celery runs in-process without a broker) offers the download
    assert response.status_code == 302
    page = client.get(response["Location"])
    report = IssuedReport.objects.get()
    assert "Tilstand: færdig" in text(page)
    assert f'href="/reports/{report.pk}/download/">Hent PDF' in page.content.decode()
    assert report.project_slug == demo.SEED and report.language == "da"
    download = client.get(f"/reports/{report.pk}/download/")
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF") and len(body) == report.size
    assert "attachment" in download["Content-Disposition"]
    # and the archive lists it by the project's title, with its hash
    archive = text(client.get("/reports/"))
    title = Project.objects.get(slug=demo.SEED).title
    assert f"Statusside: {title} (da)" in archive and report.sha256[:12] in archive
    assert f"Statusside: {demo.SEED}" not in archive
    # and the project page links to it as its latest status page
    project = client.get(f"/projects/{demo.SEED}/").content.decode()
    latest = f'<a href="/reports/{report.pk}/download/" download>Hent seneste statusside (PDF)</a>'
    assert latest in project


def test_reports_form_asks_for_a_portfolio_report_and_names_missing_fields(
    client, loaded, django_capture_on_commit_callbacks
):
    client = as_user(client, demo.STEERING)
    html = client.post("/reports/", {"kind": "status_page", "language": "da"}).content.decode()
    assert 'id="id_project-error">Vælg projektet.</p>' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"kind": "portfolio", "language": "en", "area": ""})
    assert response.status_code == 302
    assert IssuedReport.objects.get().kind == "portfolio"


def test_api_reader_sees_the_archive_but_may_not_ask(client, loaded):
    client = as_user(client, demo.READER)
    page = client.get("/reports/").content.decode()
    assert "Bestil en rapport" not in page
    assert client.post("/reports/", {"kind": "portfolio", "language": "da"}).status_code == 403
    assert client.post(f"/projects/{demo.SEED}/report/").status_code == 403
    assert not IssuedReport.objects.exists()


def test_project_page_as_in_an_issued_status_page(
    client, loaded, django_capture_on_commit_callbacks
):
    # given: a status page issued as of 30 April, then a re-plan recorded on 1 May
    client = as_user(client, demo.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/projects/{demo.EXAMPLE}/report/", {"as_of": "2026-04-30"})
    report = IssuedReport.objects.get()

    # when
    page = text(client.get(f"/projects/{demo.EXAMPLE}/?report={report.pk}"))

    # then: the page as the report pinned it, before the re-plan
    assert "præcis som statussiden udstedt for 30.04.2026" in page
    assert "Pilotdrift i tre kommuner 15.04.2026" in page
    assert client.get(f"/projects/{demo.SEED}/?report={report.pk}").status_code == 200  # ignored
    assert client.get(f"/projects/{demo.EXAMPLE}/?report=not-a-uuid").status_code == 200
