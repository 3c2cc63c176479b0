"""The portfolio overview: each project with its rating per track, next milestone, overdue count.

Built from the read models in a fixed number of queries (projects, their statuses, their open
milestones, the areas), so it stays fast with hundreds of projects; the as-of pages fold events.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from milestones.selectors import Outlook, outlooks
from portfolio import checks, selectors
from portfolio.domain import status_date_of
from portfolio.models import Project, Status
from portfolio.web.ratings import RATING_WORDS


@dataclass
class Row:
    project: Project
    ratings: list[tuple[str, str | None]] = field(default_factory=list)  # (track name, rating)
    outlook: Outlook = field(default_factory=Outlook)  # next milestone, how many overdue
    status_date: date | None = None


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
    for project_id, outlook in outlooks(rows, on=timezone.localdate()).items():
        rows[project_id].outlook = outlook
    return list(rows.values())


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show the portfolio: areas, their projects and how each is doing."""
    area = request.GET.get("area", "")
    rating = request.GET.get("rating", "")
    if rating not in checks.RATINGS:
        rating = ""
    query = request.GET.get("q", "").strip()[:200]
    rows = overview_rows(area=area, rating=rating, query=query)
    by_area: dict = defaultdict(list)
    for row in rows:
        by_area[row.project.area].append(row)
    return render(
        request,
        "portfolio/overview.html",
        {
            "groups": list(by_area.items()),
            "count": len(rows),
            "areas": selectors.areas(),
            "ratings": [(code, RATING_WORDS[code]) for code in checks.RATINGS],
            "filters": {"area": area, "rating": rating, "q": query},
            "filtered": bool(area or rating or query),
        },
    )
