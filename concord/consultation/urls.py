from django.urls import path

from concord.consultation import desk, views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/vote/", views.vote, name="consultation-vote"),
    path(
        "consultations/<slug:slug>/statements/new/",
        views.statement_new,
        name="consultation-statement-new",
    ),
    path("consultations/<slug:slug>/my-data/", views.my_data, name="consultation-my-data"),
    path(
        "consultations/<slug:slug>/my-data/<str:act>/",
        views.my_data_act,
        name="consultation-my-data-act",
    ),
    path("consultations/<slug:slug>/map/", views.opinion_map, name="consultation-map"),
    path("consultations/<slug:slug>/report/", views.report, name="consultation-report"),
    path(
        "consultations/<slug:slug>/report.pdf",
        views.report_download,
        name="consultation-report-pdf",
    ),
    path(
        "consultations/<slug:slug>/moderation/",
        views.moderation,
        name="consultation-moderation",
    ),
    path(
        "consultations/<slug:slug>/moderation/<int:statement_id>/<str:verb>/",
        views.moderate,
        name="consultation-moderate",
    ),
    path("orgs/<slug:org>/consultations/new/", desk.consultation_new, name="consultation-new"),
    path("consultations/<slug:slug>/manage/", desk.consultation_manage, name="consultation-manage"),
    path("consultations/<slug:slug>/close/", desk.consultation_close, name="consultation-close"),
    path("consultations/<slug:slug>/link/", desk.consultation_link, name="consultation-link"),
    path("consultations/<slug:slug>/unlink/", desk.consultation_unlink, name="consultation-unlink"),
    path("consultations/<slug:slug>/seed/", desk.seed_statement, name="consultation-seed"),
    path(
        "consultations/<slug:slug>/statements/<int:statement_id>/",
        desk.statement_detail,
        name="consultation-statement",
    ),
    path(
        "consultations/<slug:slug>/statements/<int:statement_id>/translate/",
        desk.statement_translate,
        name="consultation-statement-translate",
    ),
    path(
        "consultations/<slug:slug>/statements/<int:statement_id>/cite/",
        desk.statement_cite,
        name="consultation-statement-cite",
    ),
]
