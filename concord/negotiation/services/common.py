"""What every negotiation service shares: locking, revisions, validation, audit.

Rules here apply to every write on a document:

- an adopted or withdrawn document never changes (``require_open``: 409);
- a write that names an ``expected_revision`` other than the document's is stale (409);
  every write bumps the revision (``bump``);
- a write names the latest version; a superseded one is a 409 (``latest_version``);
- state codes are known ISO 3166 alpha-3 codes, texts are in the document's languages and
  never blank (422);
- a refusal of the pure rules (``concord.consensus``) reaches the user translated, keyed on
  the rule's stable code (``from_rule``);
- every decision-relevant act appends an audit event inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.actor import Actor
from concord.audit.services import event_append
from concord.common.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from concord.consensus.errors import RuleError
from concord.negotiation.models import FINAL_STAGES, Document, Version
from concord.organization.models import State

#: Translated messages for the pure rules' refusals, keyed on their stable codes.
RULE_ERRORS: dict[str, tuple[type[DomainError], Any]] = {
    "silence_naive_datetime": (InvalidInput, _("The deadline must carry an explicit time zone.")),
    "silence_deadline_not_in_future": (InvalidInput, _("The deadline must be in the future.")),
    "silence_deadline_too_soon": (
        InvalidInput,
        _("A silence procedure of this body runs at least %(hours)s hours."),
    ),
    "silence_version_not_clean": (
        Conflict,
        _("A silence procedure can only be opened on a version without brackets."),
    ),
    "silence_breaker_not_member": (
        PermissionDenied,
        _("Only a member state may break silence; %(state)s is not a member on that date."),
    ),
    "silence_not_running": (Conflict, _("The silence procedure is no longer running.")),
    "silence_reason_required": (InvalidInput, _("Breaking silence requires a reason.")),
    "reservation_without_text": (InvalidInput, _("A reservation needs its text.")),
    "objection_without_provisions": (
        InvalidInput,
        _("An objection names the provisions it concerns."),
    ),
    "provisions_without_objection": (InvalidInput, _("Only an objection names provisions.")),
    "bracket_out_of_range": (
        InvalidInput,
        _("A bracket must be a non-empty span inside its provision's text."),
    ),
    "bracket_without_states": (InvalidInput, _("A bracket names the states holding it.")),
    "brackets_cross": (InvalidInput, _("Two brackets cross; they may only nest or be apart.")),
}


def from_rule(exc: RuleError, *, field: str | None = None) -> DomainError:
    error_class, message = RULE_ERRORS.get(exc.code, (InvalidInput, _("%(detail)s")))
    params = {k: v for k, v in exc.params.items() if isinstance(v, str | int) and k != "field"}
    return error_class(message, field=field, detail=exc.message, **params)


def time_now() -> datetime:
    return timezone.now()


def check_revision(document: Document, expected: int | None) -> None:
    if expected is not None and expected != document.revision:
        raise Conflict(
            _(
                "The document changed meanwhile (revision %(current)s, you sent %(sent)s); "
                "reload it and try again."
            ),
            field="revision",
            current=document.revision,
            sent=expected,
        )


def bump(document: Document, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(document, name, value)
    document.revision += 1
    document.save(update_fields=["revision", *fields])


def require_open(document: Document) -> None:
    if document.stage in FINAL_STAGES:
        raise Conflict(
            _("The document is %(stage)s; nothing about it changes any more."),
            stage=document.stage,
        )


def latest_version(document: Document, number: int) -> Version:
    """Version ``number`` of ``document``, which must be its latest (409 if superseded)."""
    versions = list(Version.objects.filter(document=document).order_by("-number")[:1])
    version = Version.objects.filter(document=document, number=number).first()
    if version is None:
        raise NotFound(_("No version %(number)s of this document."), field="version", number=number)
    if versions and versions[0].number != number:
        raise Conflict(
            _("Version %(number)s was superseded by version %(latest)s."),
            field="version",
            number=number,
            latest=versions[0].number,
        )
    version.document = document
    return version


def states_by_code(codes: Sequence[str], *, field: str) -> dict[str, State]:
    wanted = {c.upper() for c in codes}
    found = {s.iso3: s for s in State.objects.filter(iso3__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise NotFound(
            _("Unknown state code(s): %(codes)s."), field=field, codes=", ".join(missing)
        )
    return found


def non_blank(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("%(field)s must not be blank."), field=field)
    return value


def clean_texts(document: Document, texts: dict[str, str], *, field: str) -> dict[str, str]:
    if not texts:
        raise InvalidInput(_("Give the text in at least one language."), field=field)
    unknown = sorted(set(texts) - set(document.languages))
    if unknown:
        raise InvalidInput(
            _("The document is not in %(languages)s (its languages: %(allowed)s)."),
            field=field,
            languages=", ".join(unknown),
            allowed=", ".join(document.languages),
        )
    for lang, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(_("The %(lang)s text is blank."), field=field, lang=lang)
    return {lang: text.strip() for lang, text in texts.items()}


def audit(actor: Actor, act: str, obj: Any, payload: dict[str, Any]) -> str:
    return event_append(actor=actor, act=act, obj=obj, payload=payload).hash
