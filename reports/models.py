"""Report requests (what was asked, its progress) and the archive of issued reports."""

import uuid

from django.conf import settings
from django.db import models


class ReportRequest(models.Model):
    """One request for a report, pinned at request time to a time and a log position."""

    STATUS_PAGE = "status_page"
    PORTFOLIO = "portfolio"
    KINDS = [(STATUS_PAGE, "Status page"), (PORTFOLIO, "Portfolio report")]

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=KINDS)
    project_slug = models.CharField(max_length=200, blank=True)  # status pages
    area_slug = models.CharField(max_length=200, blank=True)  # portfolio of one area
    language = models.CharField(max_length=2, default="da")
    as_of_time = models.DateTimeField()
    as_of_position = models.BigIntegerField()
    changes_since = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)  # why it failed, shown to the user
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (reports.jobs)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The outbox (reports.jobs): recorded with the request, so a job the broker never got, or
    # whose worker vanished, is found and sent again. Null: not handed to the broker yet.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Queued or running past this, the job is presumed lost and is sent again.
    deadline = models.DateTimeField(null=True, blank=True)
    # Publish the issued status page as the project's public one (reports.publishing).
    publish = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # What the sweep reads: the few open requests, not the whole history.
            models.Index(
                fields=["deadline"],
                name="open_report_requests",
                condition=models.Q(state__in=["queued", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.project_slug or self.area_slug or 'all'} ({self.state})"


def _upload_to(report: "IssuedReport", filename: str) -> str:
    return f"reports/{report.issued_at:%Y/%m}/{filename}"


class IssuedReport(models.Model):
    """An issued report, kept for ever: re-rendering its pinned point must give its SHA-256."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One archived report per request: a task run twice finds it and stops.
    request = models.OneToOneField(
        ReportRequest, null=True, blank=True, related_name="report", on_delete=models.PROTECT
    )
    kind = models.CharField(max_length=20, choices=ReportRequest.KINDS)
    project_slug = models.CharField(max_length=200, blank=True, db_index=True)
    area_slug = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=2)
    as_of_time = models.DateTimeField()
    as_of_position = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    # The ReportLab that rendered the file: a re-render by another version may differ in its
    # bytes alone. Blank for reports archived before the version was recorded.
    reportlab_version = models.CharField(max_length=32, blank=True)
    file = models.FileField(upload_to=_upload_to)
    html_file = models.FileField(upload_to=_upload_to, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.project_slug or self.area_slug or 'all'} {self.sha256[:12]}"


class SteeringMeeting(models.Model):
    """A steering-group meeting; the portfolio report is generated the day before it."""

    area_slug = models.CharField(max_length=200, blank=True)  # blank: the whole portfolio
    meets_on = models.DateField()
    language = models.CharField(max_length=2, default="da")
    request = models.OneToOneField(
        ReportRequest, null=True, blank=True, related_name="meeting", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["meets_on"]
        constraints = [
            models.UniqueConstraint(fields=["area_slug", "meets_on"], name="one_meeting_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.area_slug or 'portfolio'} {self.meets_on}"


class Redaction(models.Model):
    """An issued report re-rendered because a person it named was erased: when, by whom,
    why, and the SHA-256 of the file it replaced (the old file itself is gone)."""

    report = models.ForeignKey(IssuedReport, on_delete=models.PROTECT, related_name="redactions")
    redacted_at = models.DateTimeField()
    redacted_by = models.CharField(max_length=150)
    reason = models.TextField()
    replaced_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["redacted_at"]

    def __str__(self) -> str:
        return f"{self.report} redacted {self.redacted_at:%Y-%m-%d}"


class Publication(models.Model):
    """A status page published on the public pages (reports.publishing): the read model of a
    Publication stream, whose id is the issued report's. What the public pages list is what the
    page said when it was published, kept here from the event, never the project's current
    state."""

    report = models.OneToOneField(
        IssuedReport, primary_key=True, related_name="publication", on_delete=models.PROTECT
    )
    project_id = models.CharField(max_length=36, db_index=True)
    project_slug = models.CharField(max_length=200)
    area_slug = models.CharField(max_length=200)
    area_name = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    status_date = models.DateField(null=True)
    light = models.CharField(max_length=20, blank=True)  # the worst rating on the page
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.project_slug} {self.published_at:%Y-%m-%d}"


class StatusReminder(models.Model):
    """A reminder e-mailed to a project's manager before a steering meeting: recorded with the
    sending, so each is sent once however often beat runs."""

    meeting = models.ForeignKey(SteeringMeeting, on_delete=models.CASCADE, related_name="+")
    project_id = models.CharField(max_length=36)
    username = models.CharField(max_length=150)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "project_id", "username"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.project_id} before {self.meeting}"


class ReminderPreference(models.Model):
    """Whether a user wants the status reminders; without a row, they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    send_reminders = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {'on' if self.send_reminders else 'off'}"
