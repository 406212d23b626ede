"""The one view: the same writes as Concord's vote endpoint, in one transaction."""

from __future__ import annotations

import json

from django.core import signing
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Concord's participant-token salt (concord/consultation/tokens.py), so both targets accept
# the very same request; copied, not imported, to keep this project free of Concord code.
SALT = "concord.consultation.participant"

_PARTICIPANT = (
    "SELECT p.consultation_id FROM consultation_participant p "
    "JOIN consultation_consultation c ON c.id = p.consultation_id "
    "WHERE p.id = %s AND c.slug = %s"
)
_UPSERT = (
    "INSERT INTO consultation_vote "
    "(consultation_id, participant_id, statement_id, value, revision, updated_at) "
    "VALUES (%s, %s, %s, %s, 1, %s) "
    "ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, "
    "revision = consultation_vote.revision + 1, updated_at = excluded.updated_at "
    "RETURNING revision"
)
_EVENT = (
    "INSERT INTO consultation_voteevent (consultation_id, participant_id, statement_id, value, at)"
    " VALUES (%s, %s, %s, %s, %s)"
)


def _json(status: int, body: dict[str, object]) -> HttpResponse:
    content = json.dumps(body).encode()
    response = HttpResponse(content, status=status, content_type="application/json")
    response["Content-Length"] = str(len(content))
    return response


def vote(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return _json(405, {"detail": "POST only"})
    header = request.headers.get("Authorization", "")
    try:
        participant_id, consultation_id = signing.loads(header[7:], salt=SALT)
        data = json.loads(request.body)
        statement_id, value = int(data["statement"]), int(data["vote"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return _json(400, {"detail": "bad request"})
    if value not in (-1, 0, 1):
        return _json(422, {"detail": "vote is -1, 0 or 1"})
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PARTICIPANT, [participant_id, slug])
        row = cursor.fetchone()
        if row is None or row[0] != consultation_id:
            return _json(404, {"detail": "no such participant"})
        params = [consultation_id, participant_id, statement_id, value, now]
        cursor.execute(_UPSERT, params)
        revision = cursor.fetchone()[0]
        cursor.execute(_EVENT, params)
    new = revision == 1
    return _json(
        201 if new else 200, {"statement": statement_id, "vote": value, "replaced": not new}
    )
