from django.urls import path

from concord.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/second-factor/", views.second_factor, name="second_factor"),
    path("login/enrol/", views.enrol, name="enrol"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
