from __future__ import annotations

from django.urls import path

from benchmarks.bare_vote.views import vote

urlpatterns = [path("api/v1/consultations/<slug:slug>/votes", vote)]
