"""API shapes for consultations.

``json_schema_extra`` only tells clients what the services accept (a slug's pattern, the
moderation modes, the vote values); the services check it, with a translated message.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import get_language
from ninja import Schema
from pydantic import AfterValidator, Field, StrictStr

from concord.common.jsontypes import NonBlank, StrictInt, TextMapRules
from concord.consultation.models import STATEMENT_MAX_CHARS
from concord.consultation.services import DESCRIPTION_MAX, TITLE_MAX

#: A consultation's title or description per language: any language code (a consultation is
#: in the languages its organizer chooses), each text non-blank.
TitleMap = Annotated[dict[StrictStr, StrictStr], TextMapRules(max_length=TITLE_MAX, languages=None)]
DescriptionMap = Annotated[
    dict[StrictStr, StrictStr],
    TextMapRules(max_length=DESCRIPTION_MAX, languages=None, required=False),
]


class ConsultationIn(Schema):
    slug: StrictStr = Field(
        min_length=1, max_length=100, json_schema_extra={"pattern": "^[-a-zA-Z0-9_]+$"}
    )
    title: TitleMap | Annotated[StrictStr, NonBlank(TITLE_MAX)]
    description: DescriptionMap | Annotated[StrictStr, Field(max_length=DESCRIPTION_MAX)] | None = (
        None
    )
    languages: list[Annotated[StrictStr, Field(min_length=2, max_length=10)]] = Field(
        default_factory=lambda: ["en"], min_length=1
    )
    moderation_mode: StrictStr = Field("post", json_schema_extra={"enum": ["pre", "post"]})
    initiative: StrictStr = ""


class ConsultationOut(Schema):
    slug: str
    organization: str
    title: dict[str, str]
    description: dict[str, str]
    languages: list[str]
    is_open: bool
    moderation_mode: str
    initiative: str
    source: dict[str, Any]
    created_at: datetime
    closed_at: datetime | None
    #: The negotiation document the consultation is about (its id), if any.
    document: int | None = None


class ParticipantOut(Schema):
    participant_token: str


class MyStatementOut(Schema):
    id: int
    text: str
    lang: str
    moderation: str
    created_at: datetime


class MyVoteOut(Schema):
    statement: int
    vote: int
    at: datetime


class ParticipantDataOut(Schema):
    """What Concord keeps about one participant of one consultation."""

    consultation: str
    joined_at: datetime
    signed_in: bool
    statements: list[MyStatementOut]
    votes: list[MyVoteOut]


class StatementIn(Schema):
    text: Annotated[StrictStr, NonBlank(STATEMENT_MAX_CHARS)]
    lang: StrictStr = Field("en", min_length=2, max_length=10)


class StatementOut(Schema):
    """``text`` and ``lang`` are the original; ``display_text`` is the statement in the
    reader's language (Accept-Language) when a translation exists, else the original, and
    ``display_lang`` the language it is in."""

    id: int
    text: str
    lang: str
    display_text: str = ""
    display_lang: str = ""
    moderation: str
    is_seed: bool
    created_at: datetime

    @staticmethod
    def resolve_display_text(obj: Any) -> str:
        return str(_shown(obj)[0])

    @staticmethod
    def resolve_display_lang(obj: Any) -> str:
        return str(_shown(obj)[1])


def _shown(obj: Any) -> tuple[str, str]:
    if isinstance(obj, dict):
        return obj.get("display_text") or obj["text"], obj.get("display_lang") or obj["lang"]
    return tuple(obj.text_in(get_language()))


#: A translation's language, as ``services._lang_code`` takes it: a primary tag of 2 or 3
#: letters and an optional subtag after ``-`` or ``_``, at most 10 characters (the column).
TRANSLATION_LANG_PATTERN = "^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$"


def _translation_lang(value: str) -> str:
    from django.utils.translation import gettext as _

    if len(value) > 10 or not re.fullmatch(TRANSLATION_LANG_PATTERN, value):
        raise ValueError(_("%(value)s is not a language code.") % {"value": value[:20]})
    return value


class TranslationIn(Schema):
    # The pattern rather than the storable-text one with lengths: a schema generator then
    # builds a language code at once instead of filtering free strings by length.
    lang: Annotated[StrictStr, AfterValidator(_translation_lang)] = Field(
        max_length=10, json_schema_extra={"pattern": TRANSLATION_LANG_PATTERN}
    )
    # Non-blank and at most a statement's length once spaces are collapsed, as the service
    # requires (collapsing only shortens a text).
    text: Annotated[StrictStr, NonBlank(STATEMENT_MAX_CHARS)]


class TranslationOut(Schema):
    statement: int
    lang: str
    text: str
    updated_at: datetime


class TranslationList(Schema):
    """A statement's original text and language, and its translations."""

    statement: int
    lang: str
    text: str
    translations: list[TranslationOut]


class DocumentLinkIn(Schema):
    document: StrictInt


class StatementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StatementOut]


class ModerationIn(Schema):
    reason: StrictStr = ""


class VoteIn(Schema):
    statement: StrictInt
    vote: StrictInt = Field(
        json_schema_extra={"enum": [1, -1, 0], "description": "agree 1, disagree -1, pass 0"}
    )


class VoteOut(Schema):
    statement: int
    vote: int
    replaced: bool


class CitationIn(Schema):
    document: StrictInt
    provision: StrictStr = Field(min_length=1, max_length=100)


class CitationOut(Schema):
    id: int
    statement: int
    document: int
    provision: str


class OpinionMapOut(Schema):
    """The latest opinion map: the fields of ``concord polis map --json`` (groups,
    representative statements, coordinates; documented in docs/opinion-map.md) plus
    ``computed_at``."""

    participants: int
    clustered: Any
    statements: int
    votes: int
    seconds: float
    groups: list[dict[str, Any]]
    consensus: list[Any]
    divisive: list[Any]
    computed_at: datetime
    #: The dots drawn on the map page, ``[x, y, group]`` each, without whose they are.
    positions: list[list[Any]] = []
    #: Whether ``groups[].participants`` lists participant ids (the consultation's choice).
    participant_ids_published: bool = False
