"""Publishing a status page on the public pages, as a manager does it, and what a visitor sees."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape

from portfolio import commands
from portfolio.models import Project
from reports.demo.seed import AREA_SLUG, PROJECT_LEADER, TITLE
from reports.demo.seed import PROJECT_SLUG as SLUG
from reports.models import Publication, ReportRequest
from risks.models import Risk

pytestmark = pytest.mark.django_db

PUBLIC = f"/status/{AREA_SLUG}/{SLUG}/"


@pytest.fixture
def manager(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return get_user_model().objects.get(username="projektleder")


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _publish(user, django_capture_on_commit_callbacks) -> Publication:
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(user).post(f"/projects/{SLUG}/publish/")
    assert response.status_code == 302
    request = ReportRequest.objects.get(publish=True, state="done")
    return Publication.objects.get(report__request=request)


def test_a_manager_publishes_and_anyone_reads_the_page_and_its_pdf(
    manager, django_capture_on_commit_callbacks
):
    # when the project's manager publishes its status page
    publication = _publish(manager, django_capture_on_commit_callbacks)

    # then anyone sees it listed, without logging in
    visitor = Client()
    index = visitor.get("/status/")
    assert index.status_code == 200
    assert escape(TITLE) in index.content.decode() and "24.04.2026" in index.content.decode()
    # and its page laid out as the status page, with the PDF as issued
    page = visitor.get(PUBLIC)
    html = page.content.decode()
    assert page.status_code == 200 and PROJECT_LEADER in html and "Formål" in html
    pdf = visitor.get(f"{PUBLIC}{publication.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == publication.report.file.open("rb").read()
    # and who published it and when is an event of the publication's own stream
    assert publication.published_at is not None


def test_the_public_page_shows_what_was_published_and_nothing_recorded_after(
    manager, django_capture_on_commit_callbacks
):
    # given a published page, then a new leader and a new risk recorded
    _publish(manager, django_capture_on_commit_callbacks)
    project_id = Project.objects.get(slug=SLUG).id
    commands.project_update(
        project_id=project_id,
        changes={"project_leader": "Ny Projektleder Efter"},
        expected_version=None,
        actor=manager,
    )
    assert Risk.objects.filter(project_id=project_id).exists()

    # when a visitor reads the public page, even asking for another date
    visitor = Client()
    html = visitor.get(PUBLIC + "?as_of=2099-01-01").content.decode()

    # then it is the published page: the old leader, not the new one, no history, no user names
    assert PROJECT_LEADER in html and "Ny Projektleder Efter" not in html
    assert "Historik" not in html and "projektleder" not in html.replace(PROJECT_LEADER.lower(), "")
    # and the private pages and the API stay closed to the visitor
    assert visitor.get(f"/projects/{SLUG}/")["Location"].startswith("/login/")
    assert visitor.get(f"/projects/{SLUG}/compare/")["Location"].startswith("/login/")
    assert visitor.get("/api/v1/projects/").status_code in (401, 403)
    assert visitor.get("/reports/")["Location"].startswith("/login/")


def test_a_project_never_published_has_no_public_page(demo):
    visitor = Client()
    assert visitor.get(PUBLIC).status_code == 404
    assert SLUG not in visitor.get("/status/").content.decode()


def test_a_withdrawn_publication_leaves_the_public_pages_and_the_earlier_one_shows(
    manager, django_capture_on_commit_callbacks
):
    # given two publications
    first = _publish(manager, django_capture_on_commit_callbacks)
    ReportRequest.objects.filter(publish=True).update(publish=False)  # tell the two apart
    second = _publish(manager, django_capture_on_commit_callbacks)
    visitor = Client()
    assert f"{first.pk}/" in visitor.get(PUBLIC).content.decode()  # listed as an earlier one

    # when the latest is withdrawn, with a reason
    response = _as(manager).post(
        f"/projects/{SLUG}/publications/{second.pk}/withdraw/", {"reason": "Forkert dato"}
    )

    # then it is gone from the public pages, and the earlier one is the public page again
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.withdrawal_reason == "Forkert dato" and second.withdrawn_at is not None
    assert visitor.get(f"{PUBLIC}{second.pk}/").status_code == 404
    assert visitor.get(f"{PUBLIC}{second.pk}/pdf/").status_code == 404
    assert f"{second.pk}" not in visitor.get("/status/feed/").content.decode()
    assert visitor.get(PUBLIC).status_code == 200


def test_only_the_projects_managers_publish_or_withdraw(
    manager, django_capture_on_commit_callbacks
):
    steering = get_user_model().objects.get(username="styregruppe")
    assert _as(steering).post(f"/projects/{SLUG}/publish/").status_code == 403
    publication = _publish(manager, django_capture_on_commit_callbacks)
    withdraw = f"/projects/{SLUG}/publications/{publication.pk}/withdraw/"
    assert _as(steering).post(withdraw, {"reason": "x"}).status_code == 403
    assert Client().post(withdraw, {"reason": "x"}).status_code == 302  # to the login page
    publication.refresh_from_db()
    assert publication.withdrawn_at is None


def test_public_pages_are_cacheable_and_answer_304_when_unchanged(
    manager, django_capture_on_commit_callbacks
):
    _publish(manager, django_capture_on_commit_callbacks)
    visitor = Client()
    for url in ("/status/", PUBLIC, "/status/feed/"):
        first = visitor.get(url)
        assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
        again = visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
    assert visitor.post("/status/").status_code == 405


def test_other_sites_may_frame_the_public_pages_only_when_listed(
    manager, django_capture_on_commit_callbacks, settings
):
    _publish(manager, django_capture_on_commit_callbacks)
    closed = Client().get(PUBLIC)
    assert "frame-ancestors 'none'" in closed["Content-Security-Policy"]
    assert closed["X-Frame-Options"] == "DENY"

    settings.PUBLIC_FRAME_ANCESTORS = ["https://www.medcom.dk"]
    framed = Client().get(PUBLIC)
    assert "frame-ancestors 'self' https://www.medcom.dk" in framed["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed
    # the private pages stay unframeable
    login = Client().get("/login/")
    assert "frame-ancestors 'none'" in login["Content-Security-Policy"]


def test_the_atom_feeds_list_each_publication(manager, django_capture_on_commit_callbacks):
    publication = _publish(manager, django_capture_on_commit_callbacks)
    visitor = Client()
    for url in ("/status/feed/", f"/status/{AREA_SLUG}/feed/"):
        feed = visitor.get(url)
        body = feed.content.decode()
        assert feed["Content-Type"].startswith("application/atom+xml")
        assert f"{PUBLIC}{publication.pk}/" in body and escape(TITLE) in body
    assert "<entry>" not in visitor.get("/status/andet-omraade/feed/").content.decode()


def test_the_public_pages_speak_english_when_asked(manager, django_capture_on_commit_callbacks):
    _publish(manager, django_capture_on_commit_callbacks)
    visitor = Client()
    danish, english = visitor.get(PUBLIC).content.decode(), visitor.get(PUBLIC + "?lang=en")
    assert "Formål" in danish and 'lang="da"' in danish
    assert "Purpose" in english.content.decode() and english["Content-Language"] == "en"
