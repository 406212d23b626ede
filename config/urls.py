from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from concord.accounts.views import SignInView
from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("login/", SignInView.as_view(), name="login"),
    path("", include("concord.accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("concord.negotiation.urls")),
    path("", include("concord.consultation.urls")),
    path("", include("concord.web.urls")),
    path("", include("concord.organization.urls")),
    path("", include("concord.inbox.urls")),
    path("", include("concord.search.urls")),
    path("", include("concord.implementation.urls")),
    prefix_default_language=False,
)

handler404 = "config.errors.page_not_found"
