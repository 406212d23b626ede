from django.urls import path

from concord.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/second-factor/", views.second_factor, name="second_factor"),
    path("login/enrol/", views.enrol, name="enrol"),
]
