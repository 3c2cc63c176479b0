"""URLs of the web pages; mounted at the site root by portfolio/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import edit_kpis, edit_project, history_page, setup, views

P = "projects/<slug:slug>/"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Django 5 logs out on POST only, so a link cannot log someone out behind their back.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(P + "history/", history_page.history_page, name="history"),
    path(P + "edit/", edit_project.ProjectDetails.as_view(), name="project_edit"),
    path(P + "participants/", edit_project.Participants.as_view(), name="participants_edit"),
    path(P + "suppliers/", edit_project.Suppliers.as_view(), name="suppliers_edit"),
    path(P + "tracks/new/", edit_project.TrackAdd.as_view(), name="track_add"),
    path(P + "tracks/<str:track>/", edit_project.TrackChange.as_view(), name="track_change"),
    path(P + "kpis/new/", edit_kpis.KpiDefine.as_view(), name="kpi_define"),
    path(P + "kpis/<str:item_id>/measure/", edit_kpis.KpiMeasure.as_view(), name="kpi_measure"),
    path(P + "kpis/<str:item_id>/remark/", edit_kpis.KpiRemark.as_view(), name="kpi_remark"),
    path(P + "managers/", setup.ProjectManagers.as_view(), name="project_managers"),
    path(P + "close/", setup.ProjectClose.as_view(), name="project_close"),
    path(P + "reopen/", setup.ProjectReopen.as_view(), name="project_reopen"),
    path("setup/", setup.SetupIndex.as_view(), name="setup"),
    path("setup/areas/new/", setup.AreaCreate.as_view(), name="area_create"),
    path("setup/areas/<slug:area>/rename/", setup.AreaRename.as_view(), name="area_rename"),
    path("setup/projects/new/", setup.ProjectCreate.as_view(), name="project_create"),
    path(P + "decisions/new/", edit_project.DecisionRecord.as_view(), name="decision_record"),
]
