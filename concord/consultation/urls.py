from django.urls import path

from concord.consultation import views

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
]
