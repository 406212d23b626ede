"""Reads of a few public views from a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``).

Every query goes to ``default`` (the primary) unless all of these hold:

- the view is marked ``@replica_reads``: a public page or API read whose data may be a
  second old (the opinion map, public listings, adopted texts, organization pages);
- the request is a safe method (GET, HEAD) of a visitor who is not signed in: signed-in
  people (the secretariat, delegates) are few, and they are the ones who read right after
  their own writes (adopting a document, then its adopted page);
- a ``replica`` database is configured (settings add it only when DATABASE_REPLICA_URL
  is set);
- nothing has been written in this request yet, and no transaction of our own is open on
  the primary: a request reads its own writes, and a read-modify-write reads the primary;
- the model is not security state: sessions, users and tokens, sign-in lock-outs, second
  factors, participants (their tokens' revocation) and rate counters are always read from
  the primary, so a sign-out, a revocation or a lock-out holds at once.

Writes always go to ``default``; migrations run only there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest

REPLICA = "replica"

#: App labels whose rows decide who someone is or what they may do right now.
FRESH_APPS = frozenset(
    {"sessions", "auth", "accounts", "axes", "otp_totp", "otp_static", "contenttypes"}
)
#: Single models of the same kind in feature apps.
FRESH_MODELS = frozenset({"consultation.participant", "consultation.ratecounter"})

SAFE_METHODS = frozenset({"GET", "HEAD"})

_replica_allowed: ContextVar[bool] = ContextVar("concord_replica_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _signed_in(request: HttpRequest) -> bool:
    for who in (getattr(request, "auth", None), getattr(request, "user", None)):
        if who is not None and getattr(who, "is_authenticated", False):
            return True
    return False


def replica_reads(
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Mark a view (a Django view or a django-ninja operation, below ``@router.get``) as
    tolerant of replica lag: its reads may go to the replica (see the module's rules)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        allowed = (
            replica_configured()
            and request.method in SAFE_METHODS
            # request.user is read here, from the primary, before any read is routed.
            and not _signed_in(request)
        )
        token = _replica_allowed.set(allowed)
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica_allowed.reset(token)

    # django-ninja reads the parameters' types from the signature; resolve the view's own
    # (string) annotations here, in the view's module, not in this one.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return wrapper


def _in_own_transaction() -> bool:
    """Whether code of ours holds a transaction open on the primary (a test's wrapping
    transaction does not count)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


class ReplicaRouter:
    """The one database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_allowed.get()
            and replica_configured()
            and model._meta.app_label not in FRESH_APPS
            and model._meta.label_lower not in FRESH_MODELS
            and not _in_own_transaction()
        ):
            return REPLICA
        # Explicitly the primary, also for rows read from the replica earlier in the request
        # (Django would otherwise follow a row's own database for its relations).
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # The rest of this request reads its own write.
        _replica_allowed.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS
