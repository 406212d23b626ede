"""Reading and writing Pol.is exports: layout, round trip, clear errors on broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from concord.opinion import polis
from concord.opinion.cli import polis_map
from concord.opinion.polis import (
    PolisComment,
    PolisFormatError,
    _read_matrix_arrow,
    _read_votes_numpy,
    events_to_matrix,
    read_comments,
    read_export,
    read_votes,
    write_export,
)

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "polis"
HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def _write(tmp_path: Path, votes_text: str, comments: bool = True) -> Path:
    (tmp_path / "votes.csv").write_text(votes_text, encoding="utf-8")
    if comments:
        (tmp_path / "comments.csv").write_text(
            "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
            "1,x,0,0,0,0,1,a\n1,x,1,0,0,0,-1,b\n",
            encoding="utf-8",
        )
    return tmp_path


def test_round_trip_through_the_writer(tmp_path: Path) -> None:
    comments = [
        PolisComment(comment_id=0, text='Quoted "text", with comma'),
        PolisComment(comment_id=1, text="Gone", moderated=-1),
        PolisComment(comment_id=2, text="Third\nline"),
    ]
    votes = [
        (1_700_000_000_000, 0, 10, 1),
        (1_700_000_000_500, 0, 10, -1),  # replaces the agree above
        (1_700_000_001_000, 1, 10, 0),
        (1_700_000_002_000, 2, 11, 1),
        (1_700_000_003_000, 0, 11, 1),
    ]
    write_export(tmp_path, comments=comments, votes=votes, groups={10: 0, 11: 1})
    for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        assert (tmp_path / name).exists()
    assert (tmp_path / "votes.csv").read_text(encoding="utf-8").startswith(HEADER)
    export = read_export(tmp_path)
    assert [c.text for c in export.comments] == [c.text for c in comments]
    assert export.votes.participant_ids.tolist() == [10, 11]
    assert export.votes.statement_ids.tolist() == [0, 1, 2]
    assert export.votes.moderated_out.tolist() == [False, True, False]
    assert export.votes.values.tolist() == [-1, 0, 1, 1]
    assert export.groups == {10: 0, 11: 1}
    assert export.summary["comments"] == "3"
    agrees = {c.comment_id: (c.agrees, c.disagrees) for c in export.comments}
    assert agrees == {0: (1, 1), 1: (0, 0), 2: (1, 0)}
    # Without votes.csv the same final votes come from participants-votes.csv.
    (tmp_path / "votes.csv").unlink()
    again = read_export(tmp_path)
    assert again.votes.values.tolist() == export.votes.values.tolist()


def test_fast_and_fallback_readers_agree_on_real_data() -> None:
    path = DATA / "canadian-electoral-reform" / "votes.csv"
    a = read_votes(path)
    b = _read_votes_numpy(path)
    for field in ("timestamps", "comment_ids", "voter_ids", "votes"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


@pytest.mark.parametrize("name", ["canadian-electoral-reform", "scoop-hivemind.ubi"])
def test_streamed_matrix_equals_the_matrix_from_all_events(name: str) -> None:
    # Real exports list votes out of time order (and re-votes), so this covers the sort.
    root = DATA / name
    comments = read_comments(root / "comments.csv")
    streamed = _read_matrix_arrow(root / "votes.csv", comments)
    assert streamed is not None
    whole = events_to_matrix(read_votes(root / "votes.csv"), comments)
    for field in ("participant_ids", "statement_ids", "indptr", "indices", "values"):
        assert np.array_equal(getattr(streamed, field), getattr(whole, field)), field
    assert streamed.indices.dtype == np.int32 and streamed.values.dtype == np.int8


def test_streamed_matrix_keeps_the_latest_vote_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows of 4 kB, parsed in blocks of 512 bytes: the 2,002 rows arrive in a dozen
    # windows, each cut at a line end. A re-vote in time order, then an older vote written
    # later in the file.
    monkeypatch.setattr(polis, "_WINDOW_BYTES", 4096)
    monkeypatch.setattr(polis, "_BLOCK_BYTES", 4096)
    rows = [f"{t},x,{t % 3},{t % 5},1" for t in range(1, 2001)]
    rows += ["3000,x,0,0,-1", "10,x,0,0,0"]
    path = _write(tmp_path, HEADER + "\n".join(rows) + "\n") / "votes.csv"
    streamed = _read_matrix_arrow(path, ())
    assert streamed is not None
    whole = events_to_matrix(read_votes(path))
    assert np.array_equal(streamed.values, whole.values)
    assert np.array_equal(streamed.indices, whole.indices)
    assert streamed.values[0] == -1  # participant 0, statement 0: the vote at t=3000


@pytest.mark.parametrize("window", [16, 17, 29, 64, 4096])
def test_windows_cut_anywhere_give_every_row_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    # Windows smaller than two lines, a window ending exactly at a line end, a last line
    # with no line end: each row read once, in file order.
    monkeypatch.setattr(polis, "_WINDOW_BYTES", window)
    rows = [f"{t},x,{t % 7},{t % 11},{t % 3 - 1}" for t in range(1, 301)]
    path = _write(tmp_path, HEADER + "\n".join(rows)) / "votes.csv"
    read = [list(map(np.ndarray.tolist, cols)) for cols in polis._arrow_columns(path)]
    assert [t for cols in read for t in cols[0]] == list(range(1, 301))
    assert [v for cols in read for v in cols[3]] == [t % 3 - 1 for t in range(1, 301)]


def test_ids_too_wide_to_pack_are_left_to_the_general_reader(tmp_path: Path) -> None:
    # The packed reader keeps participant id, statement id and position in 63 bits: an id
    # beyond int32 still fits in a small file, one of 2**61 does not, and the export is read
    # whole either way, with the ids intact.
    for big in (2**31 + 5, 2**61 + 5):
        text = HEADER + f"5,x,0,{big},1\n6,x,1,7,-1\n"
        export = _write(tmp_path, text)
        packed = _read_matrix_arrow(export / "votes.csv", ())
        assert (packed is None) == (big > 2**32)
        assert read_export(export).votes.participant_ids.tolist() == [7, big]


def test_a_quoted_votes_file_is_left_to_the_general_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A quoted field may hold a line end, which a window's cut could split: the windowed
    # reader declines and the general reader, which knows quotes, gives the matrix.
    monkeypatch.setattr(polis, "_WINDOW_BYTES", 64)
    text = HEADER + '5,"Mon Jan 1,\n 2024",0,7,1\n6,x,1,7,-1\n7,x,0,8,0\n'
    export = _write(tmp_path, text)
    assert _read_matrix_arrow(export / "votes.csv", ()) is None
    matrix = read_export(export).votes
    assert matrix.values.tolist() == [1, -1, 0]


def test_numpy_reader_handles_quotes_crlf_and_blank_lines(tmp_path: Path) -> None:
    text = HEADER + '5,"Mon Jan 1, 2024",0,7,1\r\n\r\n6,x,1,7,-1\r\n7,x,0,7,0'
    events = _read_votes_numpy(_write(tmp_path, text) / "votes.csv")
    assert events.votes.tolist() == [1, -1, 0]
    assert events.voter_ids.tolist() == [7, 7, 7]
    assert read_votes(tmp_path / "votes.csv").votes.tolist() == [1, -1, 0]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("1,x,0,7,1\n2,x,0,7\n", 3, "expected 5 fields"),
        ("1,x,0,7,1\n2,x,zero,7,1\n", 3, "not an integer"),
        ("1,x,0,7,1\n2,x,0,7,1\n3,x,0,7,2\n", 4, "not -1, 0 or 1"),
        ('1,x,0,7,1\n2,"x,0,7,1\n', 3, "field"),
        ("1,x,0,7,1\n2,x,0,7,1\n3,x,1,7,\n", 4, "not an integer"),  # an empty vote
        ("1,x,0,7,1\n2,x,,8,1\n", 3, "not an integer"),  # an empty comment id
    ],
)
def test_broken_votes_csv_names_file_and_line(
    tmp_path: Path, body: str, line: int, fragment: str
) -> None:
    _write(tmp_path, HEADER + body)
    with pytest.raises(PolisFormatError) as info:
        read_export(tmp_path)
    assert info.value.line == line
    assert "votes.csv" in str(info.value) and f"line {line}" in str(info.value)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_missing_column_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "timestamp,comment-id,vote\n1,0,1\n")
    with pytest.raises(PolisFormatError, match="voter-id"):
        read_export(tmp_path)


def test_broken_comments_csv(tmp_path: Path) -> None:
    _write(tmp_path, HEADER + "1,x,0,7,1\n", comments=False)
    (tmp_path / "comments.csv").write_text(
        "comment-id,moderated,comment-body\n0,1,a\nnope,1,b\n", encoding="utf-8"
    )
    with pytest.raises(PolisFormatError, match=r"comments.csv, line 3"):
        read_export(tmp_path)


def test_broken_participants_votes_csv(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
        "0,0,0,2,1,1,1,-1\n1,1,0,1,0,0,5,\n",
        encoding="utf-8",
    )
    with pytest.raises(PolisFormatError, match=r"participants-votes.csv, line 3"):
        read_export(tmp_path)


def test_cli_prints_the_documented_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert polis_map([str(DATA / "brexit-consensus"), "--json", "--seed", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "participants",
        "clustered",
        "statements",
        "votes",
        "seconds",
        "groups",
        "consensus",
        "divisive",
    ]
    assert (out["participants"], out["statements"], out["votes"]) == (204, 50, 5303)
    assert isinstance(out["seconds"], float)
    members = [p for g in out["groups"] for p in g["participants"]]
    assert len(members) == len(set(members)) == out["clustered"]
    for g in out["groups"]:
        assert set(g) == {"id", "participants", "representative"}
        for r in g["representative"]:
            assert r["direction"] in {"agree", "disagree"}
            assert 0 <= r["statement"] < 50
    for c in out["consensus"]:
        assert set(c) == {"statement", "direction"}
    assert all(isinstance(t, int) for t in out["divisive"])


def test_cli_error_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, HEADER + "1,x,0,7\n")
    assert polis_map([str(tmp_path), "--json"]) == 2
    err = capsys.readouterr().err
    assert "votes.csv, line 2" in err and "Traceback" not in err


def test_cli_runs_as_a_module() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "concord.opinion.cli",
            str(DATA / "london.youth.policing"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout)["participants"] == 26
