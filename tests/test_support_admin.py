"""The admin is for support work: the secretariat reads every model there; nobody writes
through it, and delegations and participants are kept out."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from concord.accounts.services import user_upsert
from concord.accounts.testing import login_verified
from concord.negotiation.tests import conftest as negotiation
from concord.negotiation.tests.factories import document
from concord.organization.models import State

pytestmark = pytest.mark.django_db

members_and_secretariat = negotiation.actors  # the negotiation tests' users, as a fixture


def signed_in(client: Client, user) -> Client:
    login_verified(client, user)
    return client


def concord_models() -> list:
    return [m for m in apps.get_models() if m.__module__.startswith("concord.")]


def test_every_concord_model_is_in_the_admin():
    assert [m for m in concord_models() if not admin.site.is_registered(m)] == []


def test_the_secretariat_reads_every_model_and_writes_none(
    client: Client, sco, members_and_secretariat
):
    actors = members_and_secretariat
    secretariat = actors["secretariat"].user
    doc = document(actors, sco)
    signed_in(client, secretariat)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in concord_models():
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        row = model.objects.first()
        if row is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            assert client.get(url).status_code == 200, meta.label
            assert client.post(url, {}).status_code == 403, meta.label
            delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
            assert client.post(delete, {"post": "yes"}).status_code == 403, meta.label
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert client.get(add).status_code == 403, meta.label
    # Nothing above changed the document.
    doc.refresh_from_db()
    assert doc.versions.count() == 1


def test_no_secret_is_shown(client: Client, sco):
    secretariat = user_upsert(username="sec", role="secretariat", organization=sco, password="x")
    signed_in(client, secretariat)
    page = client.get(reverse("admin:accounts_user_change", args=[secretariat.pk]))
    assert page.status_code == 200
    assert secretariat.password not in page.content.decode()
    assert "argon2" not in page.content.decode()


@pytest.mark.parametrize("role", ["head", "delegate", "participant"])
def test_others_are_kept_out(client: Client, sco, role):
    state = State.objects.get(iso3="KAZ") if role in ("head", "delegate") else None
    user = user_upsert(username=f"u-{role}", role=role, organization=sco, state=state)
    signed_in(client, user)
    response = client.get(reverse("admin:negotiation_document_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_anonymous_is_sent_to_sign_in(client: Client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
