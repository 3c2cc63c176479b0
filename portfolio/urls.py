"""The site's URLs: the composition root, naming every app's pages and API."""

from django.contrib import admin
from django.urls import include, path

from portfolio import health, metrics

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.export, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", include("portfolio.api_urls")),
    path("", include("portfolio.web.urls")),
    path("", include("milestones.urls")),
    path("", include("risks.urls")),
    path("", include("reports.urls")),
]

# A database outage raised outside any view is a 503 too (web/outage.py).
handler500 = "portfolio.web.outage.server_error"
