"""A delegation's system generates a client from ``/api/v1/openapi.json`` with
openapi-python-client and runs a whole negotiation through it against a live server; every
answer is a generated type (a model, or bytes for the adopted text), never a dict or None."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.utils import timezone

from concord.accounts.models import Role
from concord.accounts.services import token_issue, user_upsert
from concord.organization.models import State

MEMBERS = ("BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB")


def _op(client_pkg: Any, tag: str, name: str) -> Any:
    return importlib.import_module(f"concord_client.api.{tag}.concord_{tag}_api_{name}")


def _call(op: Any, expected: type, **kwargs: Any) -> Any:
    response = op.sync_detailed(**kwargs)
    assert isinstance(response.parsed, expected), (response.status_code, response.content)
    return response.parsed


@pytest.mark.django_db(transaction=True)
def test_a_negotiation_through_a_generated_client(generated_client, live_server, sco) -> None:
    c = generated_client
    models = c.models
    from concord_client.client import AuthenticatedClient

    def as_user(token: str) -> Any:
        return AuthenticatedClient(base_url=live_server.url, token=token, timeout=60.0)

    sec = as_user(
        token_issue(user=user_upsert(username="sec", role=Role.SECRETARIAT, organization=sco))
    )
    heads = {
        iso3: as_user(
            token_issue(
                user=user_upsert(
                    username=f"head-{iso3.lower()}",
                    role=Role.HEAD,
                    organization=sco,
                    state=State.objects.get(iso3=iso3),
                )
            )
        )
        for iso3 in MEMBERS
    }
    today = timezone.now().date()

    me = _call(_op(c, "accounts", "me"), models.MeOut, client=heads["KAZ"])
    assert me.state == "KAZ"

    meeting = _call(
        _op(c, "negotiation", "create_meeting"),
        models.MeetingOut,
        org="sco",
        client=sec,
        body=models.MeetingIn.from_dict(
            {"body": "chs", "start": today.isoformat(), "end": today.isoformat(), "city": "Astana"}
        ),
    )
    assert isinstance(meeting.id, int) and meeting.body == "chs"

    document = _call(
        _op(c, "negotiation", "submit_document"),
        models.DocumentDetailOut,
        org="sco",
        client=heads["KAZ"],
        body=models.DocumentIn.from_dict(
            {
                "symbol": "SCO/CHS/CLIENT/1",
                "kind": "declaration",
                "title": {"en": "A declaration"},
                "body": "chs",
                "meeting": meeting.id,
                "sponsors": ["KAZ"],
                "languages": ["en"],
            }
        ),
    )
    assert document.stage == "draft" and document.penholder == "KAZ"

    version = _call(
        _op(c, "negotiation", "create_version"),
        models.VersionOut,
        document_id=document.id,
        client=heads["KAZ"],
        body=models.VersionIn.from_dict(
            {
                "note": "first draft",
                "revision": document.revision,
                "provisions": [
                    {"key": "p1", "kind": "operative", "texts": {"en": "States cooperate."}}
                ],
            }
        ),
    )
    assert version.number == 1 and version.provisions[0].texts["en"] == "States cooperate."

    for iso3, head in heads.items():
        position = _call(
            _op(c, "negotiation", "set_position"),
            models.PositionOut,
            document_id=document.id,
            number=1,
            iso3=iso3,
            client=head,
            body=models.PositionIn.from_dict({"stand": "support"}),
        )
        assert position.state == iso3

    consensus = _call(
        _op(c, "negotiation", "get_consensus"),
        models.ConsensusOut,
        document_id=document.id,
        number=1,
        client=sec,
        on=today,
    )
    assert consensus.reached, consensus.explanation

    fresh = _call(
        _op(c, "negotiation", "get_document"),
        models.DocumentDetailOut,
        document_id=document.id,
        client=sec,
    )
    adoption = _call(
        _op(c, "negotiation", "adopt"),
        models.AdoptionOut,
        document_id=document.id,
        number=1,
        client=sec,
        body=models.AdoptIn.from_dict({"meeting": meeting.id, "revision": fresh.revision}),
    )
    assert adoption.on == today and adoption.audit_head

    html = _op(c, "negotiation", "adopted_html").sync_detailed(
        document_id=document.id, client=sec, lang="en"
    )
    assert html.status_code == 200 and b"States cooperate." in html.content
    assert isinstance(html.parsed, bytes | str)
    akn = _op(c, "negotiation", "adopted_akn").sync_detailed(document_id=document.id, client=sec)
    assert akn.status_code == 200 and akn.content.startswith(b"<?xml")
    pdf = _op(c, "negotiation", "adopted_pdf").sync_detailed(document_id=document.id, client=sec)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # A refusal is a generated Problem too.
    refused = _op(c, "negotiation", "get_document").sync_detailed(
        document_id=document.id + 1000, client=sec
    )
    assert refused.status_code == 404 and isinstance(refused.parsed, models.Problem)
