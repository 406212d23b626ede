"""CSV in and out: indicator values (bulk import) and the round trip of commitments,
activities and reports keyed by external id.

Every import validates every row and imports all or nothing: a file with a bad row writes
nothing and the error names every bad row (1 = the first data row after the header) and
column. Importing the same file twice updates rows with the same external id and never
duplicates them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts import access
from concord.accounts.actor import Actor
from concord.audit.services import event_append
from concord.common.errors import DomainError, InvalidInput
from concord.implementation import selectors, services
from concord.implementation.models import (
    Activity,
    Commitment,
    Indicator,
    IndicatorValue,
    Report,
)
from concord.negotiation.models import Document
from concord.organization.models import Organization, State

LANGS = ("en", "ru", "zh")
VALUE_COLUMNS = ("state", "date", "value", "source")
COMMITMENT_COLUMNS = (
    "external_id",
    "document",
    "provision",
    "area",
    "lead_states",
    "bodies",
    "due",
    *(f"text_{lang}" for lang in LANGS),
    "bound",
)
ACTIVITY_COLUMNS = (
    "external_id",
    "kind",
    *(f"title_{lang}" for lang in LANGS),
    "commitments",
    "states",
    "start",
    "end",
    "place",
    "parent",
    "weight",
    "status",
)
REPORT_COLUMNS = (
    "external_id",
    "commitment",
    "activity",
    "state",
    "status",
    "progress",
    "narrative",
    "evidence",
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


def _reject(errors: Sequence[RowError]) -> None:
    if not errors:
        return
    shown = "; ".join(f"row {e.row}, {e.column}: {e.message}" for e in errors[:20])
    more = len(errors) - 20
    raise InvalidInput(
        _("%(count)s bad row(s); nothing was imported: %(rows)s%(more)s"),
        field=errors[0].column,
        count=len({e.row for e in errors}),
        rows=shown,
        more=f" (+{more})" if more > 0 else "",
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors],
    )


def read_rows(
    text: str, columns: Sequence[str], *, required: Sequence[str]
) -> list[dict[str, str]]:
    """The data rows of a CSV ``text`` whose header names (at least) ``required``."""
    # newline="": the csv module splits lines itself (a lone \r in a field is no error).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(
            _("The header lacks column(s) %(columns)s."),
            field=missing[0],
            columns=", ".join(missing),
        )
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise InvalidInput(
            _("Unknown column(s) %(columns)s."), field=unknown[0], columns=", ".join(unknown)
        )
    reader.fieldnames = header
    rows = []
    for raw in reader:
        if None in raw:
            raise InvalidInput(
                _("Row %(row)s has more cells than the header."),
                field="row",
                row=reader.line_num - 1,
            )
        rows.append({k: (v or "").strip() for k, v in raw.items()})
    return rows


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _write(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    return out.getvalue()


# --- indicator values ----------------------------------------------------------------------


@transaction.atomic
def values_import(*, actor: Actor, indicator_id: int, text: str) -> Imported:
    """Import dated values (columns state, date, value, source) into one indicator.

    One audit event for the whole import carries the SHA-256 of its canonical rows, so the
    chain seals every value without one event per row."""
    indicator: Indicator = selectors.indicator_for_actor(actor, indicator_id)
    org = indicator.organization
    rows = read_rows(text, VALUE_COLUMNS, required=("date", "value", "source"))
    states = {s.iso3: s for s in State.objects.all()}
    errors: list[RowError] = []
    now = timezone.now()
    values: list[IndicatorValue] = []
    allowed: dict[str | None, bool] = {}
    for n, row in enumerate(rows, start=1):
        code = row.get("state", "").upper() or None
        state = None
        if code is not None and code not in states:
            errors.append(RowError(n, "state", _("unknown state %(code)s") % {"code": code}))
        elif indicator.scope == "state" and code is None:
            errors.append(RowError(n, "state", _("this indicator is per state: name it")))
        elif indicator.scope == "organization" and code is not None:
            errors.append(RowError(n, "state", _("an organization-wide value names no state")))
        else:
            state = states.get(code) if code else None
            if code not in allowed:
                try:
                    access.require_value_recorder(actor, org, state)
                    allowed[code] = True
                except DomainError:
                    allowed[code] = False
            if not allowed[code]:
                errors.append(RowError(n, "state", _("you may not record values for it")))
        try:
            on = date.fromisoformat(row["date"])
        except ValueError:
            errors.append(RowError(n, "date", _("not a date written YYYY-MM-DD")))
            on = None
        try:
            value = float(row["value"])
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            errors.append(RowError(n, "value", _("not a number")))
            value = None
        if not row["source"]:
            errors.append(RowError(n, "source", _("every value names its source")))
        elif len(row["source"]) > 500:
            errors.append(RowError(n, "source", _("longer than 500 characters")))
        if on is not None and value is not None:
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    state=state,
                    on=on,
                    value=value,
                    source=row["source"],
                    by=access.user_of(actor),
                    at=now,
                )
            )
    if not rows:
        raise InvalidInput(_("The file has no rows."), field="file")
    _reject(errors)
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    canonical = "\n".join(
        f"{v.state.iso3 if v.state else ''},{v.on.isoformat()},{v.value!r},{v.source}"
        for v in values
    )
    event_append(
        actor=actor,
        act="indicator.values_import",
        obj=indicator,
        payload={
            "rows": len(values),
            "sha256": hashlib.sha256(canonical.encode()).hexdigest(),
        },
    )
    return Imported(created=len(values), updated=0)


def values_export(indicator: Indicator) -> str:
    rows = (
        {
            "state": v.state.iso3 if v.state else "",
            "date": v.on,
            "value": v.value,
            "source": v.source,
        }
        for v in IndicatorValue.objects.filter(indicator=indicator)
        .select_related("state")
        .order_by("on", "id")
    )
    return _write(VALUE_COLUMNS, rows)


# --- the round trip ------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").split() if v]


def _run_rows(rows: list[dict[str, str]], apply: Callable[[int, dict[str, str]], bool]) -> Imported:
    """Apply each row in its own savepoint, collect every row's error, then either keep all
    (the caller's transaction commits) or raise naming every bad row (nothing is kept)."""
    errors: list[RowError] = []
    created = updated = 0
    for n, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                if apply(n, row):
                    created += 1
                else:
                    updated += 1
        except DomainError as exc:
            errors.append(RowError(n, exc.field or "row", exc.detail))
        except ValueError as exc:
            errors.append(RowError(n, getattr(exc, "column", "row"), str(exc)))
    _reject(errors)
    return Imported(created=created, updated=updated)


class _ColumnError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _parse_date(row: dict[str, str], column: str) -> date | None:
    try:
        return _date(row.get(column, ""))
    except ValueError:
        raise _ColumnError(column, _("not a date written YYYY-MM-DD")) from None


def commitments_export(org: Organization) -> str:
    rows = (
        {
            "external_id": c.external_id or f"commitment-{c.pk}",
            "document": c.document.symbol,
            "provision": c.provision_key,
            "area": c.area.slug,
            "lead_states": " ".join(c.lead_states),
            "bodies": " ".join(c.bodies),
            "due": c.due,
            **{f"text_{lang}": c.texts.get(lang, "") for lang in LANGS},
            "bound": " ".join(c.bound),
        }
        for c in Commitment.objects.filter(organization=org)
        .select_related("document", "area")
        .order_by("id")
    )
    return _write(COMMITMENT_COLUMNS, rows)


@transaction.atomic
def commitments_import(*, actor: Actor, org: Organization, text: str) -> Imported:
    access.require_implementation_manager(actor, org)
    rows = read_rows(
        text, COMMITMENT_COLUMNS, required=("external_id", "document", "provision", "area")
    )
    documents = dict(Document.objects.filter(organization=org).values_list("symbol", "id"))
    every = list(Commitment.objects.filter(organization=org))
    existing = {c.external_id or f"commitment-{c.pk}": c for c in every}
    by_provision = {(c.document_id, c.provision_key): c for c in every}

    def apply(n: int, row: dict[str, str]) -> bool:
        if not row["external_id"]:
            raise _ColumnError("external_id", _("every row needs an external id"))
        document = documents.get(row["document"])
        if document is None:
            raise _ColumnError(
                "document", _("no document %(symbol)s") % {"symbol": row["document"]}
            )
        texts = {lang: row[f"text_{lang}"] for lang in LANGS if row.get(f"text_{lang}")}
        fields: dict[str, Any] = {
            "area": row["area"],
            "texts": texts,
            "lead_states": _split(row.get("lead_states", "")),
            "bodies": _split(row.get("bodies", "")),
            "due": _parse_date(row, "due"),
        }
        found = existing.get(row["external_id"]) or by_provision.get((document, row["provision"]))
        if found is not None:
            if found.provision_key != row["provision"] or found.document_id != document:
                raise _ColumnError(
                    "provision", _("an external id keeps its provision; this one changed it")
                )
            services.commitment_update(actor=actor, commitment_id=found.pk, **fields)
            return False
        made = services.commitment_create(
            actor=actor,
            org_slug=org.slug,
            document_id=document,
            provision=row["provision"],
            external_id=row["external_id"],
            **fields,
        )
        existing[made.external_id] = made
        return True

    return _run_rows(rows, apply)


def activities_export(org: Organization) -> str:
    activities = list(
        Activity.objects.filter(organization=org)
        .prefetch_related("participants__state", "commitments")
        .order_by("id")
    )
    ext = {a.pk: a.external_id or f"activity-{a.pk}" for a in activities}
    rows = (
        {
            "external_id": ext[a.pk],
            "kind": a.kind,
            **{f"title_{lang}": a.titles.get(lang, "") for lang in LANGS},
            "commitments": " ".join(
                c.external_id or f"commitment-{c.pk}" for c in a.commitments.all()
            ),
            "states": " ".join(f"{p.state.iso3}:{p.role}" for p in a.participants.all()),
            "start": a.start,
            "end": a.end,
            "place": a.place,
            "parent": ext.get(a.parent_id) if a.parent_id else "",
            "weight": a.weight,
            "status": a.status,
        }
        for a in activities
    )
    return _write(ACTIVITY_COLUMNS, rows)


def _commitment_ids(org: Organization) -> dict[str, int]:
    ids = {}
    for pk, external_id in Commitment.objects.filter(organization=org).values_list(
        "id", "external_id"
    ):
        ids[f"commitment-{pk}"] = pk
        if external_id:
            ids[external_id] = pk
    return ids


@transaction.atomic
def activities_import(*, actor: Actor, org: Organization, text: str) -> Imported:
    access.require_implementation_manager(actor, org)
    rows = read_rows(text, ACTIVITY_COLUMNS, required=("external_id", "kind"))
    commitment_ids = _commitment_ids(org)
    activity_ids: dict[str, int] = {}
    for pk, external_id in Activity.objects.filter(organization=org).values_list(
        "id", "external_id"
    ):
        activity_ids[f"activity-{pk}"] = pk
        if external_id:
            activity_ids[external_id] = pk
    # Parents before children: a row whose parent is another row of the file waits for it.
    in_file = {r["external_id"] for r in rows}
    ordered: list[dict[str, str]] = []
    placed: set[str] = set()
    pending = list(rows)
    while pending:
        ready = [
            r
            for r in pending
            if not r.get("parent") or r["parent"] not in in_file or r["parent"] in placed
        ]
        if not ready:
            ordered.extend(pending)  # a loop of parents: each row then fails on its parent
            break
        ordered.extend(ready)
        placed |= {r["external_id"] for r in ready}
        pending = [r for r in pending if r["external_id"] not in placed]

    def apply(n: int, row: dict[str, str]) -> bool:
        if not row["external_id"]:
            raise _ColumnError("external_id", _("every row needs an external id"))
        linked = []
        for ref in _split(row.get("commitments", "")):
            if ref not in commitment_ids:
                raise _ColumnError("commitments", _("no commitment %(ref)s") % {"ref": ref})
            linked.append(commitment_ids[ref])
        states = []
        for item in _split(row.get("states", "")):
            code, _sep, role = item.partition(":")
            states.append((code.upper(), role or "participant"))
        parent = None
        if row.get("parent"):
            if row["parent"] not in activity_ids:
                raise _ColumnError("parent", _("no activity %(ref)s") % {"ref": row["parent"]})
            parent = activity_ids[row["parent"]]
        try:
            weight = float(row.get("weight") or 1)
        except ValueError:
            raise _ColumnError("weight", _("not a number")) from None
        fields: dict[str, Any] = {
            "kind": row["kind"],
            "titles": {lang: row[f"title_{lang}"] for lang in LANGS if row.get(f"title_{lang}")},
            "states": states,
            "commitments": linked,
            "start": _parse_date(row, "start"),
            "end": _parse_date(row, "end"),
            "place": row.get("place", ""),
            "parent": parent,
            "weight": weight,
            "status": row.get("status") or "planned",
        }
        found = activity_ids.get(row["external_id"])
        if found is not None:
            services.activity_update(actor=actor, activity_id=found, **fields)
            return False
        made = services.activity_create(
            actor=actor, org_slug=org.slug, external_id=row["external_id"], **fields
        )
        activity_ids[row["external_id"]] = made.pk
        return True

    return _run_rows(ordered, apply)


def reports_export(org: Organization) -> str:
    commitments = {
        pk: ext for ext, pk in _commitment_ids(org).items() if not ext.startswith("commitment-")
    }
    activities = dict(
        Activity.objects.filter(organization=org)
        .exclude(external_id="")
        .values_list("id", "external_id")
    )
    rows = (
        {
            "external_id": r.external_id or f"report-{r.pk}",
            "commitment": commitments.get(r.commitment_id, f"commitment-{r.commitment_id}")
            if r.commitment_id
            else "",
            "activity": activities.get(r.activity_id, f"activity-{r.activity_id}")
            if r.activity_id
            else "",
            "state": r.state.iso3 if r.state else "",
            "status": r.status,
            "progress": r.progress,
            "narrative": r.narrative,
            "evidence": " ".join(r.evidence),
        }
        for r in Report.objects.filter(organization=org)
        .select_related("state")
        .order_by("at", "id")
    )
    return _write(REPORT_COLUMNS, rows)


@transaction.atomic
def reports_import(*, actor: Actor, org: Organization, text: str) -> Imported:
    """Reports are history: a row whose external id exists already is left as it is when
    it says the same, and refused when it says something else (file a new report)."""
    rows = read_rows(text, REPORT_COLUMNS, required=("external_id", "status"))
    commitment_ids = _commitment_ids(org)
    activity_ids: dict[str, int] = {}
    for pk, external_id in Activity.objects.filter(organization=org).values_list(
        "id", "external_id"
    ):
        activity_ids[f"activity-{pk}"] = pk
        if external_id:
            activity_ids[external_id] = pk
    existing = {
        r.external_id: r
        for r in Report.objects.filter(organization=org)
        .exclude(external_id="")
        .select_related("state")
    }

    def apply(n: int, row: dict[str, str]) -> bool:
        if not row["external_id"]:
            raise _ColumnError("external_id", _("every row needs an external id"))
        try:
            progress = float(row["progress"]) if row.get("progress") else None
        except ValueError:
            raise _ColumnError("progress", _("not a number")) from None
        evidence = _split(row.get("evidence", ""))
        found = existing.get(row["external_id"])
        if found is not None:
            same = (
                found.status == row["status"]
                and found.narrative == row.get("narrative", "")
                and found.progress == progress
                and found.evidence == evidence
                and (found.state.iso3 if found.state else "") == row.get("state", "").upper()
            )
            if not same:
                raise _ColumnError(
                    "external_id", _("this report exists and differs; file a new report")
                )
            return False
        commitment = activity = None
        if row.get("commitment"):
            if row["commitment"] not in commitment_ids:
                raise _ColumnError(
                    "commitment", _("no commitment %(ref)s") % {"ref": row["commitment"]}
                )
            commitment = commitment_ids[row["commitment"]]
        if row.get("activity"):
            if row["activity"] not in activity_ids:
                raise _ColumnError("activity", _("no activity %(ref)s") % {"ref": row["activity"]})
            activity = activity_ids[row["activity"]]
        made = services.report_create(
            actor=actor,
            commitment_id=commitment,
            activity_id=activity,
            state=row.get("state") or None,
            status=row["status"],
            narrative=row.get("narrative", ""),
            evidence=evidence,
            progress=progress,
            external_id=row["external_id"],
        )
        existing[made.external_id] = made
        return True

    return _run_rows(rows, apply)
