from django.urls import path

from concord.inbox import views

app_name = "inbox"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/read/", views.mark_read, name="read"),
    path("me/settings/", views.inbox_settings, name="settings"),
]
