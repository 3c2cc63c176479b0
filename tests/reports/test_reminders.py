"""Reminders before steering meetings: e-mailed through a real SMTP server, once, and not to a
manager who turned them off."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from portfolio import commands, roles
from reports.models import StatusReminder, SteeringMeeting
from reports.tasks import send_status_reminders
from tests import factories

SITE = "https://portefolje.example.org"


def _project(manager, area_id, title, reported_on):
    project_id = factories.project(manager, area_id=area_id, slug=title.lower(), title=title)
    commands.status_report(
        project_id=project_id,
        track_id=None,
        rating="green",
        narrative="Status",
        reported_on=reported_on,
        justification="Vi kender sagen",
        expected_version=None,
        actor=manager,
    )
    return project_id


@pytest.fixture
def meetings(pinned_today, db, settings):
    """A meeting held ten days ago and one in five days; Alfa's status predates the first,
    Beta's does not."""
    settings.REMINDER_DAYS_BEFORE_MEETING = 7
    settings.SITE_URL = SITE
    manager = factories.user(
        roles.PROJECT_MANAGERS, username="dsl", email="dsl@example.org", first_name="Dorthe"
    )
    area_id = factories.area(slug="kommuner")
    SteeringMeeting.objects.create(meets_on=pinned_today - timedelta(days=10))
    upcoming = SteeringMeeting.objects.create(meets_on=pinned_today + timedelta(days=5))
    _project(manager, area_id, "Alfa", pinned_today - timedelta(days=20))
    _project(manager, area_id, "Beta", pinned_today - timedelta(days=2))
    return upcoming


def test_a_manager_of_a_stale_project_gets_one_mail_with_a_link_to_the_status_form(
    smtp_inbox, meetings, client
):
    # when beat runs the task, twice
    assert send_status_reminders() == 1
    assert send_status_reminders() == 0

    # then one mail arrived, about Alfa only, Danish first, then English
    [mail] = smtp_inbox.messages
    assert mail["To"] == "dsl@example.org"
    assert "Alfa" in mail["Subject"] and mail["Subject"].startswith("Påmindelse")
    body = mail.get_content()
    danish, english = body.index("Styregruppen mødes"), body.index("The steering group meets")
    assert danish < english
    assert f"{SITE}/projects/alfa/status/-/" in body
    assert f"{SITE}/settings/" in body
    assert "Beta" not in body
    assert StatusReminder.objects.filter(meeting=meetings, username="dsl").count() == 1

    # and the overview flags the same project
    client.force_login(User.objects.get(username="dsl"))
    rows = [row for _, rows in client.get("/").context["groups"] for row in rows]
    assert [r.project.title for r in rows if r.outdated] == ["Alfa"]


def test_a_manager_who_turned_reminders_off_gets_none(smtp_inbox, meetings, client):
    client.force_login(User.objects.get(username="dsl"))
    page = client.get("/settings/")
    assert page.context["form"]["send_reminders"].value() is True
    response = client.post("/settings/", {}, follow=True)  # the box unticked
    assert "Gemt: påmindelser slået fra." in response.content.decode()

    assert send_status_reminders() == 0
    assert smtp_inbox.messages == []

    client.post("/settings/", {"send_reminders": "on"})
    assert send_status_reminders() == 1


def test_no_reminder_before_the_reminder_days(smtp_inbox, meetings, settings):
    settings.REMINDER_DAYS_BEFORE_MEETING = 4  # the meeting is five days away
    assert send_status_reminders() == 0
    assert smtp_inbox.messages == []


def test_a_mail_server_that_is_down_records_nothing_and_the_next_run_sends(
    meetings, settings, smtp_inbox
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert send_status_reminders() == 0
    assert not StatusReminder.objects.exists()
    settings.EMAIL_PORT = port
    assert send_status_reminders() == 1
    assert len(smtp_inbox.messages) == 1


def test_beat_schedules_the_reminders():
    from portfolio.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["reports-status-reminders"]
    assert entry["task"] == "reports.tasks.send_status_reminders"


def test_an_administrator_records_a_steering_meeting_in_the_admin(client, db):
    client.force_login(factories.admin())
    response = client.post(
        "/admin/reports/steeringmeeting/add/",
        {"meets_on": "2026-10-01", "area_slug": "", "language": "da"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert SteeringMeeting.objects.filter(meets_on="2026-10-01").exists()
    assert client.get("/admin/reports/statusreminder/add/").status_code == 403


def test_two_runs_at_once_send_each_reminder_once(transactional_db, smtp_inbox, meetings):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from reports.reminders import send_due

    barrier = Barrier(2)

    def run(_):
        barrier.wait()
        try:
            return send_due()
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        sent = list(pool.map(run, range(2)))

    assert sorted(sent) == [0, 1]
    assert len(smtp_inbox.messages) == 1
    assert StatusReminder.objects.count() == 1
