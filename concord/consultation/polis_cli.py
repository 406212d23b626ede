"""``concord polis import`` and ``concord polis export``: consultations in and out of the
Pol.is export format.

The CSV reading and writing is ``concord.opinion.polis``'s; this module maps its rows onto
consultations, statements, participants and votes. Pol.is ids are kept as ``number`` on
statements and participants, so an export of an imported conversation uses the same ids.

Pol.is data is licensed CC BY 4.0 (data gathered using the Polis software,
compdemocracy.org/polis, sub-licensed under CC BY 4.0 with attribution to The
Computational Democracy Project); an import records that on the consultation's ``source``
and an export writes it to ATTRIBUTION.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from concord.common.errors import DomainError
from concord.consultation.imports import (
    MODERATION,
    POLIS_ATTRIBUTION,
    consultation_import_polis,
    polis_files,
)
from concord.consultation.models import (
    Consultation,
    OpinionMapSnapshot,
    Participant,
    Statement,
    VoteEvent,
)
from concord.opinion.polis import PolisComment, PolisFormatError, write_export
from concord.organization.models import Organization

_FLAG: dict[str, int] = {v: k for k, v in MODERATION.items()}
_BATCH = 5000


def _fail(message: str) -> int:
    print(f"concord: {message}", file=sys.stderr)
    return 2


def polis_import(args: argparse.Namespace) -> int:
    """``concord polis import DIR --consultation SLUG [--org ORG] [--json]``: through the
    import service (one transaction, one audit event), with a progress bar on a terminal."""
    directory = Path(args.directory)
    as_json = bool(getattr(args, "json", False))
    org = Organization.objects.filter(slug=args.org).first()
    if org is None:
        return _fail(f"no organization {args.org!r} (run: concord load-reference sco)")
    try:
        size = polis_files(directory)[1].stat().st_size
    except FileNotFoundError as exc:
        return _fail(f"cannot import {directory}: {exc}")
    started = time.perf_counter()
    # tqdm draws only on a terminal (disable=None), on stderr: --json output stays clean.
    with tqdm(
        total=size, unit="B", unit_scale=True, desc=directory.name, disable=None, leave=False
    ) as bar:
        try:
            summary = consultation_import_polis(
                actor=None,
                organization=org,
                slug=args.consultation,
                directory=directory,
                progress=bar.update,
                rebuild_indexes=getattr(args, "rebuild_indexes", None),
            )
        except (PolisFormatError, FileNotFoundError) as exc:
            return _fail(f"cannot import {directory}: {exc}")
        except DomainError as exc:
            return _fail(f"cannot import {directory}: {exc.detail}")
    seconds = time.perf_counter() - started
    if as_json:
        print(json.dumps({**summary.as_dict(), "seconds": round(seconds, 3)}))
    else:
        print(
            f"imported {directory.name} into consultation {args.consultation}: "
            f"{summary.statements} statements, {summary.participants} participants, "
            f"{summary.votes} current votes ({summary.events} vote events). "
            f"{POLIS_ATTRIBUTION}"
        )
    return 0


def _numbering(pks_numbers: list[tuple[int, int | None]]) -> dict[int, int]:
    """pk -> Pol.is id: imported rows keep theirs; the others follow in pk order."""
    taken = [n for _pk, n in pks_numbers if n is not None]
    nxt = (max(taken) + 1) if taken else 0
    out = {}
    for pk, number in sorted(pks_numbers):
        if number is None:
            number, nxt = nxt, nxt + 1
        out[pk] = number
    return out


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def export_rows(consultation: Consultation) -> dict[str, Any]:
    """The consultation as Pol.is export rows (see ``write_export``)."""
    participant_no = _numbering(
        list(Participant.objects.filter(consultation=consultation).values_list("id", "number"))
    )
    rows = list(
        Statement.objects.filter(consultation=consultation).values_list(
            "id", "number", "author_id", "text", "moderation", "created_at"
        )
    )
    statement_no = _numbering([(r[0], r[1]) for r in rows])
    comments = [
        PolisComment(
            comment_id=statement_no[pk],
            text=text,
            author_id=participant_no.get(author, -1) if author is not None else -1,
            moderated=_FLAG[moderation],
            timestamp_ms=_ms(created),
        )
        for pk, _n, author, text, moderation, created in rows
    ]
    votes = [
        (_ms(at), statement_no[s], participant_no[p], v)
        for p, s, v, at in VoteEvent.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value", "at")
        .iterator(chunk_size=_BATCH)
    ]
    groups: dict[int, int] = {}
    snapshot = OpinionMapSnapshot.objects.filter(consultation=consultation).order_by("-id").first()
    if snapshot is not None:
        for group in snapshot.map.get("groups", []):
            for pk in group["participants"]:
                if pk in participant_no:
                    groups[participant_no[pk]] = int(group["id"])
    summary = {
        "topic": consultation.title_in("en"),
        "url": consultation.source.get("url", ""),
        "conversation-description": consultation.description_in("en"),
    }
    return {"comments": comments, "votes": votes, "groups": groups, "summary": summary}


def polis_export(args: argparse.Namespace) -> int:
    consultation = Consultation.objects.filter(slug=args.slug).first()
    if consultation is None:
        return _fail(f"no consultation {args.slug!r}")
    directory = Path(args.directory)
    if directory.exists() and not directory.is_dir():
        return _fail(f"{directory} exists and is not a directory")
    rows = export_rows(consultation)
    write_export(directory, **rows)
    if consultation.source.get("attribution"):
        (directory / "ATTRIBUTION.txt").write_text(
            f"{consultation.source.get('attribution')}\n"
            f"Licence: {consultation.source.get('licence', '')}\n"
            f"Source: {consultation.source.get('url', '')}\n",
            encoding="utf-8",
        )
    print(
        f"exported {consultation.slug} to {directory}: {len(rows['comments'])} comments, "
        f"{len(rows['votes'])} vote events"
    )
    return 0
