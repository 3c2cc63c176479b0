"""URLs of the milestone edit pages, under a project; mounted at the site root."""

from django.urls import path

from . import views

P = "projects/<slug:slug>/milestones/"

urlpatterns = [
    path(P + "new/", views.MilestonePlan.as_view(), name="milestone_plan"),
    path(P + "<str:item_id>/replan/", views.MilestoneReplan.as_view(), name="milestone_replan"),
    path(P + "<str:item_id>/achieve/", views.MilestoneAchieve.as_view(), name="milestone_achieve"),
    path(P + "<str:item_id>/correct/", views.MilestoneCorrect.as_view(), name="milestone_correct"),
    path(P + "<str:item_id>/rename/", views.MilestoneRetitle.as_view(), name="milestone_retitle"),
]
