"""The site's URLs plus a plain Django JSON view: the baseline the API list is measured beside."""

from datetime import date

from django.db.models import F
from django.http import JsonResponse
from django.urls import include, path

from milestones.models import Milestone


def baseline_milestones(request):
    """Return 50 milestones of an area as JSON, the same rows as the API list, without DRF."""
    today = date.today()  # noqa: DTZ011 (a baseline: no need for the site's time zone)
    rows = (
        Milestone.objects.filter(project__area__slug=request.GET["area"])
        .order_by(F("planned_on").asc(nulls_last=True), "id")
        .values(
            "id",
            "project__slug",
            "project__area__slug",
            "track__name",
            "title",
            "original_plan",
            "planned_on",
            "achieved_on",
            "replan_count",
            "version",
        )[:50]
    )
    results = []
    for r in rows:
        state = (
            "achieved"
            if r["achieved_on"]
            else "unscheduled"
            if r["planned_on"] is None
            else "overdue"
            if r["planned_on"] < today
            else "planned"
        )
        results.append({**r, "state": state})
    return JsonResponse({"results": results})


urlpatterns = [
    path("bench/baseline/milestones/", baseline_milestones),
    path("", include("portfolio.urls")),
]
