"""The site's URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("portfolio.api_urls")),
    path("", include("portfolio.web.urls")),
]
