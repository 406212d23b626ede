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
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction

from concord.common.errors import DomainError
from concord.consultation.models import (
    Consultation,
    Moderation,
    ModerationMode,
    OpinionMapSnapshot,
    Participant,
    Statement,
    Vote,
    VoteEvent,
    normalize_text,
)
from concord.consultation.services import consultation_create
from concord.opinion.polis import (
    PolisComment,
    PolisFormatError,
    VoteEvents,
    read_comments,
    read_participants_votes,
    read_summary,
    read_votes,
    write_export,
)
from concord.organization.models import Organization

POLIS_LICENCE = "CC BY 4.0"
POLIS_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project."
)
_MODERATION: dict[int, str] = {
    1: Moderation.ACCEPTED,
    0: Moderation.PENDING,
    -1: Moderation.REJECTED,
}
_FLAG: dict[str, int] = {v: k for k, v in _MODERATION.items()}
_BATCH = 5000


def _fail(message: str) -> int:
    print(f"concord: {message}", file=sys.stderr)
    return 2


@dataclass(frozen=True)
class _Read:
    comments: tuple[PolisComment, ...]
    events: VoteEvents
    summary: dict[str, str]


def _read(directory: Path) -> _Read:
    """Every file parsed and checked before anything is written."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory")
    if not (directory / "comments.csv").exists():
        raise FileNotFoundError(f"{directory}: no comments.csv")
    comments = read_comments(directory / "comments.csv")
    if (directory / "votes.csv").exists():
        events = read_votes(directory / "votes.csv")
    elif (directory / "participants-votes.csv").exists():
        _groups, events = read_participants_votes(directory / "participants-votes.csv")
    else:
        raise FileNotFoundError(f"{directory}: neither votes.csv nor participants-votes.csv")
    summary = (
        read_summary(directory / "summary.csv") if (directory / "summary.csv").exists() else {}
    )
    known = {c.comment_id for c in comments}
    unknown = set(np.unique(events.comment_ids).tolist()) - known
    if unknown:
        raise PolisFormatError(
            directory / "votes.csv",
            None,
            f"votes on comment ids not in comments.csv: {sorted(unknown)[:5]}",
        )
    if len({c.comment_id for c in comments}) != len(comments):
        raise PolisFormatError(directory / "comments.csv", None, "a comment id occurs twice")
    return _Read(comments=comments, events=events, summary=summary)


def _moment(timestamp: int, fallback: datetime) -> datetime:
    if timestamp <= 0:
        return fallback
    seconds = timestamp / 1000.0 if timestamp > 100_000_000_000 else float(timestamp)
    return datetime.fromtimestamp(seconds, tz=UTC)


def polis_import(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    try:
        data = _read(directory)
    except (PolisFormatError, FileNotFoundError) as exc:
        return _fail(f"cannot import {directory}: {exc}")
    org = Organization.objects.filter(slug=args.org).first()
    if org is None:
        return _fail(f"no organization {args.org!r} (run: concord load-reference sco)")
    try:
        counts = import_export(data, slug=args.consultation, org=org, directory=directory)
    except DomainError as exc:
        return _fail(f"cannot import {directory}: {exc.detail}")
    print(
        f"imported {directory.name} into consultation {args.consultation}: "
        f"{counts['statements']} statements, {counts['participants']} participants, "
        f"{counts['votes']} current votes ({counts['events']} vote events). "
        f"{POLIS_ATTRIBUTION}"
    )
    return 0


@transaction.atomic
def import_export(data: _Read, *, slug: str, org: Organization, directory: Path) -> dict[str, int]:
    """Write one read export into the consultation ``slug`` (created when missing; it must
    hold no statements yet). One transaction: all or nothing."""
    topic = data.summary.get("topic") or slug
    source = {
        "kind": "polis",
        "directory": directory.name,
        "url": data.summary.get("url", ""),
        "licence": POLIS_LICENCE,
        "attribution": POLIS_ATTRIBUTION,
    }
    consultation = Consultation.objects.select_for_update().filter(slug=slug).first()
    if consultation is None:
        consultation = consultation_create(
            actor=None,
            organization=org,
            slug=slug,
            title={"en": topic[:300]},
            description={"en": data.summary.get("conversation-description", "")[:10_000]},
            languages=["en"],
            moderation_mode=ModerationMode.POST,
            source=source,
        )
    else:
        if Statement.objects.filter(consultation=consultation).exists():
            from concord.common.errors import Conflict

            raise Conflict(
                "Consultation %(slug)s holds statements already; import into a new one.",
                slug=slug,
            )
        consultation.source = source
        consultation.save(update_fields=["source"])
    now = datetime.now(tz=UTC)

    # Participants: every voter and every author, by their Pol.is id.
    numbers = sorted(
        set(np.unique(data.events.voter_ids).tolist()) | {c.author_id for c in data.comments}
    )
    Participant.objects.bulk_create(
        [Participant(consultation=consultation, number=n) for n in numbers], batch_size=_BATCH
    )
    participant_pk = dict(
        Participant.objects.filter(consultation=consultation).values_list("number", "id")
    )

    seen: set[str] = set()
    statements = []
    for c in sorted(data.comments, key=lambda c: c.comment_id):
        text = " ".join(c.text.split())
        normalized = normalize_text(text)
        if not normalized or normalized in seen:
            # Pol.is keeps duplicate texts apart by id; so does an import.
            normalized = f"{normalized}#polis-{c.comment_id}"
        seen.add(normalized)
        statements.append(
            Statement(
                consultation=consultation,
                author_id=participant_pk.get(c.author_id),
                text=text,
                normalized=normalized,
                lang="en",
                moderation=_MODERATION.get(c.moderated, Moderation.PENDING),
                number=c.comment_id,
                created_at=_moment(c.timestamp_ms, now),
            )
        )
    Statement.objects.bulk_create(statements, batch_size=_BATCH)
    statement_pk = dict(
        Statement.objects.filter(consultation=consultation).values_list("number", "id")
    )

    ev = data.events
    order = np.argsort(ev.timestamps, kind="stable")
    history = []
    current: dict[tuple[int, int], tuple[int, int, datetime]] = {}
    for i in order.tolist():
        p = participant_pk[int(ev.voter_ids[i])]
        s = statement_pk[int(ev.comment_ids[i])]
        v = int(ev.votes[i])
        at = _moment(int(ev.timestamps[i]), now)
        history.append(
            VoteEvent(consultation=consultation, participant_id=p, statement_id=s, value=v, at=at)
        )
        revision = current.get((p, s), (0, 0, at))[1] + 1
        current[(p, s)] = (v, revision, at)
    VoteEvent.objects.bulk_create(history, batch_size=_BATCH)
    Vote.objects.bulk_create(
        [
            Vote(
                consultation=consultation,
                participant_id=p,
                statement_id=s,
                value=v,
                revision=r,
                updated_at=at,
            )
            for (p, s), (v, r, at) in current.items()
        ],
        batch_size=_BATCH,
    )
    return {
        "statements": len(statements),
        "participants": len(numbers),
        "votes": len(current),
        "events": len(history),
    }


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
