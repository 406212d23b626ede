"""The consultation desk: a page form for every act of the consultation API, with the same
services and checks; errors beside the field in the page's language, one flash message,
POST-redirect-GET, nothing changed by a failed act."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.accounts.testing import login_verified
from concord.audit.models import Event
from concord.consultation.models import (
    Citation,
    Consultation,
    Moderation,
    Statement,
    StatementTranslation,
)
from concord.consultation.tests.conftest import make_document
from concord.consultation.tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec(client: Client, users) -> Client:
    login_verified(client, users["secretariat"])
    return client


def _form_error(html: str, field: str) -> str:
    marker = f'<span class="error" id="error-{field}">'
    assert marker in html, html
    return html.split(marker, 1)[1].split("</span>", 1)[0]


def test_create_a_consultation_through_the_page(sec: Client, sco):
    assert sec.get("/orgs/sco/consultations/new/").status_code == 200
    r = sec.post(
        "/orgs/sco/consultations/new/",
        {
            "slug": "roads",
            "title_en": "Roads",
            "title_ru": "Дороги",
            "languages": ["en", "ru"],
            "moderation_mode": "pre",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/consultations/roads/manage/")
    c = Consultation.objects.get(slug="roads")
    assert c.titles == {"en": "Roads", "ru": "Дороги"} and c.moderation_mode == "pre"
    assert Event.objects.filter(act="consultation.create").count() == 1
    page = sec.get(r["Location"]).content.decode()
    assert "The consultation is open." in page
    assert "The consultation is open." not in sec.get(r["Location"]).content.decode()  # once


def test_a_refused_creation_is_shown_beside_the_field_in_the_pages_language(
    sec: Client, consultation
):
    r = sec.post(
        "/ru/orgs/sco/consultations/new/",
        {"slug": "jwf", "title_en": "Again", "languages": ["en"], "moderation_mode": "post"},
    )
    assert r.status_code == 409
    assert "уже" in _form_error(r.content.decode(), "slug")
    r = sec.post(
        "/orgs/sco/consultations/new/",
        {"slug": "x2", "languages": ["en"], "moderation_mode": "post"},
    )
    assert r.status_code == 422 and _form_error(r.content.decode(), "title")
    assert 'value="x2"' in r.content.decode()  # what was typed stays
    assert Consultation.objects.count() == 1


def test_only_the_secretariat_sees_the_desk(client: Client, users, consultation):
    for user in (None, users["head"], users["participant"]):
        if user is not None:
            login_verified(client, user)
        assert client.get("/orgs/sco/consultations/new/").status_code == 404
        assert client.get("/consultations/jwf/manage/").status_code == 404
        assert client.post("/consultations/jwf/close/").status_code == 404
        assert client.post("/orgs/sco/consultations/new/", {"slug": "z"}).status_code == 404
    assert Consultation.objects.get().is_open


def test_close_link_unlink_and_seed(sec: Client, sco, consultation):
    document = make_document(sco)
    r = sec.post("/consultations/jwf/link/", {"document": document.pk})
    assert r.status_code == 302
    consultation.refresh_from_db()
    assert consultation.document_id == document.pk
    page = sec.get("/consultations/jwf/manage/").content.decode()
    assert "The consultation is linked to the document." in page and document.symbol in page
    r = sec.post("/consultations/jwf/link/", {"document": document.pk})
    assert r.status_code == 409 and _form_error(r.content.decode(), "document")
    r = sec.post("/consultations/jwf/link/", {"document": "abc"})
    assert r.status_code == 422 and _form_error(r.content.decode(), "document")
    r = sec.post("/consultations/jwf/link/", {"document": str(2**64)})
    assert r.status_code == 404
    assert sec.post("/consultations/jwf/unlink/").status_code == 302
    consultation.refresh_from_db()
    assert consultation.document_id is None
    assert sec.post("/consultations/jwf/unlink/").status_code == 409
    r = sec.post("/consultations/jwf/seed/", {"text": "Seed it", "lang": "en"})
    assert r.status_code == 302
    seed = Statement.objects.get()
    assert seed.is_seed and seed.moderation == Moderation.ACCEPTED
    r = sec.post("/consultations/jwf/seed/", {"text": "x" * 300, "lang": "en"})
    assert r.status_code == 422 and "280" in _form_error(r.content.decode(), "text")
    assert sec.post("/consultations/jwf/close/").status_code == 302
    consultation.refresh_from_db()
    assert not consultation.is_open
    r = sec.post("/consultations/jwf/close/")
    assert r.status_code == 409 and 'role="alert"' in r.content.decode()
    acts = list(Event.objects.values_list("act", flat=True).order_by("id"))
    assert acts[-4:] == [
        "consultation.link",
        "consultation.unlink",
        "statement.seed",
        "consultation.close",
    ]


def test_statement_page_translate_moderate_cite(sec: Client, sco, consultation):
    statement = StatementFactory(consultation=consultation, lang="ru", text="Больше дорожек")
    document = make_document(sco)
    url = f"/consultations/jwf/statements/{statement.pk}/"
    assert sec.get(url).status_code == 200
    r = sec.post(url + "translate/", {"lang": "zh-hans", "text": "更多车道"})
    assert r.status_code == 302 and r["Location"].endswith(url)
    assert "The translation is saved." in sec.get(url).content.decode()
    # The statement's own language: a conflict with what the database holds (409), shown
    # beside the field all the same.
    r = sec.post(url + "translate/", {"lang": "ru", "text": "Другое"})
    assert r.status_code == 409 and _form_error(r.content.decode(), "lang")
    assert StatementTranslation.objects.count() == 1
    r = sec.post(url + "cite/", {"document": document.pk, "provision": "op-9"})
    assert r.status_code == 404 and _form_error(r.content.decode(), "provision")
    r = sec.post(url + "cite/", {"document": document.pk, "provision": "op-1"})
    assert r.status_code == 302 and Citation.objects.count() == 1
    r = sec.post(
        f"/consultations/jwf/moderation/{statement.pk}/reject/",
        {"reason": "off", "back": "statement"},
    )
    assert r.status_code == 302 and r["Location"].endswith(url)
    statement.refresh_from_db()
    assert statement.moderation == Moderation.REJECTED
    assert "The statement is rejected." in sec.get(url).content.decode()


def test_the_author_translates_through_the_page(client: Client, consultation):
    r = client.post("/ru/consultations/jwf/statements/new/", {"text": "Больше дорожек"})
    assert r.status_code == 302
    statement = Statement.objects.get()
    assert statement.lang == "ru"
    page = client.get("/consultations/jwf/").content.decode()
    assert f"/consultations/jwf/statements/{statement.pk}/" in page  # "your statements"
    r = client.post(
        f"/consultations/jwf/statements/{statement.pk}/translate/", {"lang": "en", "text": "More"}
    )
    assert r.status_code == 302
    stranger = Client()
    r = stranger.post(
        f"/consultations/jwf/statements/{statement.pk}/translate/",
        {"lang": "zh-hans", "text": "更多"},
    )
    # Neither its author nor signed in: the sign-in page, back to the statement after.
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert f"statements%2F{statement.pk}%2F" in r["Location"]
    assert list(StatementTranslation.objects.values_list("lang", flat=True)) == ["en"]


def test_citing_without_signing_in_leads_to_the_sign_in_page(sco, consultation):
    statement = StatementFactory(consultation=consultation, lang="ru", text="Больше дорожек")
    document = make_document(sco)
    r = Client().post(
        f"/consultations/jwf/statements/{statement.pk}/cite/",
        {"document": document.pk, "provision": "op-1"},
    )
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Citation.objects.count() == 0


def test_moderation_page_queries_are_bounded(sec: Client, consultation):
    seen = []
    for n in (3, 15):
        for s in StatementFactory.create_batch(n, consultation=consultation):
            StatementTranslation.objects.create(statement=s, lang="ru", text=f"т{s.pk}")
        StatementFactory.create_batch(n, consultation=consultation, moderation=Moderation.PENDING)
        with CaptureQueriesContext(connection) as queries:
            assert sec.get("/consultations/jwf/moderation/").status_code == 200
        seen.append(len(queries.captured_queries))
    assert seen[0] == seen[1]


def test_every_consultation_api_act_has_a_page():
    """The API's writes and the page forms that do the same act with the same service."""
    from django.urls import resolve

    from concord.consultation import desk, views

    pages = {
        "create_consultation": ("/orgs/sco/consultations/new/", desk.consultation_new),
        "close_consultation": ("/consultations/c/close/", desk.consultation_close),
        "link_document": ("/consultations/c/link/", desk.consultation_link),
        "unlink_document": ("/consultations/c/unlink/", desk.consultation_unlink),
        "submit_statement": ("/consultations/c/statements/new/", views.statement_new),
        "accept_statement": ("/consultations/c/moderation/1/accept/", views.moderate),
        "reject_statement": ("/consultations/c/moderation/1/reject/", views.moderate),
        "cast_vote": ("/consultations/c/vote/", views.vote),
        "cite_statement": ("/consultations/c/statements/1/cite/", desk.statement_cite),
        "add_translation": ("/consultations/c/statements/1/translate/", desk.statement_translate),
        "revoke_my_tokens": ("/consultations/c/my-data/revoke/", views.my_data_act),
    }
    from concord.consultation import api

    writes = {
        op.view_func.__name__
        for path_view in api.router.path_operations.values()
        for op in path_view.operations
        if "POST" in op.methods and op.view_func.__name__ != "join"
    }
    assert writes == set(pages)
    for url, view in pages.values():
        assert resolve(url).func is view
    # Seed statements: the API's submit_statement by a moderator; the page's seed form.
    assert resolve("/consultations/c/seed/").func is desk.seed_statement
