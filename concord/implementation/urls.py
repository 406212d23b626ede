from django.urls import path

from concord.implementation import views

urlpatterns = [
    path("orgs/<slug:org>/implementation/", views.dashboard, name="implementation-dashboard"),
    path(
        "orgs/<slug:org>/implementation/<slug:chart>.csv",
        views.dashboard_csv,
        name="implementation-csv",
    ),
    path(
        "orgs/<slug:org>/implementation/reminders/",
        views.reminders,
        name="implementation-reminders",
    ),
]
