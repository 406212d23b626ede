"""The authorization matrix (issue 10): every page and API operation x every role ->
the status the rules say, checked against the running URL configuration.

How it works
- ``test_every_url_has_a_row`` walks Django's URL resolver (and, under ``/api/v1/``, the
  ninja API's operations with their methods). A page URL needs a GET and a POST row; an API
  operation a row for each of its methods; the admin's generated URLs are covered by the
  glob rows at the end of the table. A URL without a row fails with the line to add; a row
  without a URL fails too (renamed or removed).
- ``test_matrix`` sends each row's request once per role (the columns of ``ROLES`` in
  ``world.py``) and compares the status. Each request runs in a savepoint that is rolled
  back, so a case that succeeds (201, 200 on a write) leaves the shared world as it was.

Adding a new page or endpoint: add ONE line to ``ROWS`` in ``tests/authz/matrix.py``, e.g.
    R("GET", "desk:document-new", "L L 200 200 200 200 403 403 403 403 200"),
    R("POST", "/documents/{document_id}/actions/archive", "401 401 403 ...", body={...}),
with the route as the URL name (pages) or the ninja path (API), the expected status for
each of the 11 roles in ``ROLES`` order, and, if needed, ``kw=`` path parameters or
``body=`` (values "@key" name objects of the world; "@actor" is the acting role's state).
The table's header comment explains the status tokens.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.matrix import ROWS, Row
from tests.authz.world import ROLES, World, build

API_PREFIX = "api/v1/"
API_EXTRA = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}


# --- what the URL configuration serves ---------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", ns: str | None = None) -> Iterator[Any]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else p.name
            yield prefix + str(p.pattern), name, p


def _plain(path: str) -> str:
    """A route with its parameters as bare ``{name}``, for Django and ninja alike."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", path)


def served() -> list[tuple[str, str]]:
    """(method, route) for everything the site answers: API operations by their ninja path,
    pages (and the API's own docs views) by URL name, with GET and POST each."""
    from config.api import api

    operations: dict[str, list[tuple[str, str]]] = {}
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                for method in op.methods:
                    operations.setdefault(_plain(path), []).append((method, path))
    found: set[tuple[str, str]] = set()
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and name not in API_EXTRA:
            plain = "/" + _plain(route[len(API_PREFIX) :])
            assert plain in operations, f"{route} is served by no ninja operation"
            found.update(operations[plain])
        else:
            found.update({("GET", name or route), ("POST", name or route)})
    return sorted(found)


def _matches(row: Row, method: str, route: str) -> bool:
    if row.method != method:
        return False
    if row.route.startswith("/"):
        return _plain(row.route) == _plain(route)
    return fnmatch.fnmatchcase(route, row.route)


def test_every_url_has_a_row() -> None:
    everything = served()
    missing = [
        f'R("{m}", "{r}", "<11 statuses>"),'
        for m, r in everything
        if not any(_matches(row, m, r) for row in ROWS)
    ]
    assert not missing, (
        "These URLs have no row in tests/authz/matrix.py; add one line each (expected "
        "status per role, in ROLES order):\n  " + "\n  ".join(missing)
    )
    stale = [
        f"{row.method} {row.route}"
        for row in ROWS
        if not any(_matches(row, m, r) for m, r in everything)
    ]
    assert not stale, "Rows for URLs the site no longer serves: " + ", ".join(stale)


# --- the world and the requests ------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction rolled back at its end; each test's
    own transaction (pytest-django's ``db``) is a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _fill(value: Any, world: World, role: str) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        key = value[1:]
        if key == "actor":
            return world.state_of(role)
        return world.ids[key]
    if isinstance(value, dict):
        return {k: _fill(v, world, role) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world, role) for v in value]
    return value


def _targets(row: Row) -> list[tuple[str | None, str, Any]]:
    """The pages a row covers (several for the admin's glob rows): name, route, pattern."""
    targets = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and name not in API_EXTRA:
            continue
        if fnmatch.fnmatchcase(name or route, row.route):
            targets.append((name, route, pattern))
    return targets


def _url(row: Row, world: World, role: str) -> list[str]:
    from django.urls import reverse

    if row.route.startswith("/"):
        params = dict(row.defaults())
        path = row.route
        for name in re.findall(r"\{(?:\w+:)?(\w+)\}", path):
            value = _fill(row.kw.get(name, params.get(name)), world, role)
            path = re.sub(r"\{(?:\w+:)?" + name + r"\}", str(value), path)
        return ["/api/v1" + path + row.query]
    urls = []
    for name, route, pattern in _targets(row):
        kwargs: dict[str, Any] = {}
        for param in pattern.pattern.regex.groupindex:
            if param in row.kw:
                kwargs[param] = _fill(row.kw[param], world, role)
            elif param == "object_id":
                model = pattern.callback.model_admin.model
                first = model._default_manager.order_by("pk").first()
                kwargs[param] = str(first.pk if first else 0)
            elif param == "app_label":
                kwargs[param] = "negotiation"
            else:
                kwargs[param] = _fill(row.kw.get(param, row.defaults().get(param)), world, role)
        if name:
            urls.append(reverse(name, kwargs=kwargs) + row.query)
        else:  # an unnamed route (the admin's old-style object URLs)
            values = dict(kwargs)
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, v=values: str(v[m[1]]), route)
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m, v=values: str(v[m[1]]), path)
            urls.append("/" + path.rstrip("$"))
    return urls


def _client(
    world: World, role: str, api: bool, handler: ClientHandler
) -> tuple[Client, dict[str, str]]:
    """A fresh client (no cookie but the role's) on the row's ``handler``: a new ``Client``
    loads the whole middleware chain again on its first request, WhiteNoise listing every
    static file, which was most of the matrix's time; one handler serves every request, as
    one handler serves them all in a server process."""
    client = Client()
    client.handler = handler
    headers: dict[str, str] = {}
    if role == "participant":
        token = world.ids["participant_token"]
        if api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        else:
            from concord.consultation.tokens import cookie_name

            client.cookies[cookie_name(world.ids["slug"])] = token
    elif role != "anon":
        if api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client, headers


def _status(response: Any) -> str:
    """The status token: the code, ``L`` for a redirect to sign in, and for a page form's
    redirect ``302+`` (a success message queued) or ``302!`` (an error message: refused)."""
    code = response.status_code
    if code == 302 and "/login/" in response.get("Location", ""):
        return "L"
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if code == 302 and queued:
        return "302!" if any(m.level >= messages.ERROR for m in queued) else "302+"
    return str(code)


def _send(world: World, row: Row, role: str, url: str, handler: ClientHandler) -> str:
    api = row.route.startswith("/")
    client, headers = _client(world, role, api, handler)
    body = _fill(row.body, world, role)
    call = getattr(client, row.method.lower())
    if api:
        if body is None and row.method in ("POST", "PUT"):
            body = {}
        kwargs = (
            {"data": json.dumps(body), "content_type": "application/json"}
            if body is not None
            else {}
        )
        if row.method in ("POST", "PUT") and isinstance(row.body, str):
            kwargs = {"data": row.body, "content_type": "text/csv"}
        return _status(call(url, **kwargs, **headers))
    return _status(call(url, data=body or {}, **headers))


DUMP = os.environ.get("CONCORD_AUTHZ_DUMP", "")


@pytest.mark.authz
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_matrix(row: Row, world: World, db: Any, request: pytest.FixtureRequest) -> None:
    wrong = []
    checked = 0
    handler = ClientHandler(enforce_csrf_checks=False)  # as Client() makes it
    for role, expected in zip(ROLES, row.expect.split(), strict=True):
        if expected == "-":
            continue
        for url in _url(row, world, role):
            with transaction.atomic():
                got = _send(world, row, role, url, handler)
                transaction.set_rollback(True)
            checked += 1
            if got != expected:
                wrong.append(f"{role}: {got} (expected {expected}) {row.method} {url}")
    request.node.user_properties.append(("authz_cases", checked))
    if DUMP:
        observed = {w.split(":")[0]: w.split()[1] for w in wrong}
        line = " ".join(
            observed.get(role, e) for role, e in zip(ROLES, row.expect.split(), strict=True)
        )
        with open(DUMP, "a") as out:
            out.write(f"{row.id}\t{line}\n")
        return
    assert not wrong, f"{row.id}\n  " + "\n  ".join(wrong)
