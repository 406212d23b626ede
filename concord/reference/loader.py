"""Load a reference dataset (``data/<name>.yaml``) into the organization model.

Loading is idempotent: every row is matched on its natural key and only written when a
field differs, so a second run changes nothing (``load_reference`` returns what it wrote).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from typing import Any

import yaml
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from concord.audit.services import event_append
from concord.common.errors import InvalidInput
from concord.organization import selectors as organization_selectors
from concord.organization.evidence import meetings_of, memberships_of
from concord.organization.models import (
    Body,
    Chairmanship,
    Meeting,
    Membership,
    Organization,
    Post,
    PostHolding,
    State,
)

SOURCED = ("verification", "sources", "note")


def available() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml")
        for p in resources.files("concord.reference").joinpath("data").iterdir()
        if p.name.endswith(".yaml")
    )


def read(name: str) -> dict[str, Any]:
    if name not in available():
        raise InvalidInput(
            _("No reference dataset %(value)s; available: %(choices)s."),
            field="dataset",
            value=name,
            choices=", ".join(available()),
        )
    text = resources.files("concord.reference").joinpath("data", f"{name}.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _upsert(
    counter: Counter[str], model: type[models.Model], keys: dict[str, Any], values: dict[str, Any]
) -> Any:
    obj = model._default_manager.filter(**keys).first()
    if obj is None:
        obj = model(**keys, **values)
        obj.full_clean()
        obj.save()
        counter[f"{model.__name__} created"] += 1
        return obj
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.full_clean()
        obj.save(update_fields=changed)
        counter[f"{model.__name__} updated"] += 1
    return obj


def _sourced(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "verification": entry.get("verification") or "unverified",
        "sources": list(entry.get("sources") or []),
        "note": str(entry.get("note") or ""),
    }


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@transaction.atomic
def load_reference(name: str) -> dict[str, int]:
    """Load dataset ``name``; returns counts of rows created and updated (empty: no change)."""
    data = read(name)
    done: Counter[str] = Counter()
    o = data["organization"]
    org = _upsert(
        done,
        Organization,
        {"slug": o["slug"]},
        {
            "name": o["name"],
            "abbreviation": o["abbreviation"],
            "names": o["names"],
            "official_languages": o["official_languages"],
            "founded": _day(o.get("founded")),
            "founded_in": o.get("founded_in", ""),
            "headquarters": o.get("headquarters", ""),
            "decision_rule": o.get("decision_rule", ""),
            **_sourced(o),
        },
    )
    states = {
        s["iso3"]: _upsert(
            done,
            State,
            {"iso3": s["iso3"]},
            {
                "names": s["names"],
                "names_source": s.get("names_source", ""),
                "names_sources": s.get("names_sources") or {},
            },
        )
        for s in data["states"]
    }
    for m in data["memberships"]:
        _upsert(
            done,
            Membership,
            {"organization": org, "state": states[m["state"]], "start": _day(m["start"])},
            {"status": m["status"], "end": _day(m.get("end")), **_sourced(m)},
        )
    # The spans just written must form a consistent timeline (no overlapping statuses).
    organization_selectors.timeline(org)
    bodies = {
        b["slug"]: _upsert(
            done,
            Body,
            {"organization": org, "slug": b["slug"]},
            {
                "name": b["name"],
                "names": b.get("names") or {"en": b["name"]},
                "names_sources": b.get("names_sources") or {},
                "abbreviations": b.get("abbreviations") or [],
                "role": b.get("role", ""),
                "permanent": bool(b.get("permanent")),
                "seat": b.get("seat", ""),
                **_sourced(b),
            },
        )
        for b in data["bodies"]
    }
    for c in data["chairmanships"]:
        _upsert(
            done,
            Chairmanship,
            {"organization": org, "term": c["term"]},
            {
                "state": states[c["state"]],
                "start": _day(c["start"]),
                "end": _day(c.get("end")),
                "basis": c.get("basis", ""),
                "motto": c.get("motto", ""),
                "priorities": c.get("priorities") or [],
                **_sourced(c),
            },
        )
    for m in data["meetings"]:
        body = bodies[m["body"]]
        _upsert(
            done,
            Meeting,
            {"organization": org, "body": body, "start": _day(m["start"])},
            {
                "number": m.get("number"),
                "title": m.get("title") or _summit_title(m, body),
                "end": _day(m.get("end")) or _day(m["start"]),
                "city": m.get("city", ""),
                "city_names": m.get("city_names") or {},
                "city_names_sources": m.get("city_names_sources") or {},
                "host": states.get(m.get("host", "")),
                "main_document": m.get("main_document", ""),
                "documents": m.get("documents") or [],
                "documents_count": m.get("documents_count", ""),
                **_sourced(m),
            },
        )
    for p in data["posts"]:
        post = _upsert(done, Post, {"organization": org, "slug": p["slug"]}, {"title": p["title"]})
        for h in p["holders"]:
            _upsert(
                done,
                PostHolding,
                {"post": post, "name": h["name"], "start": _day(h["start"])},
                {
                    "state": states.get(h.get("state", "")),
                    "end": _day(h.get("end")),
                    "title_at_time": h.get("title_at_time", ""),
                    **_sourced(h),
                },
            )
    if done:
        # The membership timeline decides who may block, a meeting's date is a decision's
        # date: the log records both as loaded, and ``audit verify`` compares the rows.
        event_append(
            actor=None,
            act="reference.load",
            obj=("organization.organization", org.slug),
            payload={
                "dataset": name,
                "changes": dict(sorted(done.items())),
                "memberships": memberships_of(org),
                "meetings": meetings_of(org),
            },
        )
    return dict(done)


def _summit_title(meeting: dict[str, Any], body: Body) -> str:
    number = meeting.get("number")
    ordinal = f"{number}th " if number else ""
    if number and number % 100 not in (11, 12, 13):
        ordinal = f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') } "
    return f"{ordinal}{body.name}, {meeting.get('city', '')}".strip().rstrip(",")
