"""Two factors (issue 13): heads of delegation and the secretariat sign in with a TOTP
code or a recovery code after the password, on /login/ and /admin/ alike; until then the
session reaches nothing else; a delegate needs none; sessions end on password change."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from concord.accounts import two_factor
from concord.accounts.models import Role
from concord.accounts.services import user_upsert
from concord.accounts.testing import enrol_known_totp, login_verified, totp_code
from concord.audit.models import Event
from concord.audit.services import chain_verify

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-right-password"


@pytest.fixture
def head(sco):  # type: ignore[no-untyped-def]
    from concord.organization.models import State

    return user_upsert(
        username="head-x",
        role=Role.HEAD,
        organization=sco,
        state=State.objects.get(iso3="KAZ"),
        password=PASSWORD,
    )


@pytest.fixture
def secretariat(sco):  # type: ignore[no-untyped-def]
    return user_upsert(username="sec-x", role=Role.SECRETARIAT, organization=sco, password=PASSWORD)


def _password(client: Client, username: str, path: str = "/login/") -> str:
    response = client.post(path, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_a_head_cannot_sign_in_without_the_second_factor(head, client: Client):
    enrol_known_totp(head)
    where = _password(client, "head-x")
    assert where.startswith("/login/second-factor/")
    # Signed in by password only: every page leads back to the code, the API sees nobody.
    for page in ("/me/", "/orgs/sco/documents/", "/admin/", "/ru/me/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/login/second-factor/" in response["Location"], page
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post(where, {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert client.get("/me/").status_code == 302
    # Wrong codes slow further tries down (django-otp: 1 s, 2 s, 4 s, ...).
    throttled = client.post(where, {"code": totp_code()})
    assert throttled.status_code == 400 and "Try again in" in throttled.content.decode()
    TOTPDevice.objects.filter(user=head).update(throttling_failure_timestamp=None)  # time passes
    # The right code verifies the session and leads where the user was going.
    right = client.post(where, {"code": totp_code()})
    assert right.status_code == 302 and right["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert client.get("/api/v1/me").json()["username"] == "head-x"
    # The code just used does not work twice.
    again = Client()
    where = _password(again, "head-x")
    assert again.post(where, {"code": totp_code()}).status_code == 400


def test_the_admin_is_behind_the_same_rules(secretariat, client: Client):
    enrol_known_totp(secretariat)
    where = _password(client, "sec-x", "/admin/login/?next=/admin/")
    assert where == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/second-factor/" in response["Location"]
    done = client.post(response["Location"], {"code": totp_code()})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_enrolment_shows_a_secret_once_and_recovery_codes_work_once(head, client: Client):
    where = _password(client, "head-x")
    enrol_page = client.get(where, follow=True)
    assert enrol_page.redirect_chain[-1][0].startswith("/login/enrol/")
    html = enrol_page.content.decode()
    secret = re.search(r'id="enrol-secret">([A-Z2-7]+)<', html).group(1)
    assert "otpauth://totp/Concord:head-x?secret=" + secret in html.replace("%3A", ":")
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, allowed by the CSP
    assert client.get("/me/").status_code == 302  # not enrolled yet: nothing else
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    assert client.get("/login/enrol/").content.decode().count(secret) >= 1  # same secret
    done = client.post("/login/enrol/", {"code": totp_code(device.key), "next": "/me/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=head).count() == 10
    assert client.get("/me/").status_code == 200
    # Enrolled: the enrolment page is no longer offered (it cannot replace the app).
    assert two_factor.is_enrolled(head)
    # A recovery code signs in once.
    first = Client()
    where = _password(first, "head-x")
    response = first.post(where, {"code": codes[0].upper()})
    assert response.status_code == 302 and first.get("/me/").status_code == 200
    second = Client()
    where = _password(second, "head-x")
    assert second.post(where, {"code": codes[0]}).status_code == 400
    assert second.get("/me/").status_code == 302
    acts = list(
        Event.objects.filter(act__startswith="otp.").order_by("seq").values_list("act", "payload")
    )
    assert acts == [
        ("otp.enrol", {"user": "head-x", "recovery_codes": 10}),
        ("otp.recovery_used", {"user": "head-x", "left": 9}),
    ]
    assert chain_verify().ok, chain_verify().problems


def test_a_delegate_needs_no_second_factor(sco, client: Client):
    from concord.organization.models import State

    user_upsert(
        username="del-x",
        role=Role.DELEGATE,
        organization=sco,
        state=State.objects.get(iso3="KAZ"),
        password=PASSWORD,
    )
    assert _password(client, "del-x") == "/me/"
    assert client.get("/me/").status_code == 200


def test_sessions_end_on_password_change(head):
    client = login_verified(Client(), head)
    assert client.get("/me/").status_code == 200
    head.set_password("another-long-password")
    head.save()
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_reset_removes_the_devices_and_is_audited(head, client: Client):
    enrol_known_totp(head)
    assert two_factor.second_factor_reset(user=head, by="operator") == 1
    assert not two_factor.is_enrolled(head)
    where = _password(client, "head-x")
    assert client.get(where)["Location"].startswith("/login/enrol/")
    event = Event.objects.filter(act="otp.reset").get()
    assert event.payload == {"user": "head-x", "by": "operator", "devices": 1}


def test_second_factor_pages_speak_the_page_language(head, client: Client):
    enrol_known_totp(head)
    client.post("/ru/login/", {"username": "head-x", "password": PASSWORD})
    response = client.post("/ru/login/second-factor/", {"code": "abc"})
    assert response.status_code == 400
    assert 'lang="ru"' in response.content.decode()


def test_the_demo_secretariat_signs_in_with_the_published_demo_code(sco, client: Client, capsys):
    from concord.cli import main
    from concord.reference.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo_users

    load_demo_users()
    load_demo_users()  # idempotent: one demo device each, enrolled once
    assert TOTPDevice.objects.filter(user__username="secretariat").count() == 1
    assert not TOTPDevice.objects.filter(user__username="delegate-kaz").exists()
    response = client.post("/login/", {"username": "secretariat", "password": DEMO_PASSWORD})
    assert main(["user", "demo-code", "secretariat"]) == 0
    code = capsys.readouterr().out.strip()
    assert code == totp_code(DEMO_TOTP_KEY)
    done = client.post(response["Location"], {"code": code})
    assert done.status_code == 302 and client.get("/me/").status_code == 200
    # A device its owner enrolled is never printed.
    assert main(["user", "demo-code", "head-x"]) == 2


def test_the_reset_command_clears_a_lost_authenticator(head, capsys):
    from concord.cli import main

    enrol_known_totp(head)
    assert main(["user", "reset-2fa", "head-x"]) == 0
    assert "1 second-factor devices removed" in capsys.readouterr().out
    assert not two_factor.is_enrolled(head)
    assert main(["user", "reset-2fa", "nobody"]) == 2
