"""Sign-in lock-out (django-axes): the 11th wrong password locks the account and the
address, on /login/ and /admin/login/ alike, and the lock-out is audited (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client

from concord.accounts.models import Role
from concord.accounts.services import user_upsert
from concord.audit.models import Event

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-right-password"


@pytest.fixture
def users(sco):  # type: ignore[no-untyped-def]
    return {
        name: user_upsert(username=name, role=Role.PARTICIPANT, organization=sco, password=PASSWORD)
        for name in ("alice", "bob")
    }


def _try(client: Client, path: str, username: str, password: str, address: str) -> int:
    response = client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_the_eleventh_wrong_password_locks_account_and_address(users, path) -> None:
    client = Client()
    for _ in range(10):
        assert _try(client, path, "alice", "wrong", "192.0.2.1") == 200
    response = client.post(
        path, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # The account is locked, whatever the address and even with the right password...
    assert _try(Client(), path, "alice", PASSWORD, "198.51.100.7") == 429
    # ...and the address is locked, whatever the account.
    assert _try(Client(), path, "bob", PASSWORD, "192.0.2.1") == 429
    # Another account from another address is untouched.
    assert _try(Client(), path, "bob", PASSWORD, "198.51.100.8") in (200, 302)
    events = list(Event.objects.filter(act="signin.locked_out").order_by("seq"))
    assert events[0].payload["username"] == "alice"
    assert all("192.0.2.1" not in str(e.payload) for e in events)  # a keyed digest


def test_ten_wrong_passwords_then_the_right_one_signs_in(users) -> None:
    client = Client()
    for _ in range(10):
        assert _try(client, "/login/", "alice", "wrong", "192.0.2.2") == 200
    assert _try(client, "/login/", "alice", PASSWORD, "192.0.2.2") == 302
    assert not Event.objects.filter(act="signin.locked_out").exists()


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(users, settings) -> None:
    from django.test import RequestFactory

    from concord.common.api import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.5"
    settings.CONCORD_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request) == "203.0.113.9"
    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(spoofed) == "203.0.113.9"  # the nearest hop the proxy saw


def test_sessions_end_on_password_change(users) -> None:
    client = Client()
    assert _try(client, "/login/", "alice", PASSWORD, "192.0.2.3") == 302
    assert client.session.get("_auth_user_id")
    alice = users["alice"]
    alice.set_password("another-long-password")
    alice.save()
    response = client.get("/")
    assert not response.wsgi_request.user.is_authenticated
