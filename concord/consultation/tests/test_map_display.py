"""The map page at scale: it draws a bounded sample and never loads the per-participant
fields of a map (``map`` and ``points`` list every participant: tens of megabytes at a
million), reading one participant's own point in the database instead."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.consultation import maps
from concord.consultation.models import OpinionMapSnapshot, Participant
from concord.consultation.selectors import snapshot_point
from concord.consultation.tests.factories import StatementFactory
from concord.consultation.tests.test_api import _voters

pytestmark = pytest.mark.django_db

SNAPSHOT = f'"{OpinionMapSnapshot._meta.db_table}"'


def _mapped(client: Client, consultation, voters: int = 30) -> OpinionMapSnapshot:
    """A map of ``voters`` synthetic participants plus ``client``, who voted on five."""
    statements = StatementFactory.create_batch(8, consultation=consultation)
    _voters(consultation, statements, voters)
    for s in statements[:5]:
        client.post("/consultations/jwf/vote/", {"statement": s.pk, "vote": "1"})
    snapshot = maps.snapshot_compute(consultation)
    assert snapshot is not None
    return snapshot


def test_the_map_page_reads_neither_map_nor_points(client: Client, consultation):
    snapshot = _mapped(client, consultation)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/consultations/jwf/map/").content.decode()
    selected = " ".join(q["sql"] for q in queries.captured_queries)
    assert f'{SNAPSHOT}."display"' in selected
    assert f'{SNAPSHOT}."points"' not in selected
    assert f'{SNAPSHOT}."map"' not in selected
    # ... and still marks the visitor's own dot, in their group, among everyone's.
    assert 'id="my-dot"' in html
    assert html.count('class="dot g') == snapshot.participants


def test_a_participants_own_point_is_read_from_the_database(client: Client, consultation):
    snapshot = _mapped(client, consultation)
    for pk, point in list(snapshot.points.items())[:5]:
        assert snapshot_point(snapshot, int(pk)) == point
    assert snapshot_point(snapshot, 10**9) is None


def test_beyond_max_dots_an_even_sample_is_drawn(client: Client, consultation, monkeypatch):
    monkeypatch.setattr(maps, "MAX_DOTS", 10)
    snapshot = _mapped(client, consultation)
    assert len(snapshot.display["dots"]) == 10
    points = list(snapshot.points.values())
    assert snapshot.display["dots"] == [points[int(i * len(points) / 10)] for i in range(10)]
    sizes = {g["id"]: g["size"] for g in snapshot.display["groups"]}
    assert sizes == {g["id"]: len(g["participants"]) for g in snapshot.map["groups"]}
    assert sum(sizes.values()) == snapshot.clustered
    html = client.get("/consultations/jwf/map/").content.decode()
    assert html.count('class="dot g') == 10 and 'id="my-dot"' in html


def test_a_map_stored_before_display_existed_still_shows(client: Client, consultation):
    snapshot = _mapped(client, consultation)

    def page() -> str:  # without the CSRF tokens, masked afresh in every response
        html = client.get("/consultations/jwf/map/").content.decode()
        return re.sub(r"[A-Za-z0-9]{64}", "", html)

    before = page()
    OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(display={})
    assert page() == before


def test_a_voter_not_on_the_map_is_projected(consultation):
    snapshot = _mapped(Client(), consultation)
    newcomer = Participant.objects.create(consultation=consultation)
    assert snapshot_point(snapshot, newcomer.pk) is None


@pytest.mark.parametrize("prefix", ["", "/ru", "/zh-hans"])
def test_map_coordinates_are_plain_numbers_in_every_language(client: Client, consultation, prefix):
    """SVG coordinates are syntax, not prose: a Russian page once wrote "535,1" and drew
    nothing. Every coordinate parses as a number whatever the page's language."""
    snapshot = _mapped(client, consultation)
    for path in ("map", "report"):
        response = client.get(f"{prefix}/consultations/jwf/{path}/")
        assert response.status_code == 200
        html = response.content.decode()
        coords = re.findall(r'\bc[xy]="([^"]*)"', html)
        assert len(coords) == 2 * snapshot.participants
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coords), coords[:4]
        me = re.search(r'id="my-dot" class="me" transform="translate\(([^)]*)\)"', html)
        if path == "map":  # the report is the same for everyone: no "you" on it
            assert me is not None
        number = re.compile(r"-?\d+(\.\d+)?")
        assert me is None or all(number.fullmatch(part) for part in me.group(1).split())
