"""Portfolio reports before steering-group meetings, requested by Celery beat."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import ReportRequest, SteeringMeeting
from .services import request_report

LEAD_DAYS = 1


def request_due_meeting_reports(today: date | None = None) -> list[str]:
    """Request the portfolio report of every meeting within LEAD_DAYS that has none yet."""
    today = today or timezone.localdate()
    requested = []
    due = SteeringMeeting.objects.filter(
        meets_on__gte=today, meets_on__lte=today + timedelta(days=LEAD_DAYS), request=None
    )
    for meeting_id in due.values_list("id", flat=True):
        with transaction.atomic():
            meeting = SteeringMeeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.request_id:  # another beat run got it first
                continue
            meeting.request = request_report(
                None, ReportRequest.PORTFOLIO, meeting.area_slug or None, None, meeting.language
            )
            meeting.save(update_fields=["request"])
            requested.append(str(meeting.request_id))
    return requested
