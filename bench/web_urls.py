"""The site's URLs plus a minimal Django page: the baseline bench/web_pages.py measures beside."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from portfolio.models import Project

PAGE = engines["django"].from_string(
    "<!doctype html><html lang='da'><title>Projekter</title><ul>"
    "{% for p in projects %}<li><a href='/projects/{{ p.slug }}/'>{{ p.title }}</a>"
    " ({{ p.area.name }})</li>{% endfor %}</ul></html>"
)


@login_required
def baseline(request):
    """List the projects with their areas: one query and a template, through the same middleware."""
    projects = Project.objects.select_related("area").order_by("area__name", "title")
    return HttpResponse(PAGE.render({"projects": projects}, request))


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("portfolio.urls")),
]
