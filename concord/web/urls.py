from django.urls import URLPattern, path

from concord.web import views

# No namespace: ``{% url 'home' %}`` is used by every app's pages.
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
]
