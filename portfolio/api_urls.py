"""URLs under /api/: the schema, its browsable docs, version 1, and a JSON 404 for the rest."""

from collections.abc import Callable
from functools import cache

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from milestones import apis as milestones
from portfolio.api_platform.feed import EventFeedApi
from portfolio.api_platform.problems import not_found
from portfolio.api_platform.views import MeApi
from portfolio.webhooks import apis as webhooks
from reports import apis as reports
from reports.project_api import commands as project_commands
from reports.project_api import projects
from risks import apis as risks

app_name = "api"

# The documentation pages write inline styles (their templates, and Redoc its own at run time)
# and Redoc searches in a worker it makes from a blob; their scripts are files of ours, as
# everywhere (Swagger UI's set-up too: the split view).
docs_policy = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})


def spectacular(name: str, **initkwargs) -> Callable[..., HttpResponse]:
    """Return drf-spectacular's view `name`, imported when first asked: loading it is slow and
    few requests want the schema."""

    @cache
    def load() -> Callable[..., HttpResponse]:
        from drf_spectacular import views

        return getattr(views, name).as_view(**initkwargs)

    @csrf_exempt
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return load()(request, *args, **kwargs)

    return view


v1 = [
    path("me/", MeApi.as_view(), name="me"),
    path("events/", EventFeedApi.as_view(), name="events"),
    path("milestones/", milestones.MilestoneListApi.as_view(), name="milestones"),
    path("milestones/<str:milestone_id>/", milestones.MilestoneDetailApi.as_view()),
    path("milestones/<str:milestone_id>/replan/", milestones.MilestoneReplanApi.as_view()),
    path("milestones/<str:milestone_id>/achieve/", milestones.MilestoneAchieveApi.as_view()),
    path(
        "milestones/<str:milestone_id>/correct-achievement/",
        milestones.MilestoneCorrectAchievementApi.as_view(),
    ),
    path("milestones/<str:milestone_id>/retitle/", milestones.MilestoneRetitleApi.as_view()),
    path("milestones/<str:milestone_id>/withdraw/", milestones.MilestoneWithdrawApi.as_view()),
    path("projects/<slug:slug>/milestones/", milestones.MilestonePlanApi.as_view()),
    path("areas/", project_commands.AreasApi.as_view(), name="areas"),
    path("areas/<slug:slug>/rename/", project_commands.AreaRenameApi.as_view()),
    path("projects/", project_commands.ProjectsApi.as_view(), name="projects"),
    path("projects/<slug:slug>/", projects.ProjectDetailApi.as_view()),
    path("projects/<slug:slug>/history/", projects.ProjectHistoryApi.as_view()),
    path("projects/<slug:slug>/changes/", projects.ProjectChangesApi.as_view()),
    path("projects/<slug:slug>/update/", project_commands.ProjectUpdateApi.as_view()),
    path("projects/<slug:slug>/tracks/", project_commands.TrackAddApi.as_view()),
    path("projects/<slug:slug>/status/", project_commands.StatusReportApi.as_view()),
    path("projects/<slug:slug>/close/", project_commands.ProjectCloseApi.as_view()),
    path("projects/<slug:slug>/reopen/", project_commands.ProjectReopenApi.as_view()),
    path("projects/<slug:slug>/decisions/", project_commands.DecisionRecordApi.as_view()),
    path("projects/<slug:slug>/kpis/", project_commands.KpiDefineApi.as_view()),
    path("projects/<slug:slug>/risks/", risks.RiskRaiseApi.as_view()),
    path("decisions/", projects.DecisionListApi.as_view(), name="decisions"),
    path("kpis/", projects.KpiListApi.as_view(), name="kpis"),
    path("kpis/<str:kpi_id>/", projects.KpiDetailApi.as_view()),
    path("kpis/<str:kpi_id>/points/", project_commands.KpiMeasureApi.as_view()),
    path("kpis/<str:kpi_id>/remark/", project_commands.KpiRemarkApi.as_view()),
    path("risks/", risks.RiskListApi.as_view(), name="risks"),
    path("risks/<str:risk_id>/", risks.RiskDetailApi.as_view()),
    path("risks/<str:risk_id>/assess/", risks.RiskAssessApi.as_view()),
    path("risks/<str:risk_id>/revise/", risks.RiskReviseApi.as_view()),
    path("risks/<str:risk_id>/status/", risks.RiskStatusApi.as_view()),
    path("risks/<str:risk_id>/mark-biggest/", risks.RiskMarkBiggestApi.as_view()),
    path("risks/<str:risk_id>/withdraw/", risks.RiskWithdrawApi.as_view()),
    path("reports/", reports.ReportsApi.as_view(), name="reports"),
    path(
        "reports/requests/<uuid:request_id>/",
        reports.ReportRequestApi.as_view(),
        name="report-request",
    ),
    path("reports/<uuid:report_id>/", reports.ReportDetailApi.as_view(), name="report"),
    path("reports/<uuid:report_id>/pdf", reports.ReportPdfApi.as_view(), name="report-pdf"),
    path("webhooks/", webhooks.WebhooksApi.as_view(), name="webhooks"),
    path("webhooks/<uuid:webhook_id>/", webhooks.WebhookDetailApi.as_view()),
    path("webhooks/<uuid:webhook_id>/deliveries/", webhooks.WebhookDeliveriesApi.as_view()),
    path("reports/<uuid:report_id>/html", reports.ReportHtmlApi.as_view(), name="report-html"),
]

urlpatterns = [
    path("schema/", spectacular("SpectacularAPIView"), name="schema"),
    path(
        "docs/",
        docs_policy(spectacular("SpectacularSwaggerSplitView", url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        docs_policy(
            spectacular(
                "SpectacularRedocView", url_name="api:schema", template_name="api/redoc.html"
            )
        ),
        name="redoc",
    ),
    path("v1/", include(v1)),
    # Last: anything else under /api/ is a JSON 404, never the site's HTML page.
    re_path(r"^", not_found),
]
