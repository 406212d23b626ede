"""Multilingual statements: translations by moderators or authors, each reader sees the
statement in their language where it is translated, the original (marked) otherwise."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.audit.models import Event
from concord.common.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from concord.consultation import services
from concord.consultation.maps import snapshot_compute
from concord.consultation.models import StatementTranslation
from concord.consultation.polis_cli import export_rows
from concord.consultation.tests.factories import ParticipantFactory, StatementFactory
from concord.consultation.tests.test_api import _voters

pytestmark = pytest.mark.django_db

RU = "Нужно больше велосипедных дорожек"
ZH = "需要更多自行车道"


@pytest.fixture
def russian(consultation):  # type: ignore[no-untyped-def]
    author = ParticipantFactory(consultation=consultation)
    return StatementFactory(consultation=consultation, text=RU, lang="ru", author=author)


def test_a_moderator_translates_and_the_original_stays(users, russian):
    t, new = services.statement_translate(
        actor=users["secretariat"], statement_id=russian.pk, lang="zh-hans", text=ZH
    )
    assert new and t.lang == "zh-hans"
    russian.refresh_from_db()
    assert russian.text == RU and russian.lang == "ru"
    assert russian.text_in("zh-hans") == (ZH, "zh-hans")
    assert russian.text_in("ru") == (RU, "ru")
    assert russian.text_in("en") == (RU, "ru")  # no English translation: the original
    event = Event.objects.get(act="statement.translate")
    assert event.payload["lang"] == "zh-hans" and event.payload["text"] == ZH
    # Replacing is allowed and audited; the same text again is a conflict.
    t, new = services.statement_translate(
        actor=users["secretariat"], statement_id=russian.pk, lang="zh-hans", text=ZH + "。"
    )
    assert not new and StatementTranslation.objects.count() == 1


def test_the_author_translates_others_may_not(users, russian):
    services.statement_translate(
        actor=None,
        statement_id=russian.pk,
        lang="en",
        text="More bike lanes",
        participant=russian.author,
    )
    other = ParticipantFactory(consultation=russian.consultation)
    for actor, participant, error in (
        (None, other, PermissionDenied),
        (users["head"], None, PermissionDenied),
        (None, None, NotAuthenticated),
    ):
        with pytest.raises(error):
            services.statement_translate(
                actor=actor, statement_id=russian.pk, lang="zh", text=ZH, participant=participant
            )
    assert list(StatementTranslation.objects.values_list("lang", flat=True)) == ["en"]


@pytest.mark.parametrize(
    ("lang", "text", "error"),
    [
        # The statement's own language is the database's: a state conflict, not bad input.
        ("ru", "Другой текст", Conflict),
        ("ru-RU", "Другой", Conflict),
        ("x", ZH, InvalidInput),
        ("zh", "", InvalidInput),
    ],
)
def test_bad_translations_change_nothing(users, russian, lang, text, error):
    with pytest.raises(error):
        services.statement_translate(
            actor=users["secretariat"], statement_id=russian.pk, lang=lang, text=text
        )
    assert not StatementTranslation.objects.exists()
    assert not Event.objects.filter(act="statement.translate").exists()


def test_api_add_and_list_translations(api, tokens, russian):
    path = f"/statements/{russian.pk}/translations"
    r = api.post(path, {"lang": "zh-hans", "text": ZH}, token=tokens["secretariat"])
    assert r.status_code == 201, r.content
    assert r.json()["lang"] == "zh-hans"
    assert api.post(path, {"lang": "zh-hans", "text": ZH}, token=tokens["head"]).status_code == 403
    assert api.post(path, {"lang": "zh-hans", "text": ZH}).status_code == 401
    assert (
        api.post(path, {"lang": "ru", "text": ZH}, token=tokens["secretariat"]).status_code == 409
    )
    # What the schema refuses: a language code out of its pattern, a blank or too long text.
    for body in (
        {"lang": "r", "text": ZH},
        {"lang": "zh hans", "text": ZH},
        {"lang": "zh", "text": " \u3000"},
        {"lang": "zh", "text": "x" * 281},
    ):
        r = api.post(path, body, token=tokens["secretariat"])
        assert r.status_code == 422 and r.json()["field"] in ("lang", "text"), body
    body = api.get(path).json()
    assert body["text"] == RU and body["lang"] == "ru"
    assert [t["lang"] for t in body["translations"]] == ["zh-hans"]
    # The statement JSON: the original, and the text in the reader's language.
    items = api.client.get(
        "/api/v1/consultations/jwf/statements", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()["items"]
    assert items[0]["text"] == RU and items[0]["lang"] == "ru"
    assert items[0]["display_text"] == ZH and items[0]["display_lang"] == "zh-hans"
    items = api.client.get(
        "/api/v1/consultations/jwf/statements", HTTP_ACCEPT_LANGUAGE="ru"
    ).json()["items"]
    assert items[0]["display_text"] == RU and items[0]["display_lang"] == "ru"


def test_api_the_author_translates_with_the_participant_token(api, consultation):
    token = api.join("jwf")
    r = api.post("/consultations/jwf/statements", {"text": RU, "lang": "ru"}, token=token)
    assert r.status_code == 201
    path = f"/statements/{r.json()['id']}/translations"
    assert api.post(path, {"lang": "en", "text": "More bike lanes"}, token=token).status_code == 201
    stranger = api.join("jwf")
    assert api.post(path, {"lang": "zh", "text": ZH}, token=stranger).status_code == 403


@pytest.mark.parametrize("n", [3, 30])
def test_statement_list_reads_translations_in_one_query(
    api, users, consultation, django_assert_num_queries, n
):
    for s in StatementFactory.create_batch(n, consultation=consultation, lang="ru"):
        services.statement_translate(
            actor=users["secretariat"], statement_id=s.pk, lang="en", text=f"t{s.pk}"
        )
    with django_assert_num_queries(4):  # consultation, count, page, translations
        items = api.get("/consultations/jwf/statements?limit=200").json()["items"]
    assert all(i["display_text"] == f"t{i['id']}" for i in items)


def test_vote_page_shows_the_readers_language_and_marks_the_original(
    client: Client, users, russian
):
    services.statement_translate(
        actor=users["secretariat"], statement_id=russian.pk, lang="zh-hans", text=ZH
    )
    zh = client.get("/zh-hans/consultations/jwf/").content.decode()
    assert ZH in zh and RU not in zh and 'lang="zh-hans"' in zh
    ru = client.get("/ru/consultations/jwf/").content.decode()
    assert RU in ru and ZH not in ru and 'lang="ru"' in ru
    en = client.get("/consultations/jwf/").content.decode()
    assert RU in en and 'class="lang-tag"' in en  # no English: the original, marked


def test_map_and_report_show_translations_with_bounded_queries(client: Client, users, consultation):
    statements = StatementFactory.create_batch(8, consultation=consultation, lang="ru")
    for s in statements:
        services.statement_translate(
            actor=users["secretariat"], statement_id=s.pk, lang="zh-hans", text=f"译文{s.pk}"
        )
    _voters(consultation, statements, 30)
    snapshot_compute(consultation)
    html = client.get("/zh-hans/consultations/jwf/map/").content.decode()
    assert "译文" in html and "Statement number" not in html
    assert "多数意见" in html  # Pol.is's label for the consensus statements, in Chinese
    html = client.get("/ru/consultations/jwf/report/").content.decode()
    assert "译文" not in html and "Statement number" in html
    assert "Мнение большинства" in html
    pdf = client.get("/zh-hans/consultations/jwf/report.pdf")
    assert pdf.status_code == 200


def test_map_page_queries_do_not_grow_with_translations(client: Client, users, consultation):
    seen = []
    for n in (3, 12):
        statements = StatementFactory.create_batch(n, consultation=consultation, lang="ru")
        for s in statements:
            for lang in ("en", "zh-hans"):
                services.statement_translate(
                    actor=users["secretariat"], statement_id=s.pk, lang=lang, text=f"{lang}{s.pk}"
                )
        _voters(consultation, statements, 30)
        snapshot_compute(consultation)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/zh-hans/consultations/jwf/map/").content.decode()
        assert "zh-hans" in html
        seen.append(len(queries.captured_queries))
    assert seen[0] == seen[1]


def test_polis_export_keeps_the_original(users, russian):
    services.statement_translate(
        actor=users["secretariat"], statement_id=russian.pk, lang="en", text="Bikes"
    )
    comments = export_rows(russian.consultation)["comments"]
    assert [c.text for c in comments] == [RU]
