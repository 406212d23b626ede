"""Finding a document by a word of its text in any language, with filters and pages, on
SQLite (FTS5) and PostgreSQL (to_tsvector) alike."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.accounts.testing import login_verified
from concord.negotiation import services as negotiation
from concord.negotiation.tests import conftest as negotiation_fixtures
from concord.negotiation.tests.factories import document
from concord.search import services, text

pytestmark = pytest.mark.django_db

people = negotiation_fixtures.actors  # the negotiation tests' users, as a fixture


def test_cjk_characters_are_tokens_and_other_words_stay_whole():
    assert (
        text.for_index("我们加强合作。 Astana  Declaration")
        == "我 们 加 强 合 作 。 Astana Declaration"
    )
    assert text.query_terms("合作 Астана, energy") == [["合", "作"], ["астана"], ["energy"]]
    assert text.query_terms(' "" ; ') == []


def _with_text(people, sco, symbol: str, zh: str, ru: str, en: str, **kwargs):
    doc = document(people, sco, symbol=symbol, **kwargs)
    negotiation.version_create(
        actor=people["head-kaz"].user,
        document_id=doc.pk,
        provisions=[
            negotiation.ProvisionIn(
                key="p1", kind="operative", texts={"en": en, "ru": ru, "zh": zh}
            )
        ],
    )
    return doc


def found(client: Client, **params) -> list[str]:
    response = client.get("/orgs/sco/search/", params)
    assert response.status_code == 200
    return re.findall(
        r'<tr data-document="\d+">\s*<td><a [^>]*><code>([^<]+)<', response.content.decode()
    )


def test_a_word_of_the_chinese_text_finds_the_document(people, sco):
    energy = _with_text(
        people,
        sco,
        "SCO/CHS/2026/E.1",
        "成员国同意加强能源合作。",
        "Государства-члены договорились укреплять энергетическое сотрудничество.",
        "The Member States agree to strengthen energy cooperation.",
        classification="public",
    )
    _with_text(
        people,
        sco,
        "SCO/CHS/2026/C.1",
        "成员国支持文化交流。",
        "Государства-члены поддерживают культурные обмены.",
        "The Member States support cultural exchanges.",
        classification="public",
    )
    services.index_from_audit()
    client = Client()
    assert found(client, q="能源") == [energy.symbol]
    assert found(client, q="能源合作") == [energy.symbol]
    assert found(client, q="能源交流") == []  # both words occur, never side by side
    assert found(client, q="энергетическое") == [energy.symbol]
    assert found(client, q="Energy") == [energy.symbol]
    assert sorted(found(client, q="成员国")) == ["SCO/CHS/2026/C.1", "SCO/CHS/2026/E.1"]
    assert found(client, q="energy 文化") == []  # every word must match
    # A new version replaces what is searched.
    negotiation.version_create(
        actor=people["head-kaz"].user,
        document_id=energy.pk,
        provisions=[negotiation.ProvisionIn(key="p1", kind="operative", texts={"en": "Solar."})],
    )
    services.index_from_audit()
    assert found(client, q="solar") == [energy.symbol]


def test_search_shows_only_what_the_reader_may_read(people, sco):
    secret = _with_text(
        people, sco, "SCO/CHS/2026/R.1", "机密合作。", "Секрет.", "Secret cooperation."
    )
    services.index_from_audit()
    assert found(Client(), q="secret") == []
    head = Client()
    login_verified(head, people["head-rus"].user)
    assert found(head, q="secret") == [secret.symbol]


def test_filters_and_a_bad_filter_beside_its_field(people, sco):
    a = document(people, sco, symbol="SCO/CHS/2026/F.1", classification="public")
    services.index_from_audit()
    client = Client()
    assert a.symbol in found(client, stage="negotiation", kind="declaration", body="chs")
    assert found(client, stage="adopted") == []
    response = client.get("/orgs/sco/search/", {"stage": "nonsense", "meeting": "x"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-stage"' in page and 'id="error-meeting"' in page
    assert client.get("/orgs/nowhere/search/").status_code == 404


def test_results_come_in_pages(people, sco):
    for i in range(27):
        document(people, sco, symbol=f"SCO/CHS/2026/P.{i}", classification="public")
    services.index_from_audit()
    client = Client()
    first = found(client, q="paragraph")
    second = found(client, q="paragraph", page=2)
    assert len(first) == 25 and len(second) == 2 and not set(first) & set(second)


def test_the_search_page_runs_a_fixed_number_of_queries(people, sco):
    client = Client()
    login_verified(client, people["head-rus"].user)

    def count(n: int) -> int:
        for i in range(n):
            document(people, sco, symbol=f"SCO/CHS/2026/N{n}.{i}")
        services.index_from_audit()
        with CaptureQueriesContext(connection) as queries:
            assert len(found(client, q="paragraph")) >= n
        return len(queries.captured_queries)

    assert count(1) == count(8)
