"""The portfolio overview: each project with its leader, ratings, derived light, biggest risk, next
milestone, overdue count and whether its status is outdated; sortable by each column.

Built from the read models in a fixed number of queries (projects, their statuses, tracks, open
milestones, biggest risks, the last meetings), so it stays fast with hundreds of projects; the
as-of pages fold events.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.selectors import Outlook, outlooks
from portfolio import checks, selectors
from portfolio.domain import status_date_of
from portfolio.models import Project, Status
from portfolio.web.ratings import RATING_WORDS
from risks.models import Risk as RiskRow
from risks.selectors import marked_biggest

from ..derived import current_lights, last_meetings, meeting_of
from ..lights import GREEN, Light, status_outdated
from ..wording import light_reason

_RANK = {"red": 3, "yellow": 2, GREEN: 1}


@dataclass
class Row:
    project: Project
    ratings: list[tuple[str, str | None]] = field(default_factory=list)  # (track name, rating)
    outlook: Outlook = field(default_factory=Outlook)  # next milestone, how many overdue
    status_date: date | None = None
    light: Light = field(default_factory=lambda: Light(GREEN, ()))  # derived from the rule table
    why: str = ""  # the light's worst reason, in the page's language
    biggest_risk: RiskRow | None = None
    outdated: bool = False  # "status forældet"


def overview_rows(*, area: str = "", rating: str = "", query: str = "") -> list[Row]:
    """Return one row per project matching the filters, ordered by area and title."""
    projects = Project.objects.select_related("area").order_by("area__name", "title")
    if area:
        projects = projects.filter(area__slug=area)
    if query:
        projects = projects.filter(title__icontains=query)
    if rating:
        rated = Status.objects.filter(rating=rating).values("project_id")
        projects = projects.filter(id__in=rated)
    rows = {p.id: Row(p) for p in projects}
    if not rows:
        return []
    statuses = (
        Status.objects.filter(project_id__in=rows)
        .select_related("track")
        .order_by("project_id", "track__order")
    )
    reported_on = defaultdict(list)
    for status in statuses:
        row = rows[status.project_id]
        row.ratings.append((status.track.name if status.track_id else "", status.rating or None))
        reported_on[status.project_id].append(status.reported_on)
    for project_id, days in reported_on.items():
        rows[project_id].status_date = status_date_of(days)
    today = timezone.localdate()
    for project_id, outlook in outlooks(rows, on=today).items():
        rows[project_id].outlook = outlook
    _judge(list(rows.values()), today)
    return list(rows.values())


def _judge(rows: list[Row], today: date) -> None:
    """Give each row its derived light, its biggest risk and whether its status is outdated."""
    biggest, meetings = marked_biggest([r.project.id for r in rows]), last_meetings(today)
    lights = current_lights([r.project for r in rows], today, biggest=biggest, meetings=meetings)
    risks = defaultdict(list)
    for (project_id, _track), risk in biggest.items():
        risks[project_id].append(risk)
    for row in rows:
        meeting = meeting_of(meetings, row.project.area.slug if row.project.area_id else "")
        row.light = lights[row.project.id]
        row.why = light_reason(row.light.reasons[0]) if row.light.reasons else ""
        row.biggest_risk = max(risks[row.project.id], key=lambda r: r.score or 0, default=None)
        row.outdated = not row.project.closed and status_outdated(
            row.status_date, meeting, today, settings.STATUS_MAX_AGE_DAYS
        )


# The sortable columns: (key, heading, the value rows are sorted by). Unknown values sort last.
COLUMNS = [
    ("title", _("Project"), lambda r: r.project.title.casefold()),
    ("leader", _("Project leader"), lambda r: r.project.project_leader.casefold() or None),
    (
        "rating",
        _("Rating per track"),
        lambda r: max((_RANK.get(x, 0) for _, x in r.ratings), default=None),
    ),
    ("derived", _("Derived light"), lambda r: _RANK[r.light.rating]),
    ("risk", _("Biggest risk"), lambda r: r.biggest_risk.score if r.biggest_risk else None),
    ("next", _("Next milestone"), lambda r: getattr(r.outlook.next_milestone, "planned_on", None)),
    ("overdue", _("Overdue"), lambda r: r.outlook.overdue),
    ("status", _("Last status"), lambda r: r.status_date),
]
SORTS = {key: value for key, _label, value in COLUMNS}


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Return the rows sorted by a column key ("-key": descending), unknown values last."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    value = SORTS[key]
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    return sorted(known, key=value, reverse=descending) + unknown


def _headings(filters: dict, sort: str) -> list[dict]:
    """Return each column's heading with the link that sorts by it and its aria-sort state."""
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    headings = []
    for key, label, _value in COLUMNS:
        active = key == current
        wanted = f"-{key}" if active and not descending else key
        query = urlencode({**{k: v for k, v in filters.items() if v}, "sort": wanted})
        state = ("descending" if descending else "ascending") if active else "none"
        headings.append({"key": key, "label": label, "href": f"?{query}", "aria_sort": state})
    return headings


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show the portfolio: areas, their projects and how each is doing."""
    area = request.GET.get("area", "")
    rating = request.GET.get("rating", "")
    if rating not in checks.RATINGS:
        rating = ""
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") not in SORTS:
        sort = ""
    rows = overview_rows(area=area, rating=rating, query=query)
    if sort:
        rows = sort_rows(rows, sort)
    by_area: dict = defaultdict(list)
    for row in rows:
        by_area[row.project.area].append(row)
    filters = {"area": area, "rating": rating, "q": query}
    return render(
        request,
        "portfolio/overview.html",
        {
            "groups": list(by_area.items()),
            "count": len(rows),
            "outdated": sum(1 for r in rows if r.outdated),
            "areas": selectors.areas(),
            "ratings": [(code, RATING_WORDS[code]) for code in checks.RATINGS],
            "filters": filters,
            "filtered": bool(area or rating or query),
            "sort": sort,
            "headings": _headings(filters, sort),
            "max_age": settings.STATUS_MAX_AGE_DAYS,
        },
    )
