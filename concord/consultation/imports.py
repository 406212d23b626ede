"""The Pol.is import service: an export directory into a new consultation, streaming.

``consultation_import_polis`` is the one write path of ``concord polis import``. It reads
votes.csv in blocks of ``BLOCK_BYTES`` (memory stays flat whatever the file size: one
block's arrays plus one (P,) map of participant ids) and writes each block at once:

- on PostgreSQL with ``COPY .. FROM STDIN (FORMAT BINARY)``, the rows packed by numpy
  (no Python object per vote); current votes go through a temporary table and one
  ``INSERT .. ON CONFLICT`` per block, so a pair voted again in a later block keeps the
  latest vote and counts its revisions;
- on SQLite with ``executemany`` of one block per call.

All or nothing: everything runs in one transaction, so nothing is visible before the commit;
every block is validated (vote values, known comment ids, well-formed rows) before it is
written, and a broken block rolls the whole import back. The counts written are checked
against the database before the commit, and one audit event records the import (the files'
SHA-256 digests and the counts) in the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import queue
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext_lazy as _

from concord.accounts.actor import Actor
from concord.audit.services import event_append
from concord.common.errors import Conflict
from concord.consultation.models import (
    Consultation,
    Moderation,
    ModerationMode,
    Participant,
    Statement,
    normalize_text,
)
from concord.consultation.services import consultation_create
from concord.opinion.polis import (
    PolisComment,
    PolisFormatError,
    read_comments,
    read_participants_votes,
    read_summary,
)
from concord.organization.models import Organization

POLIS_LICENCE = "CC BY 4.0"
POLIS_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project."
)
MODERATION: dict[int, str] = {
    1: Moderation.ACCEPTED,
    0: Moderation.PENDING,
    -1: Moderation.REJECTED,
}
#: Bytes of votes.csv read, validated and written at a time (about 600,000 votes).
BLOCK_BYTES = 32 * 1024 * 1024
_VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
# PostgreSQL's binary COPY: signature, flags, header extension length; trailer.
_PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
_PG_TRAILER = b"\xff\xff"
# Microseconds between 1970-01-01 and 2000-01-01, PostgreSQL's timestamp epoch.
_PG_EPOCH_US = 946_684_800_000_000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportSummary:
    consultation: str
    statements: int
    participants: int
    votes: int
    events: int
    blocks: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Block:
    """One block of vote events in file order; ``first_line`` is the line of its first row."""

    timestamps: npt.NDArray[np.int64]
    comment_ids: npt.NDArray[np.int64]
    voter_ids: npt.NDArray[np.int64]
    votes: npt.NDArray[np.int8]
    first_line: int
    path: Path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _vote_blocks(
    path: Path, digest: Any, progress: Progress | None, block_bytes: int
) -> Iterator[_Block]:
    """votes.csv in blocks of whole lines, each parsed by pyarrow into int arrays.

    Feeds ``digest`` with every byte read and ``progress`` with the bytes of each block.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = list(_VOTE_COLUMNS)
    convert = pacsv.ConvertOptions(
        include_columns=names,
        column_types={**dict.fromkeys(names, pa.int64()), "vote": pa.int8()},
    )
    with path.open("rb") as fh:
        header = fh.readline()
        digest.update(header)
        if progress:
            progress(len(header))
        columns = header.decode("utf-8-sig", errors="replace").strip("\r\n").split(",")
        missing = [n for n in names if n not in columns]
        if missing:
            raise PolisFormatError(path, 1, f"missing column(s) {', '.join(missing)}")
        header = header.removeprefix(b"\xef\xbb\xbf")
        line = 2
        carry = b""
        while True:
            raw = fh.read(block_bytes)
            digest.update(raw)
            data = carry + raw
            if not raw:
                if data.strip() and not data.endswith(b"\n"):
                    data += b"\n"
                carry = b""
            else:
                cut = data.rfind(b"\n") + 1
                data, carry = data[:cut], data[cut:]
            if data.strip():
                try:
                    table = pacsv.read_csv(io.BytesIO(header + data), convert_options=convert)
                except (pa.ArrowException, ValueError) as exc:
                    last = line + data.count(b"\n") - 1
                    raise PolisFormatError(path, None, f"in lines {line}-{last}: {exc}") from None
                for name in names:
                    if table.column(name).null_count:
                        empty = table.column(name).is_null().to_numpy(zero_copy_only=False)
                        first = line + int(np.flatnonzero(empty)[0])
                        raise PolisFormatError(path, first, f"{name} is empty")
                yield _Block(
                    timestamps=table.column("timestamp").to_numpy(),
                    comment_ids=table.column("comment-id").to_numpy(),
                    voter_ids=table.column("voter-id").to_numpy(),
                    votes=table.column("vote").to_numpy(),
                    first_line=line,
                    path=path,
                )
                line += data.count(b"\n")
            if progress:
                progress(len(raw))
            if not raw:
                return


def _check_block(block: _Block, statement_numbers: npt.NDArray[np.int64]) -> None:
    """Refuse a block with a vote outside {-1, 0, 1}, a negative voter id or an unknown
    comment id, naming the first offending line (empty cells never get here:
    :func:`_vote_blocks` refuses them while Arrow still knows them as nulls)."""
    bad = (block.votes < -1) | (block.votes > 1) | (block.voter_ids < 0)
    pos = np.searchsorted(statement_numbers, block.comment_ids)
    pos = np.minimum(pos, max(len(statement_numbers) - 1, 0))
    unknown = (
        statement_numbers[pos] != block.comment_ids
        if len(statement_numbers)
        else np.ones(len(block.comment_ids), dtype=bool)
    )
    for mask, what in ((bad, "a vote must be -1, 0 or 1 by a voter id >= 0"), (unknown, None)):
        hits = np.flatnonzero(mask)
        if len(hits):
            i = int(hits[0])
            message = what or (
                f"votes on comment ids not in comments.csv: "
                f"{sorted(set(block.comment_ids[hits].tolist()))[:5]}"
            )
            raise PolisFormatError(block.path, block.first_line + i, message)


def _microseconds(timestamps: npt.NDArray[np.int64], now_us: int) -> npt.NDArray[np.int64]:
    """Pol.is timestamps (milliseconds, or seconds when small; <= 0 unknown) as
    microseconds since 1970."""
    us = np.where(timestamps > 100_000_000_000, timestamps * 1000, timestamps * 1_000_000)
    return np.where(timestamps <= 0, now_us, us).astype(np.int64)


class _Ids:
    """Pol.is participant ids -> Participant pks of the consultation, created as they come.

    In two halves, so that the sorting is done by the reader thread while the database
    writes: :meth:`number` (the reader thread, block after block) numbers participants
    0, 1, ... in order of first appearance and gives each vote its participant's ordinal,
    and the ids seen for the first time; :meth:`create` (the writing thread, the same blocks
    in the same order) creates those participants, so that ``pks[ordinal]`` is the pk.
    Memory grows with participants, never with votes.
    """

    def __init__(self, consultation: Consultation, now: datetime) -> None:
        self.consultation = consultation
        self.now = now
        self.numbers = np.zeros(0, dtype=np.int64)  # the Pol.is ids numbered, sorted
        self.ordinals = np.zeros(0, dtype=np.int64)  # each one's ordinal
        self.pks = np.zeros(0, dtype=np.int64)  # by ordinal, as created

    def number(
        self, numbers: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(N,) the ordinal of each of ``numbers``, and the ids numbered for the first time
        (ascending, taking the next ordinals in that order)."""
        uniq = np.unique(numbers)
        pos = np.searchsorted(self.numbers, uniq)
        known = pos < len(self.numbers)
        known[known] = self.numbers[pos[known]] == uniq[known]
        fresh = uniq[~known]
        if len(fresh):
            first = len(self.numbers)
            at = pos[~known]
            self.numbers = np.insert(self.numbers, at, fresh)
            self.ordinals = np.insert(self.ordinals, at, np.arange(first, first + len(fresh)))
        return self.ordinals[np.searchsorted(self.numbers, numbers)], fresh

    def create(self, fresh: npt.NDArray[np.int64]) -> None:
        """Create the participants :meth:`number` has just numbered, in its order."""
        if len(fresh):
            pks = _new_pks(Participant, len(fresh))
            _insert_participants(self.consultation.pk, pks, fresh, self.now)
            self.pks = np.concatenate([self.pks, pks])

    def pks_of(self, numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Both halves in one thread: the pks of ``numbers``, created when new."""
        ordinals, fresh = self.number(numbers)
        self.create(fresh)
        return self.pks[ordinals]


def _sequence_oid(cursor: Any, table: str) -> int:
    """The oid of ``table``'s id sequence (PostgreSQL), to write into SQL as a number: an
    oid from the catalogue, and a constant where a lookup by name would run per row."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
    return int(cursor.fetchone()[0])


def _new_pks(model: type[Any], n: int) -> npt.NDArray[np.int64]:
    """``n`` fresh primary keys of ``model``'s table, reserved for this transaction.

    PostgreSQL: drawn from the identity sequence (safe beside concurrent inserts). SQLite:
    above the highest id ever used; the transaction holds SQLite's write lock already.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is looked up once: inside the generated rows, the catalogue lookup
            # of each call made nextval ten times slower (4 s for a million participants).
            sequence = _sequence_oid(cursor, table)
            cursor.execute(
                f"SELECT nextval({sequence}::regclass) FROM generate_series(1, %s)",  # noqa: S608
                [n],
            )
            return np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64, count=n)
        cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608 - our own table name
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        top = max(top, row[0] if row else 0)
    return np.arange(top + 1, top + 1 + n, dtype=np.int64)


def _insert_participants(
    consultation_id: int, pks: npt.NDArray[np.int64], numbers: npt.NDArray[np.int64], now: datetime
) -> None:
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        "INSERT INTO consultation_participant (id, consultation_id, number, is_synthetic, "
        "created_at) VALUES (%s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _pg_copy_columns(
                cursor,
                "consultation_participant",
                "(id, consultation_id, number, is_synthetic, created_at)",
                [">i8", ">i8", ">i8", "?", ">i8"],
                [pks, consultation_id, numbers, False, _pg_time(now)],
                n=len(pks),
            )
        else:
            cursor.executemany(
                sql,
                [
                    (p, consultation_id, n, False, at)
                    for p, n in zip(pks.tolist(), numbers.tolist(), strict=True)
                ],
            )


# --------------------------------------------------------------------- PostgreSQL COPY


def _reserve_ids(cursor: Any, table: str, n: int) -> npt.NDArray[np.int64]:
    """``n`` consecutive ids from ``table``'s identity sequence, in one call: the identity
    default costs a sequence call per row, about a quarter of COPY's time on the server
    (3.9M votes: 8.1 s with it, 5.9 s without). Only while this transaction holds
    ``table`` locked against inserts (its indexes dropped by ``_indexes_drop``): nobody
    draws from the sequence between the ``nextval`` and the ``setval``, which are one
    statement anyway."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    sequence = _sequence_oid(cursor, table)
    cursor.execute(
        f"SELECT setval({sequence}::regclass, nextval({sequence}::regclass) + %s - 1)",
        [n],
    )
    last = int(cursor.fetchone()[0])
    return np.arange(last - n + 1, last + 1, dtype=np.int64)


def _pg_copy_columns(
    cursor: Any,
    table: str,
    columns: str,
    types: list[str],
    values: list[Any],
    *,
    n: int,
    own_ids: bool = False,
) -> int:
    """COPY ``n`` rows of ``values`` (arrays or constants, one per column of ``columns``, a
    parenthesised list) into ``table``; with ``own_ids`` the rows carry ids from
    :func:`_reserve_ids` first. Returns the rows the server stored."""
    if own_ids:
        types = [">i8", *types]
        values = [_reserve_ids(cursor, table, n), *values]
        columns = "(id, " + columns[1:]
    rows = np.zeros(n, dtype=_pg_row(types))
    _pg_fill(rows, values)
    return _pg_copy(cursor, f"{table} {columns}", rows)


def _pg_row(types: list[str]) -> np.dtype[Any]:
    """A numpy record laid out as one tuple of PostgreSQL's binary COPY: the field count,
    then each field's length and its big-endian value."""
    fields: list[tuple[str, str]] = [("n", ">i2")]
    for i, t in enumerate(types):
        fields += [(f"l{i}", ">i4"), (f"f{i}", t)]
    return np.dtype(fields)


def _pg_fill(rows: npt.NDArray[Any], values: list[Any]) -> None:
    rows["n"] = len(values)
    for i, value in enumerate(values):
        rows[f"l{i}"] = rows.dtype[f"f{i}"].itemsize
        rows[f"f{i}"] = value


def _pg_time(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000) - _PG_EPOCH_US


def _pg_copy(cursor: Any, target: str, rows: npt.NDArray[Any]) -> int:
    """COPY ``rows`` into ``target``; returns the rows the server says it stored."""
    with cursor.cursor.copy(f"COPY {target} FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(_PG_HEADER)
        copy.write(rows.tobytes())
        copy.write(_PG_TRAILER)
    return int(cursor.cursor.rowcount)


# Pairs that an earlier block may have written wait here, one row per pair and block, and
# are merged once at the end (after the indexes are back, when they were dropped).
_STAGE = (
    "CREATE TEMPORARY TABLE {if_not_exists} concord_import_vote "
    "(consultation_id bigint, participant_id bigint, statement_id bigint, value smallint, "
    "revision integer, updated_at {timestamp}, seq integer){on_commit}"
)
_STAGE_COLUMNS = "(consultation_id, participant_id, statement_id, value, revision, updated_at, seq)"
_NEW_STAGED = (
    "SELECT count(*) FROM (SELECT DISTINCT participant_id, statement_id "
    "FROM concord_import_vote) AS s WHERE NOT EXISTS (SELECT 1 FROM consultation_vote v "
    "WHERE v.participant_id = s.participant_id AND v.statement_id = s.statement_id)"
)
# The latest vote of each staged pair (ties: the later block), its acts summed, merged into
# the current votes; a pair written earlier by plain insert is an older block's vote.
_MERGE = (
    "INSERT INTO consultation_vote "
    "(consultation_id, participant_id, statement_id, value, revision, updated_at) "
    "SELECT consultation_id, participant_id, statement_id, value, acts, latest FROM ("
    "SELECT consultation_id, participant_id, statement_id, value, "
    "row_number() OVER (PARTITION BY participant_id, statement_id "
    "ORDER BY updated_at DESC, seq DESC) AS place, "
    "CAST(sum(revision) OVER (PARTITION BY participant_id, statement_id) AS integer) AS acts, "
    "max(updated_at) OVER (PARTITION BY participant_id, statement_id) AS latest "
    "FROM concord_import_vote) AS staged WHERE place = 1 "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET "
    "value = CASE WHEN excluded.updated_at >= consultation_vote.updated_at "
    "THEN excluded.value ELSE consultation_vote.value END, "
    "updated_at = CASE WHEN excluded.updated_at >= consultation_vote.updated_at "
    "THEN excluded.updated_at ELSE consultation_vote.updated_at END, "
    "revision = consultation_vote.revision + excluded.revision"
)
_SQLITE_EVENT = (
    "INSERT INTO consultation_voteevent (consultation_id, participant_id, statement_id, value, at)"
    " VALUES"
)
_SQLITE_VOTE = (
    "INSERT INTO consultation_vote "
    "(consultation_id, participant_id, statement_id, value, revision, updated_at) VALUES"
)
_SQLITE_STAGE = f"INSERT INTO concord_import_vote {_STAGE_COLUMNS} VALUES"
_VOTE_TABLES = ("consultation_vote", "consultation_voteevent")
#: Votes.csv bytes per vote event, at least (Pol.is lines run ~27-60 bytes): the estimate of
#: an import's size against the votes already stored, to decide on rebuilding the indexes.
_BYTES_PER_EVENT = 64


def _indexes_drop(cursor: Any) -> list[str]:
    """Drop the vote tables' indexes, returning the statements that rebuild them.

    Inside the import's transaction: a failure restores them with everything else. Rows
    then go in without a B-tree insert each (even an append at the right edge of the
    primary key costs more than the row itself), and each index is built once by sorting,
    which at millions of rows is several times faster. On PostgreSQL every index goes,
    primary keys included (rebuilt first, from ids already in order); this locks the vote
    tables (ACCESS EXCLUSIVE) until the commit. SQLite keeps its rowid and the unique
    (participant, statement) index it holds inline; it holds its write lock anyway.
    """
    rebuild: list[str] = []
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid), con.conname, "
            "pg_get_constraintdef(con.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid "
            "AND con.contype IN ('p', 'u') "
            "WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace "
            "ORDER BY NOT i.indisprimary, t.relname, c.relname",
            [list(_VOTE_TABLES)],
        )
        for table, index, definition, constraint, condef in cursor.fetchall():
            if constraint:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {condef}')
            else:
                cursor.execute(f'DROP INDEX "{index}"')
                rebuild.append(definition)
        return rebuild
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (%s, %s) ORDER BY tbl_name, name",
        list(_VOTE_TABLES),
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        rebuild.append(definition)
    return rebuild


def _should_rebuild(cursor: Any, votes_path: Path) -> bool:
    """Rebuild the indexes when the import brings more vote events than the table holds."""
    cursor.execute("SELECT max(id) FROM consultation_voteevent")
    stored = cursor.fetchone()[0] or 0
    return votes_path.stat().st_size // _BYTES_PER_EVENT > stored


def _pg_triggers_off(cursor: Any) -> bool:
    """Skip the foreign-key triggers for this transaction, when the role may.

    Every id written is checked here first (participants and statements are created by this
    very transaction), so the per-row foreign-key checks (three per row and table, a row
    lock each) would only cost time: at 25M votes, most of the import. Needs a superuser or
    ``GRANT SET ON PARAMETER session_replication_role``; without it the triggers run.
    """
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:  # a role without the grant: keep the triggers
        return False
    return True


class _PairFilter:
    """Which (participant, statement) pairs earlier blocks may have written: a Bloom filter
    of fixed size (64 MB; three hashes; about 0.2% false positives at 25M pairs), so memory
    stays flat. A pair it has never seen goes into the current votes by plain COPY; a pair
    it may have seen goes through ``INSERT .. ON CONFLICT``, which is exact either way."""

    LOG2_BITS = 29
    _MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)

    def __init__(self) -> None:
        self.bits = np.zeros(1 << (self.LOG2_BITS - 3), dtype=np.uint8)

    def seen_then_add(
        self, pids: npt.NDArray[np.int64], sids: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """(N,) True where the pair may have been added before; then adds them all.
        The pairs of one call must be distinct."""
        key = (pids.astype(np.uint64) << np.uint64(32)) ^ sids.astype(np.uint64)
        maybe = np.ones(len(key), dtype=bool)
        slots = []
        for mult in self._MULTIPLIERS:
            h = (key * np.uint64(mult)) >> np.uint64(64 - self.LOG2_BITS)
            byte, bit = h >> np.uint64(3), np.left_shift(1, (h & np.uint64(7))).astype(np.uint8)
            maybe &= (self.bits[byte] & bit) != 0
            slots.append((byte, bit))
        for byte, bit in slots:
            np.bitwise_or.at(self.bits, byte, bit)
        return maybe


@dataclass
class _Plan:
    """One block made ready for writing, by the reader thread (no database): its events in
    time order, and the last vote of each pair with its count of acts, split by whether
    the Bloom filter may have seen the pair in an earlier block."""

    ordinals: npt.NDArray[np.int64]  # each event's participant (``_Ids``), in time order
    fresh: npt.NDArray[np.int64]  # Pol.is voter ids first seen in this block
    sids: npt.NDArray[np.int64]
    votes: npt.NDArray[np.int8]
    us: npt.NDArray[np.int64]
    keep: npt.NDArray[np.intp]  # per distinct pair: its last event, in (voter, statement) order
    counts: npt.NDArray[np.int32]
    again: npt.NDArray[np.bool_]


def _plan_block(
    block: _Block,
    s_numbers: npt.NDArray[np.int64],
    s_pks: npt.NDArray[np.int64],
    now_us: int,
    seen: _PairFilter,
    ids: _Ids,
) -> _Plan:
    _check_block(block, s_numbers)
    sids = s_pks[np.searchsorted(s_numbers, block.comment_ids)]
    us = _microseconds(block.timestamps, now_us)
    order = np.argsort(us, kind="stable")
    numbers, sids, votes, us = block.voter_ids[order], sids[order], block.votes[order], us[order]
    # The last vote of each pair in the block, and how many acts the pair had in it.
    key = np.lexsort((np.arange(len(numbers)), sids, numbers))
    kp, ks = numbers[key], sids[key]
    last = np.ones(len(key), dtype=bool)
    if len(key) > 1:
        last[:-1] = (kp[1:] != kp[:-1]) | (ks[1:] != ks[:-1])
    ends = np.flatnonzero(last)
    counts = np.diff(np.concatenate([[-1], ends])).astype(np.int32)
    keep = key[ends]
    again = seen.seen_then_add(numbers[keep], sids[keep])
    ordinals, fresh = ids.number(numbers)
    return _Plan(ordinals, fresh, sids, votes, us, keep, counts, again)


def _planned(
    blocks: Iterator[_Block],
    plan: Callable[[_Block], _Plan],
) -> Generator[_Plan, None, None]:
    """``plan`` applied to each block in a thread of its own, two blocks ahead of the
    consumer, which meanwhile writes the previous ones: reading, parsing and sorting (numpy
    and Arrow release the GIL) overlap the database's work. An error in the thread is
    raised here, in order; when the consumer stops early the thread stops too."""
    ahead: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            for block in blocks:
                item: tuple[str, Any] = ("plan", plan(block))
                del block
                while not stop.is_set():
                    try:
                        ahead.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                del item
                if stop.is_set():
                    return
            ahead.put(("end", None))
        except BaseException as error:  # handed to the consumer, raised there
            ahead.put(("error", error))

    worker = threading.Thread(target=produce, name="polis-import-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = ahead.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.1)
        worker.join()


@dataclass
class _Written:
    """What the database says one block stored: vote events, and current votes inserted
    outright (staged pairs are counted at the merge); ``pairs`` is the block's distinct
    (participant, statement) pairs, an upper bound on the current votes it can add."""

    events: int = 0
    votes: int = 0
    pairs: int = 0

    def __iadd__(self, other: _Written) -> _Written:
        self.events += other.events
        self.votes += other.votes
        self.pairs += other.pairs
        return self


def _write_plan(
    cursor: Any,
    consultation_id: int,
    plan: _Plan,
    pids: npt.NDArray[np.int64],
    seq: int,
    *,
    own_ids: bool = False,
) -> _Written:
    """Append the block's events (in time order); insert the last vote of each pair the
    Bloom filter has never seen into the current votes, and stage the others for
    ``_MERGE``. Returns what the database stored. ``own_ids`` (PostgreSQL, the vote tables
    locked by this transaction): the rows carry ids drawn by :func:`_reserve_ids`."""
    sids, votes, us, keep, counts, again = (
        plan.sids,
        plan.votes,
        plan.us,
        plan.keep,
        plan.counts,
        plan.again,
    )
    stored = _Written(pairs=len(keep))
    columns = "(consultation_id, participant_id, statement_id, value, revision, updated_at)"
    if connection.vendor == "postgresql":
        stored.events = _pg_copy_columns(
            cursor,
            "consultation_voteevent",
            "(consultation_id, participant_id, statement_id, value, at)",
            [">i8", ">i8", ">i8", ">i2", ">i8"],
            [consultation_id, pids, sids, votes, us - _PG_EPOCH_US],
            n=len(pids),
            own_ids=own_ids,
        )
        for staged in (False, True):
            rows = keep[again == staged]
            if not len(rows):
                continue
            types = [">i8", ">i8", ">i8", ">i2", ">i4", ">i8"]
            values = [
                consultation_id,
                pids[rows],
                sids[rows],
                votes[rows],
                counts[again == staged],
                us[rows] - _PG_EPOCH_US,
            ]
            if staged:
                _pg_copy_columns(
                    cursor,
                    "concord_import_vote",
                    _STAGE_COLUMNS,
                    [*types, ">i4"],
                    [*values, seq],
                    n=len(rows),
                )
            else:
                stored.votes = _pg_copy_columns(
                    cursor,
                    "consultation_vote",
                    columns,
                    types,
                    values,
                    n=len(rows),
                    own_ids=own_ids,
                )
        return stored
    at = _sqlite_times(us)
    event_columns = [itertools.repeat(consultation_id, len(pids)), pids.tolist(), sids.tolist()]
    stored.events = _sqlite_insert(cursor, _SQLITE_EVENT, [*event_columns, votes.tolist(), at])
    for staged in (False, True):
        rows = keep[again == staged]
        if not len(rows):
            continue
        inserted = _sqlite_insert(
            cursor,
            _SQLITE_STAGE if staged else _SQLITE_VOTE,
            [
                itertools.repeat(consultation_id, len(rows)),
                pids[rows].tolist(),
                sids[rows].tolist(),
                votes[rows].tolist(),
                counts[again == staged].tolist(),
                [at[i] for i in rows.tolist()],
                *([itertools.repeat(seq, len(rows))] if staged else []),
            ],
        )
        if not staged:
            stored.votes = inserted
    return stored


def _sqlite_insert(cursor: Any, insert: str, columns: list[Iterable[Any]]) -> int:
    """Insert the rows of ``columns`` with ``insert`` (``INSERT INTO t (..) VALUES``),
    thousands of rows per statement: sqlite3's ``executemany`` costs several microseconds
    a row (7.6 s for a million events, against 1.5 s this way). Returns the rows stored."""
    raw = cursor.cursor
    width = len(columns)
    per_statement = raw.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    values = list(itertools.chain.from_iterable(zip(*columns, strict=False)))
    n = len(values) // width
    one = "(" + ", ".join(["?"] * width) + ")"
    full = insert + " " + ", ".join([one] * per_statement)
    stored = 0
    for lo in range(0, n - n % per_statement, per_statement):
        sqlite3.Cursor.execute(raw, full, values[lo * width : (lo + per_statement) * width])
        stored += raw.rowcount
    if rest := n % per_statement:
        sqlite3.Cursor.execute(
            raw, insert + " " + ", ".join([one] * rest), values[(n - rest) * width :]
        )
        stored += raw.rowcount
    return stored


def _sqlite_times(us: npt.NDArray[np.int64]) -> list[str]:
    """Microseconds since 1970 as Django stores datetimes on SQLite (naive UTC text,
    ``str(datetime)``: no fraction when it is zero), without a datetime object per vote."""
    text = np.datetime_as_string(us.astype("datetime64[us]"), unit="us").tolist()
    return [t.replace("T", " ").removesuffix(".000000") for t in text]


# --------------------------------------------------------------------- the service


def _statement_rows(
    comments: tuple[PolisComment, ...], consultation: Consultation, authors: _Ids, now: datetime
) -> list[Statement]:
    author_numbers = np.array(sorted({c.author_id for c in comments if c.author_id >= 0}))
    author_pk: dict[int, int] = {}
    if len(author_numbers):
        pks = authors.pks_of(author_numbers.astype(np.int64))
        author_pk = dict(zip(author_numbers.tolist(), pks.tolist(), strict=True))
    seen: set[str] = set()
    out = []
    for c in sorted(comments, key=lambda c: c.comment_id):
        text = " ".join(c.text.split())
        normalized = normalize_text(text)
        if not normalized or normalized in seen:
            # Pol.is keeps duplicate texts apart by id; so does an import.
            normalized = f"{normalized}#polis-{c.comment_id}"
        seen.add(normalized)
        out.append(
            Statement(
                consultation=consultation,
                author_id=author_pk.get(c.author_id),
                text=text,
                normalized=normalized,
                lang="en",
                moderation=MODERATION.get(c.moderated, Moderation.PENDING),
                number=c.comment_id,
                created_at=_moment(c.timestamp_ms, now),
            )
        )
    return out


def _moment(timestamp: int, fallback: datetime) -> datetime:
    if timestamp <= 0:
        return fallback
    seconds = timestamp / 1000.0 if timestamp > 100_000_000_000 else float(timestamp)
    return datetime.fromtimestamp(seconds, tz=UTC)


def _open_consultation(
    *, actor: Actor, organization: Organization, slug: str, summary: dict[str, str], source: dict
) -> Consultation:
    consultation = Consultation.objects.select_for_update().filter(slug=slug).first()
    if consultation is None:
        topic = summary.get("topic") or slug
        return consultation_create(
            actor=actor,
            org_slug=organization.slug,
            slug=slug,
            title={"en": topic[:300]},
            description={"en": summary.get("conversation-description", "")[:10_000]},
            languages=["en"],
            moderation_mode=ModerationMode.POST,
            source=source,
        )
    if Statement.objects.filter(consultation=consultation).exists():
        raise Conflict(
            _("Consultation %(slug)s holds statements already; import into a new one."),
            slug=slug,
        )
    consultation.source = source
    consultation.save(update_fields=["source"])
    return consultation


@contextlib.contextmanager
def _sqlite_foreign_keys_off() -> Iterator[None]:
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.constraint_checks_disabled():
        yield


def polis_files(directory: Path) -> tuple[Path, Path, Path | None]:
    """(comments.csv, the votes file, summary.csv or None); raises FileNotFoundError."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory")
    comments = directory / "comments.csv"
    if not comments.exists():
        raise FileNotFoundError(f"{directory}: no comments.csv")
    votes = directory / "votes.csv"
    if not votes.exists():
        votes = directory / "participants-votes.csv"
        if not votes.exists():
            raise FileNotFoundError(f"{directory}: neither votes.csv nor participants-votes.csv")
    summary = directory / "summary.csv"
    return comments, votes, summary if summary.exists() else None


def consultation_import_polis(
    *,
    actor: Actor,
    organization: Organization,
    slug: str,
    directory: Path,
    progress: Progress | None = None,
    block_bytes: int = BLOCK_BYTES,
    rebuild_indexes: bool | None = None,
) -> ImportSummary:
    """Import the Pol.is export in ``directory`` into the consultation ``slug`` (created when
    missing; it must hold no statements yet), in one transaction, audited.

    Raises ``PolisFormatError`` (a malformed or inconsistent file, naming it and the line),
    ``FileNotFoundError`` or a ``DomainError``; in every case nothing is written.
    ``progress`` is called with the bytes of the votes file read so far, block by block;
    ``block_bytes`` is how much of votes.csv is read, checked and written at a time.
    ``rebuild_indexes``: drop the vote tables' indexes (primary keys too) for the load and
    build them again before the commit (on PostgreSQL the vote tables are then locked until
    the commit); ``None`` decides by size: when the file brings more votes than are stored.
    """
    comments_path, votes_path, summary_path = polis_files(directory)
    comments = read_comments(comments_path)
    if len({c.comment_id for c in comments}) != len(comments):
        raise PolisFormatError(comments_path, None, "a comment id occurs twice")
    summary = read_summary(summary_path) if summary_path else {}
    source = {
        "kind": "polis",
        "directory": directory.name,
        "url": summary.get("url", ""),
        "licence": POLIS_LICENCE,
        "attribution": POLIS_ATTRIBUTION,
    }
    now = datetime.now(tz=UTC)
    now_us = int(now.timestamp() * 1_000_000)
    # SQLite checks three foreign keys per inserted row (a B-tree lookup each), and the
    # pragma can only change outside a transaction: off for the import when it is not
    # nested in another transaction, as PostgreSQL's triggers are off above. Every id
    # written is checked by the import first.
    with _sqlite_foreign_keys_off():
        with transaction.atomic():
            consultation = _open_consultation(
                actor=actor, organization=organization, slug=slug, summary=summary, source=source
            )
            ids = _Ids(consultation, now)
            statements = _statement_rows(comments, consultation, ids, now)
            Statement.objects.bulk_create(statements, batch_size=5000)
            pairs = sorted(
                Statement.objects.filter(consultation=consultation).values_list("number", "id")
            )
            s_numbers = np.array([n for n, _ in pairs], dtype=np.int64)
            s_pks = np.array([pk for _, pk in pairs], dtype=np.int64)
            votes_digest = hashlib.sha256()
            seen = _PairFilter()
            events = blocks = 0
            written = _Written()
            with connection.cursor() as cursor:
                if rebuild_indexes is None:
                    rebuild_indexes = _should_rebuild(cursor, votes_path)
                if connection.vendor == "postgresql":
                    _pg_triggers_off(cursor)
                    # Durability comes at the commit of the whole import; the server need not
                    # flush the WAL of each statement before it. Index builds sort in memory.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                    cursor.execute(
                        _STAGE.format(
                            if_not_exists="IF NOT EXISTS",
                            timestamp="timestamptz",
                            on_commit=" ON COMMIT DROP",
                        )
                    )
                    cursor.execute("TRUNCATE concord_import_vote")
                else:
                    # SQLite's default page cache is 2 MB: the votes' indexes, written in random
                    # order, would miss it on almost every insert. 256 MB for this connection.
                    # (temp_store cannot change inside a transaction: it stays the default.)
                    cursor.execute("PRAGMA cache_size = -262144")
                    cursor.execute("DROP TABLE IF EXISTS temp.concord_import_vote")
                    cursor.execute(_STAGE.format(if_not_exists="", timestamp="text", on_commit=""))
                rebuild = _indexes_drop(cursor) if rebuild_indexes else []
                # With the indexes dropped the vote tables are locked until the commit, so the
                # import may draw their ids in blocks rather than a sequence call per row.
                own_ids = bool(rebuild) and connection.vendor == "postgresql"
                if votes_path.name == "votes.csv":
                    stream: Iterator[_Block] = _vote_blocks(
                        votes_path, votes_digest, progress, block_bytes
                    )
                else:
                    stream = iter([_participants_votes_block(votes_path, votes_digest, progress)])
                plans = _planned(
                    stream, lambda block: _plan_block(block, s_numbers, s_pks, now_us, seen, ids)
                )
                # closing(): on a failure here the reader thread stops at once, not when
                # the traceback that holds this frame is let go.
                with contextlib.closing(plans):
                    for plan in plans:
                        ids.create(plan.fresh)
                        pids = ids.pks[plan.ordinals]
                        written += _write_plan(
                            cursor, consultation.pk, plan, pids, blocks, own_ids=own_ids
                        )
                        events += len(plan.votes)
                        blocks += 1
                        del plan, pids
                for statement in rebuild:
                    cursor.execute(statement)
                if rebuild and connection.vendor == "postgresql":
                    # The planner's figures for tables that just grew by millions of rows
                    # (a sample: about a second at 25M votes).
                    cursor.execute("ANALYZE consultation_vote, consultation_voteevent")
                # Staged pairs not stored yet become new current votes at the merge (the
                # others update one); counted through the unique index, before the merge.
                cursor.execute(_NEW_STAGED)
                written.votes += cursor.fetchone()[0]
                cursor.execute(_MERGE)
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL session_replication_role = origin")
                else:
                    cursor.execute("DROP TABLE temp.concord_import_vote")
            result = ImportSummary(
                consultation=slug,
                statements=len(statements),
                participants=len(ids.numbers),
                # As the database reported them (COPY's and INSERT's row counts): counting
                # the rows again took seconds at 25M votes.
                votes=written.votes,
                events=written.events,
                blocks=blocks,
            )
            if result.events != events or result.votes > written.pairs:
                # Cannot happen unless the database lost rows under us: refuse to commit.
                raise Conflict(
                    _("The import wrote %(written)s vote events but finds %(found)s; rolled back."),
                    written=events,
                    found=result.events,
                )
            event_append(
                actor=actor,
                act="consultation.import",
                obj=consultation,
                payload={
                    **result.as_dict(),
                    "format": "polis",
                    "directory": directory.name,
                    "sha256": {
                        comments_path.name: _sha256(comments_path),
                        votes_path.name: votes_digest.hexdigest(),
                    },
                },
            )
        return result


def _participants_votes_block(path: Path, digest: Any, progress: Progress | None) -> _Block:
    """participants-votes.csv holds final votes only and is read whole (it is one row per
    participant; exports of a size that matters carry votes.csv)."""
    digest.update(path.read_bytes())
    _groups, ev = read_participants_votes(path)
    if progress:
        progress(path.stat().st_size)
    return _Block(
        timestamps=np.asarray(ev.timestamps, dtype=np.int64),
        comment_ids=np.asarray(ev.comment_ids, dtype=np.int64),
        voter_ids=np.asarray(ev.voter_ids, dtype=np.int64),
        votes=np.asarray(ev.votes, dtype=np.int8),
        first_line=2,
        path=path,
    )
