from django.urls import path

from concord.negotiation import desk, views

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
    # The desk (issue 11): a page form for every act of the lifecycle.
    path("orgs/<slug:org>/meetings/new/", desk.meeting_new, name="meeting-new"),
    path("meetings/<int:meeting_id>/agenda/", desk.meeting_agenda, name="agenda"),
    path("orgs/<slug:org>/documents/new/", desk.document_new, name="document-new"),
    path("documents/<int:document_id>/versions/new/", desk.version_new, name="version-new"),
    path(
        "documents/<int:document_id>/versions/from-amendments/",
        desk.version_from_amendments,
        name="version-from-amendments",
    ),
    path("documents/<int:document_id>/translations/", desk.translations, name="translations"),
    path("documents/<int:document_id>/sponsors/", desk.sponsors, name="sponsors"),
    path("documents/<int:document_id>/silence/open/", desk.silence_open, name="silence-open"),
    path("documents/<int:document_id>/silence/break/", desk.silence_break, name="silence-break"),
    path("documents/<int:document_id>/withdraw/", desk.withdraw, name="withdraw"),
    path("documents/<int:document_id>/adopt/", desk.adopt, name="adopt"),
]
