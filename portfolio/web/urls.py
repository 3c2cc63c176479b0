"""URLs of the web pages; mounted at the site root by portfolio/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import edit_items, edit_project, overview, project, reports, views

P = "projects/<slug:slug>/"

urlpatterns = [
    path("", overview.overview, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    # Django 5 logs out on POST only, so a link cannot log someone out behind their back.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", reports.reports_page, name="reports"),
    path("reports/requests/<uuid:pk>/", reports.request_detail, name="report_request"),
    path("reports/<uuid:pk>/download/", reports.download, name="report_download"),
    path("reports/<uuid:pk>/html/", reports.download, {"html": True}, name="report_html"),
    path(P + "report/", reports.request_status_page, name="request_status_page"),
    path(P, project.project_page, name="project"),
    path(P + "compare/", project.compare, name="compare"),
    path(P + "edit/", edit_project.ProjectDetails.as_view(), name="project_edit"),
    path(P + "participants/", edit_project.Participants.as_view(), name="participants_edit"),
    path(P + "suppliers/", edit_project.Suppliers.as_view(), name="suppliers_edit"),
    path(P + "tracks/new/", edit_project.TrackAdd.as_view(), name="track_add"),
    path(P + "tracks/<str:track>/", edit_project.TrackChange.as_view(), name="track_change"),
    path(P + "kpis/new/", edit_items.KpiDefine.as_view(), name="kpi_define"),
    path(P + "status/<str:track>/", edit_project.StatusReport.as_view(), name="status_report"),
    path(P + "milestones/new/", edit_items.MilestonePlan.as_view(), name="milestone_plan"),
    path(
        P + "milestones/<str:item_id>/replan/",
        edit_items.MilestoneReplan.as_view(),
        name="milestone_replan",
    ),
    path(
        P + "milestones/<str:item_id>/achieve/",
        edit_items.MilestoneAchieve.as_view(),
        name="milestone_achieve",
    ),
    path(
        P + "milestones/<str:item_id>/correct/",
        edit_items.MilestoneCorrect.as_view(),
        name="milestone_correct",
    ),
    path(
        P + "milestones/<str:item_id>/rename/",
        edit_items.MilestoneRetitle.as_view(),
        name="milestone_retitle",
    ),
    path(P + "risks/<str:item_id>/edit/", edit_items.RiskRevise.as_view(), name="risk_revise"),
    path(P + "risks/new/", edit_items.RiskRaise.as_view(), name="risk_raise"),
    path(P + "risks/<str:item_id>/assess/", edit_items.RiskAssess.as_view(), name="risk_assess"),
    path(P + "risks/<str:item_id>/status/", edit_items.RiskStatus.as_view(), name="risk_status"),
    path(P + "risks/<str:item_id>/biggest/", edit_items.RiskBiggest.as_view(), name="risk_biggest"),
    path(P + "kpis/<str:item_id>/measure/", edit_items.KpiMeasure.as_view(), name="kpi_measure"),
    path(P + "kpis/<str:item_id>/remark/", edit_items.KpiRemark.as_view(), name="kpi_remark"),
    path(P + "decisions/new/", edit_project.DecisionRecord.as_view(), name="decision_record"),
]
