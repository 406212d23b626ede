"""A participant's own data: what Concord holds about them, revoking their tokens, and
deleting it (issue 13).

- A signed-in user's participant is found by ``user_pseudonym`` (a keyed digest of the
  account and the consultation), so no table links an account id to its votes.
- Revoking: tokens issued up to now answer 401; the data stays.
- Deleting: the current votes are added to the statements' anonymous counts
  (``RetiredVotes``) and removed with their history; statements stay, without their
  author; the participant row goes. The audit event records the counts, not the votes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.services import event_append
from concord.common.privacy import pseudonym
from concord.consultation.models import (
    Consultation,
    Participant,
    RetiredVotes,
    Statement,
    Vote,
    VoteEvent,
)


def user_pseudonym(user: User, consultation: Consultation) -> str:
    """The key of a signed-in user's participant in one consultation: stable for the
    deployment (it depends on the secret key), useless without it."""
    return pseudonym(f"{user.pk}:{consultation.pk}", purpose="participant")


def participant_data(participant: Participant) -> dict[str, Any]:
    """Everything kept about the participant: when they joined, their statements, their
    current votes (with when each was last cast). Three queries whatever the size."""
    statements = list(
        Statement.objects.filter(author=participant)
        .order_by("id")
        .values("id", "text", "lang", "moderation", "created_at")
    )
    votes = list(
        Vote.objects.filter(participant=participant)
        .order_by("statement_id")
        .values("statement_id", "value", "updated_at")
    )
    return {
        "consultation": participant.consultation.slug,
        "joined_at": participant.created_at,
        "signed_in": participant.user_pseudonym is not None,
        "statements": statements,
        "votes": [
            {"statement": v["statement_id"], "vote": v["value"], "at": v["updated_at"]}
            for v in votes
        ],
    }


@transaction.atomic
def participant_tokens_revoke(*, participant: Participant) -> Participant:
    """Every token of the participant issued until now answers 401 from now on."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    locked.tokens_revoked_at = timezone.now()
    locked.save(update_fields=["tokens_revoked_at"])
    event_append(
        actor=None,
        act="participant.tokens_revoke",
        obj=locked,
        payload={"consultation": participant.consultation.slug},
    )
    return locked


@transaction.atomic
def participant_erase(*, participant: Participant) -> dict[str, int]:
    """Delete the participant's data: votes become anonymous counts, statements lose
    their author. Returns what was done (counts only)."""
    locked = (
        Participant.objects.select_for_update()
        .select_related("consultation")
        .get(pk=participant.pk)
    )
    tallies: dict[int, Counter[int]] = {}
    for statement_id, value in Vote.objects.filter(participant=locked).values_list(
        "statement_id", "value"
    ):
        tallies.setdefault(statement_id, Counter())[value] += 1
    for statement_id, tally in tallies.items():
        RetiredVotes.objects.get_or_create(statement_id=statement_id)
        RetiredVotes.objects.filter(statement_id=statement_id).update(
            agree=F("agree") + tally[1],
            disagree=F("disagree") + tally[-1],
            passes=F("passes") + tally[0],
        )
    statements = Statement.objects.filter(author=locked).update(author=None)
    VoteEvent.objects.filter(participant=locked).delete()
    votes = Vote.objects.filter(participant=locked).delete()[0]
    done = {"statements": statements, "votes": votes}
    event_append(
        actor=None,
        act="participant.erase",
        obj=locked,
        payload={"consultation": locked.consultation.slug, **done},
    )
    locked.delete()
    return done
