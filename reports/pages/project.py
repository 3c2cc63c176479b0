"""The project page (now or as of a date) and the comparison of two dates."""

import uuid
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio import limits, roles
from portfolio.selectors import NOW, AsOf, project_state
from portfolio.web import history
from portfolio.web.dates import long_day
from portfolio.web.views import bad_request
from reports import publishing
from reports.models import IssuedReport

from .compare import compare_rows
from .status import page_context

# The project page lists the newest changes only; the history page pages through them all.
RECENT = 10


class BadDay(ValueError):
    """A date in the query that the pages cannot show (said in the page's language)."""


def parse_day(value: str | None) -> date | None:
    """Return the date in an `as_of`-style query parameter (ISO, as <input type=date> sends).

    A page shows what was recorded by a day, so the day is a business date (limits) and not
    after today; anything else is a BadDay.
    """
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadDay(_("Write the date as YYYY-MM-DD, for example 2026-04-24.")) from None
    if not limits.EARLIEST_DATE <= day <= limits.LATEST_DATE:
        first, last = long_day(limits.EARLIEST_DATE), long_day(limits.LATEST_DATE)
        message = _("The date must be from %(first)s to %(last)s.")
        raise BadDay(message % {"first": first, "last": last})
    if day > timezone.localdate():
        raise BadDay(
            _("%(day)s is in the future. The page shows what was recorded, up to today.")
            % {"day": long_day(day)}
        )
    return day


def permissions(user, state) -> dict:
    """What the user may do on this page; the edit views check the same rules again."""
    live = state.as_of.is_now and not state.project.closed
    return {
        "can_edit": live and roles.can_manage_project(user, state.project.managers),
        "can_decide": live and roles.can_record_decision(user),
        "can_request_report": roles.can_request_report(user),
    }


def issued_point(slug: str, report_id: str | None):
    """Return (point, report) of an issued status page of this project, or (None, None)."""
    try:
        report = IssuedReport.objects.filter(pk=uuid.UUID(report_id or ""), project_slug=slug)
    except ValueError:
        return None, None
    report = report.first()
    if report is None:
        return None, None
    return AsOf(time=report.as_of_time, position=report.as_of_position), report


@login_required
def project_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show everything the status page shows, plus the registers and the latest changes.

    ?as_of=YYYY-MM-DD shows it as recorded by the end of that day; ?report=<id> exactly as an
    issued status page pinned it (its time and log position).
    """
    as_of, report = issued_point(slug, request.GET.get("report"))
    try:
        asked = parse_day(request.GET.get("as_of"))
    except BadDay as error:
        return bad_request(request, str(error))
    day = timezone.localdate(report.as_of_time) if report else asked
    as_of = as_of or (AsOf.of_date(day) if day else NOW)
    state = project_state(slug, as_of)
    if state is None:
        if day and project_state(slug) is not None:
            return render(request, "portfolio/not_yet.html", {"slug": slug, "day": day}, status=404)
        raise Http404("no such project")
    context = page_context(state)
    context |= permissions(request.user, state)
    context |= {
        "as_of_day": day,
        "as_of_report": report,
        # Newest first: the first is the page's "latest status page" link.
        "issued": IssuedReport.objects.filter(project_slug=slug).order_by(
            "-as_of_time", "-issued_at"
        )[:20],
        "today": timezone.localdate(),
        "history": history.recent(slug, RECENT, until=as_of),
        "publication": publishing.current(slug),
    }
    return render(request, "portfolio/project.html", context)


@login_required
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the project at two dates side by side, differences marked, and the changes between."""
    today = timezone.localdate()
    try:
        first = parse_day(request.GET.get("from"))
        second = parse_day(request.GET.get("to")) or today
    except BadDay as error:
        return bad_request(request, str(error))
    current = project_state(slug)
    if current is None:
        raise Http404("no such project")
    context = {"project": current.project, "area": current.area, "first": first, "second": second}
    if first is not None:
        if first > second:
            first, second = second, first
            context |= {"first": first, "second": second}
        since, until = AsOf.of_date(first), AsOf.of_date(second)
        rows = compare_rows(project_state(slug, since), project_state(slug, until))
        context |= {
            "rows": rows,
            "changed_count": sum(r["changed"] for r in rows),
            "entries": history.entries(slug, since, until),
        }
    return render(request, "portfolio/compare.html", context)
