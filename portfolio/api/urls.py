"""URLs under /api/: the schema, its browsable docs, version 1, and a JSON 404 for the rest."""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from milestones import apis as milestones

from .feed import EventFeedApi
from .problems import not_found
from .views import MeApi

app_name = "api"

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
    path("projects/<slug:slug>/milestones/", milestones.MilestonePlanApi.as_view()),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/", include(v1)),
    # Last: anything else under /api/ is a JSON 404, never the site's HTML page.
    re_path(r"^", not_found),
]
