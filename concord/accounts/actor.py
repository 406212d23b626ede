"""Who does an act: the one type every service, selector and access check takes as ``actor``.

- a signed-in ``User`` (a page's ``request.user`` after sign-in, or an API token's user);
- an ``AnonymousUser`` (a page's ``request.user`` before sign-in);
- ``None``: nobody signed in where there is no request (an API handler's anonymous caller
  as ``_user(request)`` gives it), or the system itself in imports, the demo loaders and
  the command line, where the services that allow it say so.

Only ``access.is_authenticated`` (a ``TypeGuard``) and ``access.require_authenticated``
(which returns the ``User``) turn an ``Actor`` into a ``User``: code that needs the user's
role, organization or state asks one of them first instead of casting.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from concord.accounts.models import User

Actor: TypeAlias = User | AnonymousUser | None
