"""URLs of the risk edit pages, under a project; mounted at the site root."""

from django.urls import path

from . import views

P = "projects/<slug:slug>/risks/"

urlpatterns = [
    path(P + "new/", views.RiskRaise.as_view(), name="risk_raise"),
    path(P + "<str:item_id>/edit/", views.RiskRevise.as_view(), name="risk_revise"),
    path(P + "<str:item_id>/assess/", views.RiskAssess.as_view(), name="risk_assess"),
    path(P + "<str:item_id>/status/", views.RiskStatus.as_view(), name="risk_status"),
    path(P + "<str:item_id>/biggest/", views.RiskBiggest.as_view(), name="risk_biggest"),
]
