"""`concord user create ... --token` and what the API makes of the token."""

from __future__ import annotations

import pytest

from concord.accounts.models import ApiToken, User
from concord.cli import main

pytestmark = pytest.mark.django_db


def create(capsys, *args: str) -> list[str]:
    assert main(["user", "create", *args]) == 0
    return capsys.readouterr().out.strip().splitlines()


def test_token_is_printed_on_the_last_line_and_a_rerun_prints_a_fresh_one(capsys, sco, client):
    first = create(capsys, "kaz1", "--role", "head", "--state", "KAZ", "--org", "sco", "--token")[
        -1
    ]
    second = create(capsys, "kaz1", "--role", "head", "--state", "kaz", "--org", "sco", "--token")[
        -1
    ]
    assert first != second and first.startswith("cc_") and second.startswith("cc_")
    user = User.objects.get(username="kaz1")
    assert (user.role, user.state.iso3, user.organization.slug) == ("head", "KAZ", "sco")
    # Only digests are stored, and the older token is revoked.
    assert not ApiToken.objects.filter(digest=first).exists()
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1

    def whoami(token: str):
        return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    me = whoami(second)
    assert me.status_code == 200
    assert me.json() | {"on": None} == {
        "username": "kaz1",
        "role": "head",
        "organization": "sco",
        "state": "KAZ",
        "state_status": "member",
        "can_block": True,
        "on": None,
    }
    assert whoami(first).status_code == 401  # revoked
    assert whoami("cc_not-a-token").status_code == 401
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").json()["code"] == "not_authenticated"


def test_an_observers_head_is_told_it_cannot_block(capsys, sco, client):
    token = create(capsys, "mng", "--role", "head", "--state", "MNG", "--org", "sco", "--token")[-1]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert (me["state_status"], me["can_block"]) == ("partner", False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "head", "--org", "sco"], "acts for one state"),
        (["x", "--role", "head", "--state", "ZZZ", "--org", "sco"], "no state 'ZZZ'"),
        (["x", "--role", "secretariat", "--org", "nato"], "no organization 'nato'"),
    ],
)
def test_bad_user_creation_is_a_clear_error_and_creates_nothing(capsys, sco, args, message):
    assert main(["user", "create", *args]) == 2
    assert message in capsys.readouterr().err
    assert not User.objects.filter(username="x").exists()


def test_a_secretariat_user_acts_for_no_state(capsys, sco):
    create(capsys, "sec", "--role", "secretariat", "--state", "KAZ", "--org", "sco")
    user = User.objects.get(username="sec")
    assert user.state is None and user.is_staff


def test_passwords_are_hashed_with_argon2(capsys, sco):
    create(capsys, "p1", "--role", "participant", "--password", "a long pass phrase 42")
    assert User.objects.get(username="p1").password.startswith("argon2")
