"""REST endpoints for organizations: public reference data, read-only."""

from __future__ import annotations

from typing import Literal, get_args

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from concord.common.dbrouting import replica_reads
from concord.common.jsontypes import JsonDate
from concord.organization import selectors
from concord.organization.models import MembershipStatus
from concord.organization.schemas import (
    BodyOut,
    ChairmanshipOut,
    MeetingOut,
    OrganizationOut,
    PostOut,
    StateStatusOut,
    meeting_json,
)

#: ``status`` as the schema lists it (empty: every status).
StatusParam = Literal["", "member", "observer", "dialogue_partner", "partner"]
if set(get_args(StatusParam)) != {"", *MembershipStatus.values}:  # pragma: no cover
    raise ImportError("StatusParam must list MembershipStatus's values")

router = Router(tags=["organizations"])


@router.get("/orgs", response=list[OrganizationOut])
@replica_reads
def list_orgs(request: HttpRequest) -> object:
    return list(selectors.organization_list())


@router.get("/orgs/{org}", response=OrganizationOut)
@replica_reads
def get_org(request: HttpRequest, org: str) -> object:
    return selectors.organization_get(org)


@router.get("/orgs/{org}/states", response=list[StateStatusOut])
@replica_reads
def list_states(
    request: HttpRequest,
    org: str,
    on: JsonDate | None = None,
    status: StatusParam | None = None,
) -> object:
    """Each state's status on ``on`` (default: today), optionally only one status."""
    organization = selectors.organization_get(org)
    day = on or timezone.now().date()
    wanted = selectors.parse_status(status)
    lang = getattr(request, "LANGUAGE_CODE", "en")
    return [
        {
            "iso3": m.state.iso3,
            "name": m.state.name_in(lang),
            "names": m.state.names,
            "status": m.status,
            "since": m.start,
            "until": m.end,
            "verification": m.verification,
            "sources": m.sources,
        }
        for m in selectors.memberships_on(organization, day, wanted)
    ]


@router.get("/orgs/{org}/bodies", response=list[BodyOut])
@replica_reads
def list_bodies(request: HttpRequest, org: str) -> object:
    return list(selectors.body_list(selectors.organization_get(org)))


@router.get("/orgs/{org}/chairmanships", response=list[ChairmanshipOut])
@replica_reads
def list_chairmanships(request: HttpRequest, org: str) -> object:
    return [
        {
            "term": c.term,
            "state": c.state.iso3,
            "state_name": c.state.name_in("en"),
            "start": c.start,
            "end": c.end,
            "motto": c.motto,
            "priorities": c.priorities,
            "verification": c.verification,
            "sources": c.sources,
        }
        for c in selectors.chairmanship_list(selectors.organization_get(org))
    ]


@router.get("/orgs/{org}/meetings", response=list[MeetingOut])
@replica_reads
def list_meetings(request: HttpRequest, org: str) -> object:
    return [meeting_json(m) for m in selectors.meeting_list(selectors.organization_get(org))]


@router.get("/orgs/{org}/posts", response=list[PostOut])
@replica_reads
def list_posts(request: HttpRequest, org: str) -> object:
    return [
        {
            "slug": p.slug,
            "title": p.title,
            "holders": [
                {
                    "name": h.name,
                    "state": h.state.iso3 if h.state else None,
                    "start": h.start,
                    "end": h.end,
                    "title_at_time": h.title_at_time,
                    "verification": h.verification,
                    "sources": h.sources,
                }
                for h in p.holdings.all()
            ],
        }
        for p in selectors.post_list(selectors.organization_get(org))
    ]
