"""Status reminders: some days before each steering meeting, every manager of a project whose
status predates the previous meeting is e-mailed a link to the status form, once."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portfolio import roles
from portfolio.domain import NO_TRACK, status_date_of
from portfolio.models import Project, Status, Track
from portfolio.web.dates import long_day

from .derived import meeting_before
from .lights import reported_before
from .models import ReminderPreference, StatusReminder, SteeringMeeting

log = logging.getLogger(__name__)


@dataclass
class Due:
    """A project whose managers are to be reminded before a meeting."""

    meeting: SteeringMeeting
    previous: date  # the meeting its status predates
    project: Project
    reported_on: date | None  # its last status
    tracks: list[tuple[str, str]]  # (track key for the form's URL, name) whose status predates


def due(today: date) -> list[Due]:
    """Return the projects to remind about, for each meeting within the reminder days ahead."""
    ahead = today + timedelta(days=settings.REMINDER_DAYS_BEFORE_MEETING)
    found = []
    for meeting in SteeringMeeting.objects.filter(meets_on__gt=today, meets_on__lte=ahead):
        projects = Project.objects.filter(closed=False).select_related("area")
        if meeting.area_slug:
            projects = projects.filter(area__slug=meeting.area_slug)
        for project in projects:
            area = project.area.slug if project.area_id else ""
            previous = meeting_before(area, meeting.meets_on)
            if previous is not None:
                found += _stale(meeting, previous, project)
    return found


def _stale(meeting: SteeringMeeting, previous: date, project: Project) -> list[Due]:
    """Return the project as due when its status predates the previous meeting."""
    reported = {
        s.track_id or NO_TRACK: s.reported_on
        for s in Status.objects.filter(project=project, reported_on__isnull=False)
    }
    last = status_date_of(reported.values())
    if not reported_before(last, previous):
        return []
    tracks = [(t.id, t.name) for t in Track.objects.filter(project=project).order_by("order")]
    keys = tracks or [("-", "")]
    stale = [(key, name) for key, name in keys if reported_before(reported.get(key), previous)]
    return [Due(meeting, previous, project, last, stale)]


def send_due(today: date | None = None) -> int:
    """Send every reminder due today that has not been sent; return how many were sent."""
    today = today or timezone.localdate()
    users = get_user_model().objects
    sent = 0
    for item in due(today):
        for username in item.project.managers:
            user = users.filter(username=username, is_active=True).exclude(email="").first()
            if user is None or not wants_reminders(user):
                continue
            if not roles.can_manage_project(user, item.project.managers):
                continue
            try:
                sent += _send_once(item, user)
            except OSError:  # the mail server: this one is tried again on the next run
                log.exception("reminder to %s about %s not sent", username, item.project.slug)
    return sent


def _send_once(item: Due, user) -> int:
    """Record the reminder and send it in one transaction: a failed send records nothing."""
    with transaction.atomic():
        _, created = StatusReminder.objects.get_or_create(
            meeting=item.meeting,
            project_id=item.project.id,
            username=user.get_username(),
            defaults={"sent_at": timezone.now()},
        )
        if created:
            message(item, user).send()
    return int(created)


def wants_reminders(user) -> bool:
    preference = ReminderPreference.objects.filter(user=user).first()
    return preference is None or preference.send_reminders


def message(item: Due, user) -> EmailMessage:
    """Return the reminder e-mail: Danish first, then the same in English."""
    parts, subject = [], ""
    for language in ("da", "en"):
        with translation.override(language):
            subject = subject or _("Reminder: report the status of %(project)s") % {
                "project": item.project.title
            }
            parts.append(_body(item, user))
    return EmailMessage(subject, "\n\n-----\n\n".join(parts), to=[user.email])


def _body(item: Due, user) -> str:
    site = settings.SITE_URL
    links = []
    for key, name in item.tracks:
        url = site + reverse("status_report", args=[item.project.slug, key])
        links.append(f"- {name or capfirst(_('the whole project'))}: {url}")
    if item.reported_on is None:
        status = _("%(project)s has no status yet.") % {"project": item.project.title}
    else:
        status = _(
            "The last status of %(project)s is from %(reported)s, before the steering meeting "
            "on %(previous)s."
        ) % {
            "project": item.project.title,
            "reported": long_day(item.reported_on),
            "previous": long_day(item.previous),
        }
    text = _(
        "Dear %(name)s,\n\n"
        "The steering group meets on %(meeting)s. %(status)s Please report the status here:"
        "\n\n%(links)s\n\n"
        "You get this reminder because you manage the project. You can turn reminders off "
        "under My settings: %(settings)s"
    )
    return text % {
        "name": user.get_full_name() or user.get_username(),
        "meeting": long_day(item.meeting.meets_on),
        "status": status,
        "links": "\n".join(links),
        "settings": site + reverse("my_settings"),
    }
