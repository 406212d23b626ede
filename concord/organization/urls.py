from django.urls import path

from concord.organization import views

urlpatterns = [
    path("orgs/<slug:org>/", views.organization_detail, name="organization"),
    path("orgs/<slug:org>/states/<str:iso3>/", views.state_detail, name="state"),
]
