"""URLs of the pages that show a project whole and of its reports; mounted at the site root."""

from django.urls import path

from . import public, views
from .pages import account, overview, project, publish, status_report

P = "projects/<slug:slug>/"

S = "status/<slug:area>/<slug:slug>/"

urlpatterns = [
    # The public pages, without login: published status pages only (reports.public).
    path("status/", public.index, name="public_status"),
    path("status/style.css", public.stylesheet, name="public_style"),
    path("status/feed/", public.feed, name="public_feed"),
    path("status/<slug:area>/feed/", public.feed, name="public_area_feed"),
    path(S, public.project_page, name="public_project"),
    path(S + "<uuid:report>/", public.project_page, name="public_publication"),
    path(S + "<uuid:report>/pdf/", public.pdf, name="public_pdf"),
    path("", overview.overview, name="home"),
    path(P, project.project_page, name="project"),
    path(P + "compare/", project.compare, name="compare"),
    # Here, not with the other forms: only this layer sees the derived light it checks against.
    path(P + "status/<str:track>/", status_report.StatusReport.as_view(), name="status_report"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/requests/<uuid:pk>/", views.request_detail, name="report_request"),
    path("reports/<uuid:pk>/download/", views.download, name="report_download"),
    path("reports/<uuid:pk>/html/", views.download, {"html": True}, name="report_html"),
    path(P + "report/", views.request_status_page, name="request_status_page"),
    path(P + "publish/", publish.publish, name="publish"),
    path(P + "publications/<uuid:report>/withdraw/", publish.withdraw, name="withdraw"),
    path("settings/", account.my_settings, name="my_settings"),
]
