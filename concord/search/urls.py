from django.urls import path

from concord.search import views

app_name = "search"

urlpatterns = [
    path("orgs/<slug:org>/search/", views.search, name="documents"),
]
