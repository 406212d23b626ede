from django.urls import path

from concord.negotiation import views

app_name = "negotiation"

urlpatterns = [
    path("orgs/<slug:org>/documents/", views.document_list, name="documents"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/silence/", views.silence_countdown, name="silence"),
    path("documents/<int:document_id>/position/", views.position_form, name="position"),
    path("documents/<int:document_id>/amendments/", views.amendment_form, name="amend"),
    path(
        "documents/<int:document_id>/versions/<int:number>/diff/",
        views.version_diff,
        name="diff",
    ),
    path("documents/<int:document_id>/history/", views.document_history, name="history"),
    path("documents/<int:document_id>/adopted/", views.adopted_view, name="adopted"),
    path("amendments/<int:amendment_id>/<str:verb>/", views.amendment_decide, name="decide"),
    path("orgs/<slug:org>/meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/readiness/", views.meeting_readiness, name="readiness"),
]
