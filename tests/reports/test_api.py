"""The reports API through HTTP: request, follow, list and download, by role."""

import hashlib
import threading
import time

import pytest
import reportlab
from django.core.management import call_command
from django.db import connections
from rest_framework.test import APIClient

from portfolio import roles
from portfolio.api_platform.models import ApiToken
from reports import services
from reports.models import IssuedReport, ReportRequest
from tests import factories

from .pdftext import all_text, reader

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"
REPORTS = "/api/v1/reports/"
SEED_PAGE = {"kind": "status_page", "project": SLUG, "as_of": "2026-04-24"}


def client_as(role: str | None) -> APIClient:
    """Return a client with a token of a new user in `role` ("admin", a role name, or None)."""
    client = APIClient()
    if role is not None:
        user = factories.admin() if role == "admin" else factories.user(role)
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, name='test')[1]}")
    return client


@pytest.fixture
def steering() -> APIClient:
    return client_as(roles.STEERING_GROUP)


def generate(client, body: dict, capture, **headers):
    """POST a request and run its task when the request's transaction commits (eager Celery)."""
    with capture(execute=True):
        return client.post(REPORTS, body, format="json", **headers)


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 401),
        (roles.API_READERS, 403),
        (roles.PROJECT_MANAGERS, 202),
        (roles.STEERING_GROUP, 202),
        ("admin", 202),
    ],
)
def test_who_may_request_a_report(demo, role, expected):
    response = client_as(role).post(REPORTS, SEED_PAGE, format="json")

    assert response.status_code == expected, response.content
    assert ReportRequest.objects.count() == (1 if expected == 202 else 0)
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"kind": "status_page", "project": "findes-ikke"}, 404, "project"),
        ({"kind": "portfolio", "area": "intet-omraade"}, 404, "area"),
        ({"kind": "invoice", "project": SLUG}, 400, "kind"),
        ({"project": SLUG}, 400, "kind"),
        ({**SEED_PAGE, "language": "de"}, 400, "language"),
        ({**SEED_PAGE, "as_of": "24.04.2026"}, 400, "as_of"),
        ({**SEED_PAGE, "as_of": "2026-13-01"}, 400, "as_of"),
        ({**SEED_PAGE, "changes_since": "i går"}, 400, "changes_since"),
        ({"kind": "status_page"}, 400, "project"),
        ({"kind": "status_page", "project": "Ikke en slug"}, 400, "project"),
        ({**SEED_PAGE, "as_of": "x" * 65}, 400, "as_of"),
        ({**SEED_PAGE, "as_of": "2026-01-01"}, 404, "as_of"),  # before the project was known
        (["status_page"], 400, None),
    ],
)
def test_bad_input_names_the_field_and_requests_nothing(demo, steering, body, status, field):
    response = steering.post(REPORTS, body, format="json")

    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json().get("field") == field
    assert not ReportRequest.objects.exists()


def test_a_requested_report_is_done_and_downloads_the_archived_bytes(
    demo, steering, django_capture_on_commit_callbacks
):
    # when a steering-group member requests the seed page as of its date
    response = generate(steering, SEED_PAGE, django_capture_on_commit_callbacks)
    # then it is accepted, queued, and Location names the request
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["links"]["pdf"] is None
    assert response["Location"].endswith(f"/api/v1/reports/requests/{body['id']}/")
    # and the request, generated after the commit, is done with links to its downloads
    done = steering.get(response["Location"]).json()
    assert (done["state"], done["progress"], done["error"]) == ("done", 100, None)
    report = steering.get(done["links"]["report"]).json()
    assert report["project"] == SLUG and report["language"] == "da"
    assert report["as_of_position"] == done["as_of_position"]
    # the end of 24 April in Copenhagen (summer time), written in UTC
    assert report["as_of"] == "2026-04-24T21:59:59.999999Z"
    # and the PDF's bytes are the archived ones, readable, under a readable name
    pdf = steering.get(done["links"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = content(pdf)
    assert hashlib.sha256(data).hexdigest() == report["sha256"]
    assert report["size"] == len(data) and report["pages"] == len(reader(data).pages)
    assert report["reportlab_version"] == reportlab.Version
    assert "Dorthe Skou Lassen" in all_text(data)
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-2026-04-24-da-{report["sha256"][:8]}.pdf"'
    )
    assert pdf["ETag"] == f'"{report["sha256"]}"'
    # and the HTML twin is there too
    html = steering.get(done["links"]["html"])
    assert html.status_code == 200 and html["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>På tværs" in content(html).decode()


def test_an_as_of_long_ago_reads_the_empty_log_and_says_so_in_rfc_3339(demo, steering):
    response = steering.post(REPORTS, {"kind": "portfolio", "as_of": "0582-10-14"}, format="json")

    assert response.status_code == 202
    assert (response.json()["as_of"], response.json()["as_of_position"]) == (
        "1900-01-01T00:00:00Z",
        0,
    )


def test_the_pdf_answers_304_to_its_etag(demo, steering, django_capture_on_commit_callbacks):
    generate(steering, SEED_PAGE, django_capture_on_commit_callbacks)
    report = IssuedReport.objects.get()
    url = f"{REPORTS}{report.id}/pdf"

    response = steering.get(url, HTTP_IF_NONE_MATCH=f'"{report.sha256}"')

    assert response.status_code == 304


def test_a_failed_request_says_why(demo, steering, django_capture_on_commit_callbacks, monkeypatch):
    # given rendering that breaks for good (not a passing database hiccup)
    def broken(snapshot, **options):
        raise ValueError("the chart has no room")

    monkeypatch.setattr(services, "render_status_page", broken)
    response = generate(steering, SEED_PAGE, django_capture_on_commit_callbacks)
    # then the request failed, with the reason, and nothing was archived
    failed = steering.get(response["Location"]).json()
    assert failed["state"] == "failed"
    assert "the chart has no room" in failed["error"]
    assert failed["links"] == {
        "self": response["Location"],
        "report": None,
        "pdf": None,
        "html": None,
    }
    assert not IssuedReport.objects.exists()


def test_a_portfolio_report_in_english(demo, steering, django_capture_on_commit_callbacks):
    body = {"kind": "portfolio", "area": "kommuneomraadet", "language": "en"}
    response = generate(steering, body, django_capture_on_commit_callbacks)

    done = steering.get(response["Location"]).json()
    assert done["state"] == "done", done["error"]
    report = steering.get(done["links"]["report"]).json()
    assert (report["kind"], report["project"], report["area"]) == (
        "portfolio",
        None,
        "kommuneomraadet",
    )
    data = content(steering.get(report["links"]["pdf"]))
    assert "Area: Kommuneområdet" in all_text(data)


def test_the_archive_lists_reports_newest_first_filtered_and_paged(
    demo, steering, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # given two issued status pages and a portfolio report
    capture = django_capture_on_commit_callbacks
    generate(steering, SEED_PAGE, capture)
    generate(steering, {**SEED_PAGE, "language": "en"}, capture)
    generate(steering, {"kind": "portfolio"}, capture)
    newest_first = list(IssuedReport.objects.order_by("-issued_at").values_list("id", flat=True))
    reader_client = client_as(roles.API_READERS)
    reader_client.get(REPORTS)  # the first use of a token records it; count the next ones
    # when an API reader lists the archive, then they see all three, newest first
    with django_assert_num_queries(2):  # the token, the page
        listed = reader_client.get(REPORTS).json()
    assert [r["id"] for r in listed["results"]] == [str(i) for i in newest_first]
    assert listed["next"] is None
    first = listed["results"][-1]
    assert first["requested_by"] and first["links"]["pdf"].endswith(f"{first['id']}/pdf")
    # and filters by project and kind
    by_project = reader_client.get(REPORTS, {"project": SLUG}).json()["results"]
    assert {r["language"] for r in by_project} == {"da", "en"}
    assert reader_client.get(REPORTS, {"project": "andet"}).json()["results"] == []
    portfolio = reader_client.get(REPORTS, {"kind": "portfolio"}).json()["results"]
    assert [r["kind"] for r in portfolio] == ["portfolio"]
    # and pages through them one at a time, each exactly once
    seen, url = [], REPORTS + "?limit=1"
    while url:
        page = reader_client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == [str(i) for i in newest_first]


def test_a_retried_post_with_the_same_idempotency_key_requests_once(demo, steering):
    first = steering.post(REPORTS, SEED_PAGE, format="json", HTTP_IDEMPOTENCY_KEY="rapport-1")
    again = steering.post(REPORTS, SEED_PAGE, format="json", HTTP_IDEMPOTENCY_KEY="rapport-1")

    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert ReportRequest.objects.count() == 1
    # the same key for a different request is refused and requests nothing
    other = steering.post(
        REPORTS, {**SEED_PAGE, "language": "en"}, format="json", HTTP_IDEMPOTENCY_KEY="rapport-1"
    )
    assert other.status_code == 422
    assert ReportRequest.objects.count() == 1


def test_reading_needs_a_sign_in_and_unknown_ids_are_404(demo, steering):
    assert client_as(None).get(REPORTS).status_code == 401
    unknown = "00000000-0000-4000-8000-000000000000"
    for url in (
        f"{REPORTS}{unknown}/",
        f"{REPORTS}{unknown}/pdf",
        f"{REPORTS}{unknown}/html",
        f"{REPORTS}requests/{unknown}/",
        f"{REPORTS}requests/not-a-uuid/",
    ):
        response = steering.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_bad_list_parameters_name_the_field(steering):
    response = steering.get(REPORTS, {"kind": "invoice"})

    assert response.status_code == 400 and response.json()["field"] == "kind"
    assert steering.get(REPORTS, {"cursor": "junk"}).json()["field"] == "cursor"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_a_report_requested_through_the_api(worker, tmp_path):
    # given the demo data, and a Celery worker on Redis in another process
    call_command("load_demo", verbosity=0)
    client = client_as(roles.PROJECT_MANAGERS)
    # when a project manager requests the seed page in English through the API
    body = {"kind": "status_page", "project": SLUG, "language": "en"}
    response = client.post(REPORTS, body, format="json")
    assert response.status_code == 202, response.content
    # then polling the request shows it done, with a download of the archived bytes
    deadline, state = time.monotonic() + 90, response.json()
    while state["state"] in ("queued", "running") and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker died"
        time.sleep(0.3)
        state = client.get(response["Location"]).json()
    log = (tmp_path / "worker.log").read_text()
    assert state["state"] == "done", f"{state}\n{log[-3000:]}"
    assert "reports.tasks.generate_report" in log
    report = client.get(state["links"]["report"]).json()
    data = content(client.get(state["links"]["pdf"]))
    assert hashlib.sha256(data).hexdigest() == report["sha256"]
    assert "Project leader: Dorthe Skou Lassen" in all_text(data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_one_key_make_one_request():
    # given two copies of one request, sent at the same moment
    user = factories.user(roles.STEERING_GROUP)
    clients = [client_as(None) for _ in range(2)]
    for client in clients:
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, name='t')[1]}")
    barrier, answers = threading.Barrier(2), [None, None]

    def send(index):
        try:
            barrier.wait()
            answers[index] = clients[index].post(
                REPORTS, {"kind": "portfolio"}, format="json", HTTP_IDEMPOTENCY_KEY="kapløb"
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then both are answered alike, and one request was made
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert ReportRequest.objects.count() == 1
