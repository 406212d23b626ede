"""Pol.is import and export against a real export (london.youth.policing).

The Pol.is data vendored in tests/data/polis/ is CC BY 4.0: data gathered using the Polis
software (compdemocracy.org/polis), sub-licensed under CC BY 4.0 with Attribution to The
Computational Democracy Project. The broken copies these tests write are derived from it.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from concord.consultation import polis_cli
from concord.consultation.models import (
    Consultation,
    Moderation,
    Participant,
    Statement,
    Vote,
    VoteEvent,
)
from concord.consultation.tasks import recompute_opinion_maps
from concord.opinion.polis import PolisFormatError, read_export

pytestmark = pytest.mark.django_db

POLIS = Path(__file__).resolve().parents[3] / "tests" / "data" / "polis"
LONDON = POLIS / "london.youth.policing"


def run_import(directory: Path, slug: str) -> int:
    return polis_cli.polis_import(
        argparse.Namespace(directory=str(directory), consultation=slug, org="sco")
    )


def run_export(slug: str, directory: Path) -> int:
    return polis_cli.polis_export(argparse.Namespace(slug=slug, directory=str(directory)))


def final_votes(slug: str) -> set[tuple[int, int, int]]:
    """(Pol.is participant id, Pol.is comment id, vote) of the current votes."""
    return set(
        Vote.objects.filter(consultation__slug=slug).values_list(
            "participant__number", "statement__number", "value"
        )
    )


def test_round_trip_keeps_the_votes(sco, tmp_path, settings):
    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    assert run_import(LONDON, "london") == 0
    c = Consultation.objects.get(slug="london")
    assert (
        c.source["licence"] == "CC BY 4.0" and "Computational Democracy" in c.source["attribution"]
    )
    original = read_export(LONDON)
    assert Statement.objects.filter(consultation=c).count() == len(original.comments)
    assert Vote.objects.filter(consultation=c).count() == original.votes.n_votes
    assert VoteEvent.objects.filter(consultation=c).count() == 640  # every vote event kept
    assert Statement.objects.filter(consultation=c, moderation=Moderation.REJECTED).exists()
    expected = {
        (int(p), int(original.votes.statement_ids[j]), int(v))
        for p, start, end in zip(
            original.votes.participant_ids,
            original.votes.indptr[:-1],
            original.votes.indptr[1:],
            strict=True,
        )
        for j, v in zip(
            original.votes.indices[start:end], original.votes.values[start:end], strict=True
        )
    }
    assert final_votes("london") == expected

    assert recompute_opinion_maps() == 1
    out = tmp_path / "out"
    assert run_export("london", out) == 0
    for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        assert (out / name).exists()
    assert "CC BY 4.0" in (out / "ATTRIBUTION.txt").read_text()
    exported = read_export(out)
    assert exported.groups  # group-id from the latest snapshot
    assert [c.moderated for c in exported.comments] == [
        c.moderated for c in sorted(original.comments, key=lambda c: c.comment_id)
    ]

    assert run_import(out, "london-again") == 0
    assert final_votes("london-again") == expected
    assert VoteEvent.objects.filter(consultation__slug="london-again").count() == 640


def test_import_from_participants_votes_only(sco, tmp_path):
    d = tmp_path / "pv"
    d.mkdir()
    for name in ("comments.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(LONDON / name, d / name)
    assert run_import(d, "pv") == 0
    assert Vote.objects.filter(consultation__slug="pv").count() == read_export(d).votes.n_votes


@pytest.mark.parametrize(
    ("name", "mangle"),
    [
        ("votes.csv", lambda t: t.replace("\n1658933844092,", "\n1658933844092,,,", 1)),
        ("votes.csv", lambda t: t + "1658933844999,x,1,2,7\n"),
        ("votes.csv", lambda t: t + "1658933844999,x,4242,2,1\n"),  # unknown comment
        ("votes.csv", lambda t: t + "1658933844999,x,1,2,\n"),  # an empty vote
        ("votes.csv", lambda t: t + "1658933844999,x,,2,1\n"),  # an empty comment id
        ("comments.csv", lambda t: t.replace("comment-id", "comment_id")),
        ("comments.csv", lambda t: t + '1,x,"unterminated\n'),
    ],
)
def test_broken_csv_writes_nothing(sco, tmp_path, capsys, name, mangle):
    d = tmp_path / "broken"
    shutil.copytree(LONDON, d)
    (d / name).write_text(mangle((d / name).read_text(encoding="utf-8")), encoding="utf-8")
    assert run_import(d, "broken") == 2
    err = capsys.readouterr().err
    assert err.startswith("concord: cannot import") and name in err
    assert not Consultation.objects.filter(slug="broken").exists()
    assert not Participant.objects.exists() and not VoteEvent.objects.exists()


def test_import_refuses_a_used_consultation_and_missing_dirs(sco, tmp_path, capsys):
    assert run_import(LONDON, "london") == 0
    before = VoteEvent.objects.count()
    assert run_import(LONDON, "london") == 2
    assert VoteEvent.objects.count() == before
    assert run_import(tmp_path / "nope", "x") == 2
    assert run_export("nope", tmp_path / "x") == 2
    assert "no consultation" in capsys.readouterr().err


def test_stored_map_of_an_import_equals_concord_polis_map(sco, settings):
    """The database path (import, worker) computes the very map ``concord polis map``
    prints for the same export: same groups, consensus and divisive statements."""
    from concord.consultation.maps import SEED
    from concord.consultation.models import OpinionMapSnapshot
    from concord.opinion.cli import map_to_json
    from concord.opinion.compute import compute_map

    settings.CONCORD_MAP_DEBOUNCE_SECONDS = 0
    assert run_import(LONDON, "london") == 0
    assert recompute_opinion_maps() == 1
    stored = OpinionMapSnapshot.objects.get().map
    matrix = read_export(LONDON).votes
    direct = map_to_json(
        compute_map(matrix, random_state=SEED), matrix.participant_ids, matrix.statement_ids
    )
    p_no = dict(Participant.objects.values_list("id", "number"))
    s_no = dict(Statement.objects.values_list("id", "number"))
    assert [sorted(p_no[p] for p in g["participants"]) for g in stored["groups"]] == [
        sorted(g["participants"]) for g in direct["groups"]
    ]
    assert [(s_no[c["statement"]], c["direction"]) for c in stored["consensus"]] == [
        (c["statement"], c["direction"]) for c in direct["consensus"]
    ]
    assert [s_no[d] for d in stored["divisive"]] == direct["divisive"]


def _import_blocks(directory: Path, slug: str, block_bytes: int, rebuild: bool | None = None):
    from concord.consultation.imports import consultation_import_polis
    from concord.organization.models import Organization

    return consultation_import_polis(
        actor=None,
        organization=Organization.objects.get(slug="sco"),
        slug=slug,
        directory=directory,
        block_bytes=block_bytes,
        rebuild_indexes=rebuild,
    )


def _vote_indexes() -> set[tuple[str, str]]:
    """(table, index name) of every index on the two vote tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE tablename IN (%s, %s)",
                ["consultation_vote", "consultation_voteevent"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN (%s, %s)",
                ["consultation_vote", "consultation_voteevent"],
            )
        return set(cursor.fetchall())


@pytest.mark.parametrize("rebuild", [True, False], ids=["indexes-rebuilt", "indexes-kept"])
def test_import_in_small_blocks_equals_the_whole_file_and_is_audited_once(sco, tmp_path, rebuild):
    """Blocks of 2 kB: a pair voted again in a later block keeps its latest vote and counts
    every act, as when the file is taken whole."""
    from concord.audit.models import Event

    d = tmp_path / "again"
    shutil.copytree(LONDON, d)
    lines = (d / "votes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    # Every vote again at the end, flipped: each pair has two acts in different blocks.
    again = [
        f"{int(ts) + 10_000_000},x,{c},{p},{-int(v)}\n"
        for ts, _dt, c, p, v in (row.strip().split(",") for row in lines[1:])
    ]
    (d / "votes.csv").write_text("".join(lines + again), encoding="utf-8")
    before = Event.objects.count()
    indexes = _vote_indexes()
    summary = _import_blocks(d, "again", block_bytes=2048, rebuild=rebuild)
    assert _vote_indexes() == indexes
    assert summary.blocks > 10
    assert Event.objects.count() == before + 2  # consultation.create, consultation.import
    assert Event.objects.filter(act="consultation.import").count() == 1
    original = read_export(LONDON).votes
    assert summary.events == 2 * 640 and summary.votes == original.n_votes
    assert run_import(LONDON, "london-whole") == 0
    assert final_votes("again") == {(p, s, -v) for p, s, v in final_votes("london-whole")}

    def revisions(slug: str) -> dict[tuple[int | None, int | None], int]:
        rows = Vote.objects.filter(consultation__slug=slug).values_list(
            "participant__number", "statement__number", "revision"
        )
        return {(p, s): r for p, s, r in rows}

    assert revisions("again") == {k: 2 * r for k, r in revisions("london-whole").items()}


@pytest.mark.parametrize("rebuild", [True, False], ids=["indexes-rebuilt", "indexes-kept"])
def test_a_bad_line_in_a_late_block_leaves_nothing_written(sco, tmp_path, rebuild):
    """All or nothing: the earlier blocks were written when the last one fails; dropped
    indexes come back with the rollback."""
    from concord.audit.models import Event

    d = tmp_path / "late"
    shutil.copytree(LONDON, d)
    with (d / "votes.csv").open("a", encoding="utf-8") as fh:
        fh.write("1658933844999,x,1,2,5\n")
    events_before = Event.objects.count()
    indexes = _vote_indexes()
    with pytest.raises(PolisFormatError, match=r"votes\.csv, line 642"):
        _import_blocks(d, "late", block_bytes=2048, rebuild=rebuild)
    assert _vote_indexes() == indexes
    assert not Consultation.objects.filter(slug="late").exists()
    assert not Participant.objects.exists() and not Statement.objects.exists()
    assert not Vote.objects.exists() and not VoteEvent.objects.exists()
    assert Event.objects.count() == events_before


@pytest.mark.parametrize("rebuild", [True, False], ids=["indexes-rebuilt", "indexes-kept"])
def test_votes_after_an_import_take_fresh_ids(sco, rebuild):
    """An import that draws the vote tables' ids in blocks (indexes rebuilt, PostgreSQL)
    leaves the sequences beyond them: the events keep the file's time order in their ids,
    and the next live vote is stored after them."""
    from django.utils import timezone

    summary = _import_blocks(LONDON, "ids", block_bytes=2048, rebuild=rebuild)
    assert summary.blocks > 5
    _import_blocks(LONDON, "reference", block_bytes=2048, rebuild=False)

    def in_id_order(slug: str) -> list[tuple[object, ...]]:
        return list(
            VoteEvent.objects.filter(consultation__slug=slug)
            .order_by("id")
            .values_list("participant__number", "statement__number", "value", "at")
        )

    # The same order as ids drawn row by row from the sequence.
    assert in_id_order("ids") == in_id_order("reference") and len(in_id_order("ids")) == 640
    events = list(VoteEvent.objects.filter(consultation__slug="ids").order_by("id"))
    voted = {(v.participant_id, v.statement_id) for v in Vote.objects.all()}
    c = Consultation.objects.get(slug="ids")
    participant = Participant.objects.filter(consultation=c).order_by("id").first()
    statement = next(
        s
        for s in Statement.objects.filter(consultation=c).order_by("id")
        if (participant.pk, s.pk) not in voted
    )
    now = timezone.now()
    event = VoteEvent.objects.create(
        consultation=c, participant=participant, statement=statement, value=1, at=now
    )
    vote = Vote.objects.create(
        consultation=c, participant=participant, statement=statement, value=1, updated_at=now
    )
    assert event.pk > events[-1].pk
    assert vote.pk > max(Vote.objects.exclude(pk=vote.pk).values_list("id", flat=True))


def test_json_summary(sco, capsys):
    import json

    code = polis_cli.polis_import(
        argparse.Namespace(directory=str(LONDON), consultation="j", org="sco", json=True)
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["consultation"] == "j" and out["events"] == 640
    assert out["votes"] == read_export(LONDON).votes.n_votes


def test_map_reads_the_same_votes_as_the_orm_and_computes_the_same_map(sco):
    """The array path (COPY on PostgreSQL, fetchmany on SQLite) against a VoteMatrix built
    from ORM rows: same arrays, same map, bit for bit."""
    import numpy as np

    from concord.consultation.maps import SEED, vote_matrix
    from concord.opinion.compute import compute_map
    from concord.opinion.matrix import VoteMatrix

    assert run_import(LONDON, "london") == 0
    c = Consultation.objects.get(slug="london")
    Statement.objects.filter(consultation=c).order_by("id").filter(
        id=Statement.objects.filter(consultation=c, moderation=Moderation.ACCEPTED)
        .order_by("id")
        .values("id")[:1]
    ).update(moderation=Moderation.PENDING)  # a pending statement's votes stay out
    matrix, _watermark = vote_matrix(c)
    columns = list(
        Statement.objects.filter(consultation=c)
        .exclude(moderation=Moderation.PENDING)
        .values_list("id", "moderation")
    )
    rows = list(
        Vote.objects.filter(consultation=c, statement_id__in=[s for s, _m in columns]).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    reference = VoteMatrix.from_triples(
        [p for p, _s, _v in rows],
        [s for _p, s, _v in rows],
        [v for _p, _s, v in rows],
        all_statement_ids=[s for s, _m in columns],
        moderated_out_ids=[s for s, m in columns if m == Moderation.REJECTED],
    )
    assert matrix.n_votes == reference.n_votes < Vote.objects.filter(consultation=c).count()
    for name in ("participant_ids", "statement_ids", "indptr", "indices", "values"):
        assert np.array_equal(getattr(matrix, name), getattr(reference, name)), name
    assert np.array_equal(matrix.moderated_out, reference.moderated_out)
    ours, theirs = compute_map(matrix, random_state=SEED), compute_map(reference, random_state=SEED)
    assert np.array_equal(ours.coordinates, theirs.coordinates)
    assert np.array_equal(ours.group_labels, theirs.group_labels)
