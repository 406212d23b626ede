"""Reading and writing Pol.is conversation exports, pure Python + numpy.

An export directory holds ``comments.csv``, ``votes.csv`` (every vote event),
``participants-votes.csv`` (one row per participant, with Pol.is's own ``group-id``) and
``summary.csv``. Votes are +1 agree, -1 disagree, 0 pass (Pol.is flips its internal sign on
export; the files' agree/disagree counts confirm it).

``votes.csv`` can hold tens of millions of rows, so it is parsed by a vectorised numpy
reader in blocks; a block the fast path cannot prove well-formed (quotes, blank lines, bad
fields) is re-read with the csv module, which either parses it or reports the exact line.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from concord.opinion.matrix import PackedVotes, VoteMatrix

IntArray = npt.NDArray[np.int64]

VOTES_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
COMMENTS_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")

_BLOCK_BYTES = 32 * 1024 * 1024
# votes.csv windows parsed at once on all cores (see _arrow_batches).
_WINDOW_BYTES = 64 * 1024 * 1024
_COMMA, _NEWLINE, _QUOTE, _CR, _MINUS, _ZERO = 44, 10, 34, 13, 45, 48


class PolisFormatError(ValueError):
    """A Pol.is export file is malformed; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True)
class PolisComment:
    """One row of comments.csv. ``moderated``: 1 accepted, 0 unmoderated, -1 moderated out."""

    comment_id: int
    text: str
    author_id: int = 0
    agrees: int = 0
    disagrees: int = 0
    moderated: int = 1
    timestamp_ms: int = 0
    is_meta: bool = False


@dataclass(frozen=True)
class VoteEvents:
    """Parallel (N,) integer arrays of vote events in file order (int64; votes may be
    int8)."""

    timestamps: IntArray
    comment_ids: IntArray
    voter_ids: IntArray
    votes: npt.NDArray[np.integer[Any]]


@dataclass(frozen=True, eq=False)
class PolisExport:
    """A read export: the final vote matrix (participant ids = voter ids, statement ids =
    comment ids), the comments, Pol.is's own groups (participant id -> group id, clustered
    participants only; empty when participants-votes.csv is absent) and the summary."""

    votes: VoteMatrix
    comments: tuple[PolisComment, ...]
    groups: dict[int, int] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


def read_export(directory: Path | str) -> PolisExport:
    """Read an export directory. votes.csv is preferred; without it the matrix comes from
    participants-votes.csv. Raises ``PolisFormatError`` on malformed files and
    ``FileNotFoundError`` when neither vote file exists."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a directory")
    comments: tuple[PolisComment, ...] = ()
    if (root / "comments.csv").exists():
        comments = read_comments(root / "comments.csv")
    groups: dict[int, int] = {}
    pv_events: VoteEvents | None = None
    if (root / "participants-votes.csv").exists():
        groups, pv_events = read_participants_votes(root / "participants-votes.csv")
    summary = read_summary(root / "summary.csv") if (root / "summary.csv").exists() else {}
    if (root / "votes.csv").exists():
        matrix = _read_matrix_arrow(root / "votes.csv", comments)
        if matrix is None:
            matrix = events_to_matrix(read_votes(root / "votes.csv"), comments)
    elif pv_events is not None:
        matrix = events_to_matrix(pv_events, comments)
    else:
        raise FileNotFoundError(f"{root}: neither votes.csv nor participants-votes.csv")
    return PolisExport(votes=matrix, comments=comments, groups=groups, summary=summary)


def events_to_matrix(events: VoteEvents, comments: Sequence[PolisComment] = ()) -> VoteMatrix:
    """Final votes (latest by timestamp, file order breaking ties) as a VoteMatrix; every
    comment of ``comments`` becomes a column, moderated-out ones (-1) masked."""
    ts = events.timestamps
    order: npt.NDArray[np.intp] | slice = slice(None)
    if len(ts) > 1 and not bool(np.all(ts[1:] >= ts[:-1])):
        order = np.argsort(ts, kind="stable")
    return VoteMatrix.from_triples(
        events.voter_ids[order],
        events.comment_ids[order],
        events.votes[order],
        all_statement_ids=np.array([c.comment_id for c in comments], dtype=np.int64),
        moderated_out_ids=np.array(
            [c.comment_id for c in comments if c.moderated == -1], dtype=np.int64
        ),
    )


def read_votes(path: Path | str) -> VoteEvents:
    """Parse votes.csv (header with at least timestamp, comment-id, voter-id, vote).

    pyarrow's multi-threaded CSV reader is the fast path (25M rows in ~15 s on 2 cores);
    whatever it refuses, or when it is not installed, goes through the numpy block reader,
    which parses it or raises ``PolisFormatError`` naming the line.
    """
    path = Path(path)
    fast = _read_votes_arrow(path)
    if fast is not None:
        return fast
    return _read_votes_numpy(path)


def _read_votes_arrow(path: Path) -> VoteEvents | None:
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # optional speed-up: the numpy reader is complete on its own
        return None
    names = ("timestamp", "comment-id", "voter-id", "vote")
    try:
        table = pacsv.read_csv(
            path,
            # The system allocator gives freed column buffers back to the OS at once
            # (Arrow's default pool keeps them), which keeps the peak RSS down.
            memory_pool=pa.system_memory_pool(),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(names),
                column_types={**dict.fromkeys(names, pa.int64()), "vote": pa.int8()},
            ),
        )
    except (pa.ArrowException, KeyError, ValueError):
        return None
    if any(table.column(name).null_count for name in names):
        return None  # an empty cell: the numpy reader names its line
    columns = []
    for name in names:
        # Column by column, releasing Arrow's copy as we go, to bound peak memory.
        columns.append(np.ascontiguousarray(table.column(name).to_numpy()))
        table = table.drop_columns([name])
    ts, cid, vid, vote = columns
    bad = np.flatnonzero((vote < -1) | (vote > 1))
    if len(bad):
        return None  # the numpy reader reports the exact line
    return VoteEvents(timestamps=ts, comment_ids=cid, voter_ids=vid, votes=vote)


class _Refused(Exception):
    """The fast reader cannot take this file; the general path reads it and says why."""


_VOTE_FIELDS = ("timestamp", "comment-id", "voter-id", "vote")
VoteColumns = tuple[IntArray, IntArray, IntArray, npt.NDArray[np.int8]]


def _arrow_columns(path: Path) -> Iterator[VoteColumns]:
    """votes.csv as (timestamps, comment ids, voter ids, votes) numpy blocks in file order:
    views of Arrow's buffers, valid until the next block is asked for.

    The file is cut at line ends into windows of ``_WINDOW_BYTES``. Arrow parses each on
    all cores, one window ahead in a second thread, while the caller works through the
    blocks of the window before. Raises ``_Refused`` where Arrow refuses the file, a value
    is missing, or a quote appears (a quoted field may hold a line end, which a cut could
    split; Pol.is writes none in votes.csv): the general reader then takes the file.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    convert = pacsv.ConvertOptions(
        include_columns=list(_VOTE_FIELDS),
        column_types={**dict.fromkeys(_VOTE_FIELDS, pa.int64()), "vote": pa.int8()},
    )
    pool = pa.system_memory_pool()  # gives freed buffers back to the OS at once

    def blocks(table: Any) -> Iterator[VoteColumns]:
        for batch in table.to_batches():
            columns = [batch.column(name) for name in _VOTE_FIELDS]
            if any(column.null_count for column in columns):
                raise _Refused
            ts, cid, vid, vote = (column.to_numpy() for column in columns)
            yield ts, cid, vid, vote

    try:
        with path.open("rb") as fh, ThreadPoolExecutor(max_workers=1) as parser:
            header = fh.readline()
            names = next(csv.reader([header.decode("utf-8-sig")]), [])
            options = pacsv.ReadOptions(column_names=names, block_size=_BLOCK_BYTES // 8)
            if b'"' in header:
                raise _Refused

            def parse(window: memoryview) -> Any:
                return pacsv.read_csv(
                    pa.BufferReader(pa.py_buffer(window)),
                    read_options=options,
                    convert_options=convert,
                    memory_pool=pool,
                )

            # Two buffers, reused for every window (a fresh 64 MB each time would be
            # paged in anew): Arrow parses one while the next is read into the other.
            # The unfinished last line of a window starts the next one.
            buffers = (bytearray(_WINDOW_BYTES), bytearray(_WINDOW_BYTES))
            held = memoryview(b"")
            pending: Future[Any] | None = None
            for turn in itertools.count():
                buffer = buffers[turn % 2]
                view = memoryview(buffer)
                view[: len(held)] = held
                size = len(held) + (fh.readinto(view[len(held) :]) or 0)
                end = size if size < _WINDOW_BYTES else buffer.rfind(b"\n", 0, size) + 1
                if (size and end <= 0) or buffer.find(b'"', 0, end) >= 0:
                    raise _Refused  # a quoted field may hold a line end, which a cut splits
                parsed = parser.submit(parse, view[:end]) if end else None
                held = view[end:size]
                if pending is not None:
                    yield from blocks(pending.result())
                pending = parsed
                if size < _WINDOW_BYTES:
                    break
            if pending is not None:
                yield from blocks(pending.result())
    except (pa.ArrowException, KeyError, ValueError, UnicodeDecodeError) as error:
        raise _Refused from error


def _read_matrix_arrow(path: Path, comments: Sequence[PolisComment]) -> VoteMatrix | None:
    """votes.csv straight into the sparse matrix, for large exports: each block of votes
    packed into sort keys as Arrow hands it over (:class:`PackedVotes`), timestamps kept
    to rank a pair's re-votes. None when pyarrow is missing
    or refuses the file, or when an id or vote does not fit the packing: the caller then
    takes the general path, which reports errors by line."""
    try:
        import pyarrow as pa
    except ImportError:  # optional speed-up: the numpy reader is complete on its own
        return None
    statement_ids = np.array([c.comment_id for c in comments], dtype=np.int64)
    if len(statement_ids) and int(statement_ids.min()) < 0:
        return None
    try:
        # A row holds at least four one-character fields and their separators: 8 bytes.
        packed = PackedVotes(path.stat().st_size // 8 + 1, statement_ids)
    except MemoryError:  # a file larger than this machine lets one process map
        return None
    # Arrow's default pool (mimalloc) keeps what the reader's file buffers used, ~100 bytes
    # per vote at the end of the read; the system allocator hands it back.
    previous_pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        for ts, cid, vid, vote in _arrow_columns(path):
            if not packed.add(vid, cid, vote, ts):
                return None
    except _Refused:
        return None
    finally:
        pa.set_memory_pool(previous_pool)
    return packed.matrix(
        all_statement_ids=statement_ids,
        moderated_out_ids=[c.comment_id for c in comments if c.moderated == -1],
    )


def _read_votes_numpy(path: Path) -> VoteEvents:
    with path.open("rb") as fh:
        header_bytes = fh.readline()
        header = _decode(path, 1, header_bytes).strip("\r\n").split(",")
        cols = _require_columns(path, header, ("timestamp", "comment-id", "voter-id", "vote"))
        n_cols = len(header)
        parts: list[list[IntArray]] = []
        line_no = 2
        carry = b""
        while True:
            block = fh.read(_BLOCK_BYTES)
            data = carry + block
            if not block:
                if data.strip():
                    if not data.endswith(b"\n"):
                        data += b"\n"
                    parts.append(_parse_block(path, data, line_no, n_cols, cols))
                break
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 1 :]
            chunk = data[: cut + 1]
            parts.append(_parse_block(path, chunk, line_no, n_cols, cols))
            line_no += chunk.count(b"\n")
    if parts:
        fields = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    else:
        fields = [np.zeros(0, dtype=np.int64) for _ in range(4)]
    ts, cid, vid, vote = fields
    bad = np.flatnonzero((vote < -1) | (vote > 1))
    if len(bad):
        raise PolisFormatError(path, int(bad[0]) + 2, f"vote {vote[bad[0]]} is not -1, 0 or 1")
    return VoteEvents(timestamps=ts, comment_ids=cid, voter_ids=vid, votes=vote)


def _require_columns(path: Path, header: list[str], names: Iterable[str]) -> list[int]:
    try:
        return [header.index(n) for n in names]
    except ValueError:
        missing = [n for n in names if n not in header]
        raise PolisFormatError(path, 1, f"missing column(s) {', '.join(missing)}") from None


def _decode(path: Path, line: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolisFormatError(path, line, f"not UTF-8 ({exc.reason})") from None


def _parse_block(
    path: Path, data: bytes, first_line: int, n_cols: int, cols: list[int]
) -> list[IntArray]:
    """Integer columns ``cols`` of complete lines ``data``; falls back to csv on anything
    the vectorised path cannot prove well-formed, so errors carry exact line numbers."""
    buf = np.frombuffer(data, dtype=np.uint8)
    if _CR in data:
        buf = buf[buf != _CR]
    if _QUOTE not in data and b"\n\n" not in data and buf[0] != _NEWLINE:
        delims = np.flatnonzero((buf == _COMMA) | (buf == _NEWLINE))
        n_rows = len(delims) // n_cols
        if len(delims) == n_rows * n_cols and n_rows > 0:
            ends = delims.reshape(n_rows, n_cols)
            if np.all(buf[ends[:, -1]] == _NEWLINE) and (
                n_cols == 1 or np.all(buf[ends[:, :-1]] == _COMMA)
            ):
                starts = np.empty_like(ends)
                starts[:, 1:] = ends[:, :-1] + 1
                starts[0, 0] = 0
                starts[1:, 0] = ends[:-1, -1] + 1
                out = []
                for c in cols:
                    parsed = _parse_ints(buf, starts[:, c], ends[:, c])
                    if parsed is None:
                        break
                    out.append(parsed)
                else:
                    return out
    return _parse_block_slow(path, data, first_line, n_cols, cols)


def _parse_ints(buf: npt.NDArray[np.uint8], starts: IntArray, ends: IntArray) -> IntArray | None:
    """Vectorised parse of optionally signed decimal integers buf[starts:ends]; None when
    any field is empty, too long or not a number.

    Rows are handled in classes of equal digit count (ids and timestamps have few distinct
    lengths), so each class is a plain Horner loop without per-row masks.
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    neg = buf[starts] == _MINUS
    first = starts + neg
    lengths = ends - first
    lo, hi = int(lengths.min()), int(lengths.max())
    if lo < 1 or hi > 18:
        return None
    value = np.empty(len(starts), dtype=np.int64)
    for length in range(lo, hi + 1):
        rows = slice(None) if lo == hi else np.flatnonzero(lengths == length)
        at = first[rows]
        acc = np.zeros(len(at), dtype=np.int64)
        for pos in range(length):
            digit = buf[at + pos] - np.uint8(_ZERO)
            if digit.max(initial=0) > 9:  # uint8 wrap-around: bytes below '0' are large too
                return None
            acc *= 10
            acc += digit
        value[rows] = acc
    if neg.any():
        value[neg] = -value[neg]
    return value


def _parse_block_slow(
    path: Path, data: bytes, first_line: int, n_cols: int, cols: list[int]
) -> list[IntArray]:
    text = _decode(path, first_line, data)
    out: list[list[int]] = [[] for _ in cols]
    line = first_line
    for raw_line in io.StringIO(text, newline=""):
        this_line = line
        line += raw_line.count("\n")
        if not raw_line.strip():
            continue
        try:
            row = next(csv.reader([raw_line]))
        except csv.Error as exc:
            raise PolisFormatError(path, this_line, f"unreadable CSV ({exc})") from None
        if len(row) != n_cols:
            raise PolisFormatError(path, this_line, f"expected {n_cols} fields, found {len(row)}")
        for i, c in enumerate(cols):
            out[i].append(_int(path, this_line, row[c]))
    return [np.asarray(o, dtype=np.int64) for o in out]


def _int(path: Path, line: int, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise PolisFormatError(path, line, f"{text!r} is not an integer") from None


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, row) of a small CSV, via the csv module."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = next(reader)
            except StopIteration:
                raise PolisFormatError(path, 1, "empty file, no header") from None
            rows = []
            for row in reader:
                if row:
                    rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise PolisFormatError(path, None, f"unreadable CSV ({exc})") from None
    except UnicodeDecodeError as exc:
        raise PolisFormatError(path, None, f"not UTF-8 ({exc.reason})") from None
    return header, rows


def read_comments(path: Path | str) -> tuple[PolisComment, ...]:
    """Parse comments.csv (column set varies across Pol.is versions; comment-id required)."""
    path = Path(path)
    header, rows = _rows(path)
    (cid,) = _require_columns(path, header, ("comment-id",))
    idx = {name: i for i, name in enumerate(header)}
    out = []
    for line, row in rows:
        if len(row) != len(header):
            raise PolisFormatError(path, line, f"expected {len(header)} fields, found {len(row)}")

        def num(name: str, default: int, row: list[str] = row, line: int = line) -> int:
            if name not in idx or row[idx[name]] == "":
                return default
            return _int(path, line, row[idx[name]])

        meta = row[idx["is-meta"]].lower() == "true" if "is-meta" in idx else False
        out.append(
            PolisComment(
                comment_id=_int(path, line, row[cid]),
                text=unneutralize(row[idx["comment-body"]]) if "comment-body" in idx else "",
                author_id=num("author-id", 0),
                agrees=num("agrees", 0),
                disagrees=num("disagrees", 0),
                moderated=num("moderated", 1),
                timestamp_ms=num("timestamp", 0),
                is_meta=meta,
            )
        )
    return tuple(out)


def read_participants_votes(path: Path | str) -> tuple[dict[int, int], VoteEvents]:
    """Parse participants-votes.csv: Pol.is's groups (participant -> group id, clustered
    ones only) and each participant's final votes (timestamps all 0)."""
    path = Path(path)
    header, rows = _rows(path)
    pcol, gcol = _require_columns(path, header, ("participant", "group-id"))
    # Comment columns are those after the fixed ones, named by integer comment ids.
    comment_cols = [(i, int(h)) for i, h in enumerate(header) if h.strip().lstrip("-").isdigit()]
    groups: dict[int, int] = {}
    pids: list[int] = []
    cids: list[int] = []
    vals: list[int] = []
    for line, row in rows:
        if len(row) != len(header):
            raise PolisFormatError(path, line, f"expected {len(header)} fields, found {len(row)}")
        pid = _int(path, line, row[pcol])
        if row[gcol] != "":
            groups[pid] = _int(path, line, row[gcol])
        for i, comment_id in comment_cols:
            cell = row[i]
            if cell == "":
                continue
            v = _int(path, line, cell)
            if v not in (-1, 0, 1):
                raise PolisFormatError(path, line, f"vote {v} is not -1, 0 or 1")
            pids.append(pid)
            cids.append(comment_id)
            vals.append(v)
    n = len(vals)
    events = VoteEvents(
        timestamps=np.zeros(n, dtype=np.int64),
        comment_ids=np.asarray(cids, dtype=np.int64),
        voter_ids=np.asarray(pids, dtype=np.int64),
        votes=np.asarray(vals, dtype=np.int64),
    )
    return groups, events


def read_summary(path: Path | str) -> dict[str, str]:
    """Parse summary.csv (key,value rows)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [
                (unneutralize(r[0]), unneutralize(r[1]) if len(r) > 1 else "")
                for r in csv.reader(fh)
                if r
            ]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PolisFormatError(path, None, f"unreadable CSV ({exc})") from None
    return dict(rows)


# --------------------------------------------------------------------------- writing


def _polis_datetime(timestamp_ms: int) -> str:
    # Pol.is writes e.g. "Fri Sep 20 14:29:43 UTC 2024"; we always write UTC.
    moment = datetime.fromtimestamp(timestamp_ms / 1000.0, tz=UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula
# (=HYPERLINK(..) in a statement); OWASP's remedy is a leading apostrophe. Only text cells
# are touched: numbers, a vote of -1 included, are written as numbers.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """``cell`` as written to CSV: an apostrophe before text that a spreadsheet would run.

    Text that already starts with apostrophes before such a character gets one more, so
    :func:`unneutralize` gives back exactly what was written, whatever the text."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_PREFIXES) else cell


def unneutralize(cell: str) -> str:
    """The text :func:`neutralize` was given (read_* apply it to the text cells)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


class _SafeWriter:
    """csv.writer whose text cells are neutralized (every CSV Concord writes).

    A row with a carriage return in a text is written with its texts quoted: with "\n" as
    line terminator the csv module would leave a lone "\r" bare, and a reader would split
    the row there."""

    def __init__(self, fh: Any) -> None:
        self._writer = csv.writer(fh, lineterminator="\n")
        self._quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [neutralize(c) if isinstance(c, str) else c for c in row]
        bare_cr = any(isinstance(c, str) and "\r" in c for c in cells)
        (self._quoted if bare_cr else self._writer).writerow(cells)


def write_export(
    directory: Path | str,
    *,
    comments: Sequence[PolisComment],
    votes: Iterable[tuple[int, int, int, int]],
    groups: Mapping[int, int] | None = None,
    summary: Mapping[str, Any] | None = None,
) -> None:
    """Write comments.csv, votes.csv, participants-votes.csv and summary.csv.

    ``votes`` are (timestamp_ms, comment_id, voter_id, vote) events in any order (the latest
    per pair is the final vote); ``groups`` maps participant id to Pol.is-style group id;
    ``summary`` gives the key/value rows (counts are filled in when absent).
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    events = sorted(votes, key=lambda e: e[0])
    final: dict[tuple[int, int], int] = {}
    for _ts, cid, pid, v in events:
        if v not in (-1, 0, 1):
            raise ValueError(f"vote {v} is not -1, 0 or 1")
        final[(pid, cid)] = v
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for (_pid, cid), v in final.items():
        if v == 1:
            agrees[cid] = agrees.get(cid, 0) + 1
        elif v == -1:
            disagrees[cid] = disagrees.get(cid, 0) + 1

    with (root / "comments.csv").open("w", encoding="utf-8", newline="") as fh:
        w = _SafeWriter(fh)
        w.writerow(COMMENTS_COLUMNS)
        for c in comments:
            w.writerow(
                [
                    c.timestamp_ms,
                    _polis_datetime(c.timestamp_ms),
                    c.comment_id,
                    c.author_id,
                    agrees.get(c.comment_id, 0),
                    disagrees.get(c.comment_id, 0),
                    c.moderated,
                    c.text,
                ]
            )

    with (root / "votes.csv").open("w", encoding="utf-8", newline="") as fh:
        w = _SafeWriter(fh)
        w.writerow(VOTES_COLUMNS)
        for ts, cid, pid, v in events:
            w.writerow([ts, _polis_datetime(ts), cid, pid, v])

    comment_ids = sorted(c.comment_id for c in comments)
    participants = sorted({pid for pid, _ in final})
    authored: dict[int, int] = {}
    for c in comments:
        authored[c.author_id] = authored.get(c.author_id, 0) + 1
    per_participant: dict[int, dict[int, int]] = {p: {} for p in participants}
    for (pid, cid), v in final.items():
        per_participant[pid][cid] = v
    group_map = dict(groups or {})
    with (root / "participants-votes.csv").open("w", encoding="utf-8", newline="") as fh:
        w = _SafeWriter(fh)
        w.writerow([*PARTICIPANT_COLUMNS, *comment_ids])
        for pid in participants:
            mine = per_participant[pid]
            w.writerow(
                [
                    pid,
                    group_map.get(pid, ""),
                    authored.get(pid, 0),
                    len(mine),
                    sum(1 for v in mine.values() if v == 1),
                    sum(1 for v in mine.values() if v == -1),
                    *[mine.get(cid, "") for cid in comment_ids],
                ]
            )

    rows: dict[str, Any] = {
        "topic": "",
        "url": "",
        "views": len(participants),
        "voters": len(participants),
        "voters-in-conv": len(participants),
        "commenters": len({c.author_id for c in comments}),
        "comments": len(comments),
        "groups": len(set(group_map.values())),
        "conversation-description": "",
    }
    rows.update(summary or {})
    with (root / "summary.csv").open("w", encoding="utf-8", newline="") as fh:
        w = _SafeWriter(fh)
        for key, value in rows.items():
            w.writerow([key, value])
