"""The site's URLs plus a plain Django JSON view: the baseline the API list is measured beside."""

from datetime import date

from django.db.models import F
from django.http import JsonResponse
from django.urls import include, path

from milestones.apis import ROW_FIELDS
from milestones.models import Milestone
from milestones.rules import state_of


def baseline_milestones(request):
    """Return 50 milestones of an area as JSON, the same rows as the API list, without DRF."""
    today = date.today()  # noqa: DTZ011 (a baseline: no need for the site's time zone)
    rows = (
        Milestone.objects.filter(project__area__slug=request.GET["area"])
        .order_by(F("planned_on").asc(nulls_last=True), "id")
        .values(*ROW_FIELDS)[:50]
    )
    results = []
    for r in rows:
        results.append({**r, "state": state_of(r["planned_on"], r["achieved_on"], today)})
    return JsonResponse({"results": results})


urlpatterns = [
    path("bench/baseline/milestones/", baseline_milestones),
    path("", include("portfolio.urls")),
]
