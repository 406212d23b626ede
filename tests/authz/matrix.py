# ruff: noqa: E501  (one row, one line: a new URL is a one-line change)
"""The authorization matrix: one row per (method, route), one expected status per role.

Columns, in ``world.ROLES`` order:
    anon  participant  m_del_own m_head_own  m_del_oth m_head_oth  obs_del obs_head
    par_del par_head  sec
"own" is the delegation of the document's penholder and sponsor (Kazakhstan), "oth" a
delegation of another member (China); observers and partners act for their own state.
A path parameter ``iso3`` is the acting role's own state unless the row says otherwise.

Status tokens: a number is the HTTP status; ``L`` is a 302 redirect to the sign-in page;
``-`` means "not requested" (used only by the admin's glob rows, whose one permission
function is checked for every role on ``admin:index``).

Routes: a URL name for pages (glob patterns allowed, for the admin's generated URLs), the
ninja path for API operations. ``kw`` overrides path parameters and ``body`` is the JSON
(API) or form (pages) body; a value "@key" is ``World.ids[key]`` and "@actor" the acting
role's state. A string body is sent as text/csv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULTS: dict[str, Any] = {
    "org": "@org",
    "document_id": "@doc",
    "number": 1,
    "iso3": "@actor",
    "amendment_id": "@amendment",
    "meeting_id": "@meeting",
    "slug": "@slug",
    "statement_id": "@statement",
    "commitment_id": "@commitment",
    "cycle_id": "@cycle",
    "activity_id": "@activity",
    "indicator_id": "@indicator",
    "key": "p1",
    "lang": "ru",
    "verb": "accept",
    "chart": "areas",
}


@dataclass(frozen=True)
class Row:
    method: str
    route: str
    expect: str
    kw: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    query: str = ""
    note: str = ""

    def defaults(self) -> dict[str, Any]:
        return DEFAULTS

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.note}]" if self.note else "")


def R(method: str, route: str, expect: str, note: str = "", **extra: Any) -> Row:
    return Row(method, route, expect, note=note, **extra)


# fmt: off
ROWS: list[Row] = [
    # --- API operations (ninja paths) ---
    R("GET", "/activities/{activity_id}.iati.xml", "200 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/activities/{activity_id}/reports", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/activities/{activity_id}/reports", "401 401 201 201 201 201 201 201 201 201 403", body={"state": "@actor", "status": "on_track"}),
    R("GET", "/activities/{int:activity_id}", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/amendments/{amendment_id}/actions/accept", "401 401 200 200 403 403 404 404 404 404 200"),
    R("POST", "/amendments/{amendment_id}/actions/reject", "401 401 200 200 403 403 404 404 404 404 200"),
    R("GET", "/audit/verify", "401 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/commitments/{commitment_id}", "200 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/commitments/{commitment_id}/compliance", "200 401 200 200 200 200 200 200 200 200 200"),
    R("PUT", "/commitments/{commitment_id}/compliance/{iso3}", "401 401 403 403 403 403 403 403 403 403 200", body={"cycle": "@cycle_slug", "score": 1}),
    R("GET", "/commitments/{commitment_id}/reports", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/commitments/{commitment_id}/reports", "401 401 201 201 201 201 422 422 422 422 403", body={"state": "@actor", "status": "on_track"}),
    R("POST", "/commitments/{commitment_id}/reports", "401 401 403 403 403 403 403 403 403 403 403", "for another state", body={"state": "RUS", "status": "on_track"}),
    R("GET", "/consultations/{slug}", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "/consultations/{slug}/actions/close", "401 401 403 403 403 403 403 403 403 403 200"),
    R("GET", "/consultations/{slug}/map", "404 404 404 404 404 404 404 404 404 404 404"),
    R("POST", "/consultations/{slug}/participants", "201 401 201 201 201 201 201 201 201 201 201"),
    R("GET", "/consultations/{slug}/statements", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/consultations/{slug}/statements", "401 201 201 201 201 201 201 201 201 201 201", body={"text": "A new statement from the matrix"}),
    R("POST", "/consultations/{slug}/votes", "401 201 201 201 201 201 201 201 201 201 201", body={"statement": "@statement", "vote": 1}),
    R("POST", "/cycles/{cycle_id}/actions/publish", "401 401 403 403 403 403 403 403 403 403 200"),
    R("GET", "/documents/{document_id}", "404 401 200 200 200 200 404 404 404 404 200"),
    R("GET", "/documents/{document_id}", "404 401 200 200 200 200 200 200 200 200 200", "shared with partners", kw={"document_id": "@doc_shared"}),
    R("GET", "/documents/{document_id}", "200 401 200 200 200 200 200 200 200 200 200", "public, adopted", kw={"document_id": "@doc_adopted"}),
    R("POST", "/documents/{document_id}/actions/withdraw", "401 401 403 200 403 403 404 404 404 404 200", body={"reason": "no longer needed"}),
    R("GET", "/documents/{document_id}/adopted.akn.xml", "200 401 200 200 200 200 200 200 200 200 200", kw={"document_id": "@doc_adopted"}),
    R("GET", "/documents/{document_id}/adopted.html", "200 401 200 200 200 200 200 200 200 200 200", kw={"document_id": "@doc_adopted"}),
    R("GET", "/documents/{document_id}/adopted.pdf", "200 401 200 200 200 200 200 200 200 200 200", kw={"document_id": "@doc_adopted"}),
    R("GET", "/documents/{document_id}/amendments", "404 401 200 200 200 200 404 404 404 404 200"),
    R("POST", "/documents/{document_id}/amendments", "401 401 201 201 201 201 404 404 404 404 403", body={"version": 1, "provision": "p2", "op": "replace", "texts": {"en": "Amended."}, "reason": "clarity"}),
    R("POST", "/documents/{document_id}/explanations", "401 401 403 409 403 409 404 404 404 404 403", body={"text": "Our explanation."}),
    R("POST", "/documents/{document_id}/sponsors/{iso3}", "401 401 403 409 403 201 404 404 404 404 409"),
    R("POST", "/documents/{document_id}/sponsors/{iso3}", "401 401 403 403 403 403 404 404 404 404 201", "attack 2: for another state", kw={"iso3": "RUS"}),
    R("DELETE", "/documents/{document_id}/sponsors/{iso3}", "401 401 403 200 403 409 404 404 404 404 200"),
    R("DELETE", "/documents/{document_id}/sponsors/{iso3}", "401 401 403 200 403 403 404 404 404 404 200", "for another state", kw={"iso3": "KAZ", "document_id": "@doc_ready"}),
    R("POST", "/documents/{document_id}/versions", "401 401 201 201 403 403 404 404 404 404 403", body={"provisions": [{"key": "p1", "texts": {"en": "New", "ru": "Новый", "zh": "新"}}]}),
    R("POST", "/documents/{document_id}/versions", "401 401 201 201 403 403 403 403 403 403 403", "attack 4: on a shared document", kw={"document_id": "@doc_shared"}, body={"provisions": [{"key": "p1", "texts": {"en": "New", "ru": "Новый", "zh": "新"}}]}),
    R("GET", "/documents/{document_id}/versions/{number}", "404 401 200 200 200 200 404 404 404 404 200"),
    R("POST", "/documents/{document_id}/versions/{number}/actions/adopt", "401 401 403 403 403 403 404 404 404 404 200", kw={"document_id": "@doc_ready"}, body={"meeting": "@meeting"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/adopt", "401 401 403 403 403 403 404 404 404 404 409", "not consensual", body={"meeting": "@meeting"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/adopt", "401 401 403 403 403 403 404 404 404 404 409", "attack 1: at a 2024 meeting", kw={"document_id": "@doc_ready"}, body={"meeting": "@meeting_old"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/adopt", "401 401 403 403 403 403 404 404 404 404 409", "attack 1: at a future meeting", kw={"document_id": "@doc_ready"}, body={"meeting": "@meeting_future"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/adopt", "401 401 403 403 403 403 404 404 404 404 409", "attack 9: translations unverified", kw={"document_id": "@doc_stale", "number": 2}, body={"meeting": "@meeting"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/break-silence", "401 401 403 200 403 200 404 404 404 404 403", kw={"document_id": "@doc_silence"}, body={"reason": "We object."}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/open-silence", "401 401 403 403 403 403 404 404 404 404 201", body={"deadline": "@deadline_ok"}),
    R("POST", "/documents/{document_id}/versions/{number}/actions/open-silence", "401 401 403 403 403 403 404 404 404 404 422", "attack 3: two seconds", body={"deadline": "@deadline_2s"}),
    R("GET", "/documents/{document_id}/versions/{number}/consensus", "404 401 200 200 200 200 404 404 404 404 200"),
    R("GET", "/documents/{document_id}/versions/{number}/diff", "404 401 200 200 200 200 404 404 404 404 200", kw={"document_id": "@doc_stale", "number": 2}, query="?against=1"),
    R("PUT", "/documents/{document_id}/versions/{number}/positions/{iso3}", "401 401 403 200 403 200 404 404 404 404 403", body={"stand": "support"}),
    R("PUT", "/documents/{document_id}/versions/{number}/positions/{iso3}", "401 401 403 200 403 200 403 200 403 200 403", "shared with partners", kw={"document_id": "@doc_shared"}, body={"stand": "objection", "provisions": ["p1"]}),
    R("PUT", "/documents/{document_id}/versions/{number}/positions/{iso3}", "401 401 403 403 403 403 404 404 404 404 403", "for another state", kw={"iso3": "RUS"}, body={"stand": "support"}),
    R("POST", "/documents/{document_id}/versions/{number}/provisions/{key}/texts/{lang}/actions/verify", "401 401 403 403 403 403 404 404 404 404 200", kw={"document_id": "@doc_stale", "number": 2, "key": "p2"}),
    R("GET", "/indicators/{indicator_id}/values", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/indicators/{indicator_id}/values", "401 401 201 201 201 201 201 201 201 201 201", body={"state": "@actor", "date": "2026-06-01", "value": 3, "source": "a report"}),
    R("GET", "/indicators/{indicator_id}/values.csv", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/indicators/{indicator_id}/values.csv", "401 401 422 422 422 422 422 422 422 422 422", body="not,a,known,header\n"),
    R("GET", "/me", "401 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/meetings/{meeting_id}/readiness", "200 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/activities", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/activities", "401 401 403 403 403 403 403 403 403 403 201", body={"kind": "event", "title": {"en": "An event"}}),
    R("GET", "/orgs/{org}/activities.csv", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/activities.csv", "401 401 403 403 403 403 403 403 403 403 422", body="not,a,known,header\n"),
    R("GET", "/orgs/{org}/activities.iati.xml", "200 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/areas", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/bodies", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/chairmanships", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/commitments", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/commitments", "401 401 403 403 403 403 403 403 403 403 201", body={"document": "@doc_adopted", "provision": "p3", "area": "trade"}),
    R("GET", "/orgs/{org}/commitments.csv", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/commitments.csv", "401 401 403 403 403 403 403 403 403 403 422", body="not,a,known,header\n"),
    R("GET", "/orgs/{org}/commitments/suggestions", "404 401 404 404 404 404 404 404 404 404 404", query="?document=0"),
    R("POST", "/orgs/{org}/commitments/suggestions/actions/discard", "401 401 403 403 403 403 403 403 403 403 200", body={"document": "@doc_adopted", "provision": "p3"}),
    R("POST", "/orgs/{org}/commitments/suggestions/actions/discard", "401 401 403 403 403 403 403 403 403 403 422", "not a suggestion", body={"document": "@doc_adopted", "provision": "p1"}),
    R("GET", "/orgs/{org}/compliance", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/consultations", "401 401 403 403 403 403 403 403 403 403 201", body={"slug": "authz-new", "title": {"en": "New"}}),
    R("GET", "/orgs/{org}/cycles", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/cycles", "401 401 403 403 403 403 403 403 403 403 201", body={"slug": "authz-new", "kind": "final", "period_start": "2026-01-01", "period_end": "2026-12-31"}),
    R("GET", "/orgs/{org}/dashboard", "200 401 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/documents", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/documents", "401 401 201 201 201 201 403 403 403 403 201", body={"symbol": "SCO/CHS/AUTHZ/NEW", "kind": "declaration", "title": {"en": "New"}, "body": "chs", "languages": ["en", "ru", "zh"], "sponsors": ["@actor"]}),
    R("POST", "/orgs/{org}/documents", "401 401 403 403 403 403 403 403 403 403 201", "attack 2: sponsors another state", body={"symbol": "SCO/CHS/AUTHZ/NEW", "kind": "declaration", "title": {"en": "New"}, "body": "chs", "languages": ["en", "ru", "zh"], "sponsors": ["@actor", "RUS"]}),
    R("POST", "/orgs/{org}/documents", "401 401 403 403 403 403 403 403 403 403 201", "attack 2: names another penholder", body={"symbol": "SCO/CHS/AUTHZ/NEW", "kind": "declaration", "title": {"en": "New"}, "body": "chs", "languages": ["en", "ru", "zh"], "sponsors": ["@actor"], "penholder": "RUS"}),
    R("POST", "/orgs/{org}/documents", "401 401 403 403 403 403 403 403 403 403 403", "attack 4: a partner penholder", body={"symbol": "SCO/CHS/AUTHZ/NEW", "kind": "declaration", "title": {"en": "New"}, "body": "chs", "languages": ["en", "ru", "zh"], "penholder": "TUR"}),
    R("GET", "/orgs/{org}/indicators", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/indicators", "401 401 403 403 403 403 403 403 403 403 201", body={"name": {"en": "Trained"}, "unit": "people", "scope": "organization"}),
    R("GET", "/orgs/{org}/meetings", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/meetings", "401 401 403 403 403 403 403 403 403 403 201", body={"body": "chs", "start": "@today", "end": "@today"}),
    R("POST", "/orgs/{org}/meetings", "401 401 403 403 403 403 403 403 403 403 422", "attack 1: backdated", body={"body": "chs", "start": "2024-01-10", "end": "2024-01-10"}),
    R("GET", "/orgs/{org}/posts", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "/orgs/{org}/reports.csv", "200 401 200 200 200 200 200 200 200 200 200"),
    R("POST", "/orgs/{org}/reports.csv", "401 401 422 422 422 422 422 422 422 422 422", body="not,a,known,header\n"),
    R("GET", "/orgs/{org}/states", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "/statements/{statement_id}/actions/accept", "401 401 403 403 403 403 403 403 403 403 409", kw={"statement_id": "@statement_pending"}),
    R("POST", "/statements/{statement_id}/actions/reject", "401 401 403 403 403 403 403 403 403 403 200", kw={"statement_id": "@statement_pending"}),
    R("POST", "/statements/{statement_id}/citations", "401 401 403 403 403 403 403 403 403 403 201", body={"document": "@doc_adopted", "provision": "p2"}),
    # --- pages (URL names) ---
    R("GET", "api-v1:api-root", "404 404 404 404 404 404 404 404 404 404 404"),
    R("POST", "api-v1:api-root", "404 404 404 404 404 404 404 404 404 404 404"),
    R("GET", "api-v1:openapi-json", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "api-v1:openapi-json", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "api-v1:openapi-view", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "api-v1:openapi-view", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "consultation", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "consultation", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "consultation-map", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "consultation-map", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "consultation-moderate", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "consultation-moderate", "302! 302! 302! 302! 302! 302! 302! 302! 302! 302! 302", kw={"statement_id": "@statement_pending", "verb": "reject"}),
    R("GET", "consultation-moderation", "404 404 404 404 404 404 404 404 404 404 200"),
    R("POST", "consultation-moderation", "404 404 404 404 404 404 404 404 404 404 200"),
    R("GET", "consultation-report", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "consultation-report", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "consultation-report-pdf", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "consultation-report-pdf", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "consultation-statement-new", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "consultation-statement-new", "302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+", body={"text": "A statement from the page"}),
    R("GET", "consultation-vote", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "consultation-vote", "302 302 302 302 302 302 302 302 302 302 302", body={"statement": "@statement", "vote": 1}),
    R("GET", "consultations", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "consultations", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "home", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "home", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "implementation-csv", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "implementation-csv", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "implementation-dashboard", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "implementation-dashboard", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "implementation-reminders", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "implementation-reminders", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "inbox:me", "L L 200 200 200 200 200 200 200 200 200"),
    R("POST", "inbox:me", "L L 200 200 200 200 200 200 200 200 200"),
    R("GET", "inbox:read", "L L 405 405 405 405 405 405 405 405 405"),
    R("POST", "inbox:read", "L L 302 302 302 302 302 302 302 302 302"),
    R("GET", "inbox:settings", "L L 200 200 200 200 200 200 200 200 200"),
    R("POST", "inbox:settings", "L L 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+"),
    R("GET", "login", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "login", "200 200 200 200 200 200 200 200 200 200 200"),
    R("GET", "logout", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "logout", "302 302 302 302 302 302 302 302 302 302 302"),
    R("GET", "negotiation:adopted", "200 200 200 200 200 200 200 200 200 200 200", kw={"document_id": "@doc_adopted"}),
    R("POST", "negotiation:adopted", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:amend", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "negotiation:amend", "404 404 302+ 302+ 302+ 302+ 404 404 404 404 302!", body={"version": 1, "provision": "p2", "op": "replace", "text": "Amended.", "lang": "en", "reason": "clarity"}),
    R("GET", "negotiation:decide", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "negotiation:decide", "404 404 302+ 302+ 302! 302! 404 404 404 404 302+"),
    R("GET", "negotiation:diff", "404 404 200 200 200 200 404 404 404 404 200", kw={"document_id": "@doc_stale", "number": 2}),
    R("POST", "negotiation:diff", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:document", "404 404 200 200 200 200 404 404 404 404 200"),
    R("POST", "negotiation:document", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:documents", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "negotiation:documents", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:history", "404 404 200 200 200 200 404 404 404 404 200"),
    R("POST", "negotiation:history", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:meetings", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "negotiation:meetings", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:position", "405 405 405 405 405 405 405 405 405 405 405"),
    R("POST", "negotiation:position", "404 404 302! 302+ 302! 302+ 404 404 404 404 302!", body={"stand": "support", "version": 1}),
    R("POST", "negotiation:position", "404 404 302! 302+ 302! 302+ 302! 302+ 302! 302+ 302!", "shared with partners", kw={"document_id": "@doc_shared"}, body={"stand": "support", "version": 1}),
    R("GET", "negotiation:readiness", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "negotiation:readiness", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "negotiation:silence", "404 404 200 200 200 200 404 404 404 404 200"),
    R("POST", "negotiation:silence", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "organization", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "organization", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "search:documents", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "search:documents", "405 405 405 405 405 405 405 405 405 405 405"),
    R("GET", "set_language", "302 302 302 302 302 302 302 302 302 302 302"),
    R("POST", "set_language", "302 302 302 302 302 302 302 302 302 302 302"),
    R("GET", "state", "200 200 200 200 200 200 200 200 200 200 200"),
    R("POST", "state", "405 405 405 405 405 405 405 405 405 405 405"),
    # --- the read-only support admin (one permission function, access.may_use_support_admin)
    R("GET", "admin:index", "L L L L L L L L L L 200"),
    R("POST", "admin:index", "L L L L L L L L L L 200"),
    R("GET", "admin:app_list", "L - - - - L - - - - 200"),
    R("POST", "admin:app_list", "L - - - - - - - - - 200"),
    R("GET", "admin:login", "200 - - - - 200 - - - - 302"),
    R("POST", "admin:login", "200 - - - - - - - - - -"),
    R("GET", "admin:logout", "302 - - - - - - - - - -"),
    R("POST", "admin:logout", "302 - - - - - - - - - 302"),
    R("GET", "admin:jsi18n", "L - - - - L - - - - 200"),
    R("POST", "admin:jsi18n", "L - - - - - - - - - 405"),
    R("GET", "admin:autocomplete", "L - - - - L - - - - 403"),
    R("POST", "admin:autocomplete", "L - - - - - - - - - 405"),
    R("GET", "admin:view_on_site", "L - - - - - - - - - 404", kw={"content_type_id": 1, "object_id": 1}),
    R("POST", "admin:view_on_site", "L - - - - - - - - - 404", kw={"content_type_id": 1, "object_id": 1}),
    # The secretariat's read-only view, on one model (the glob rows below check who is kept out)
    R("GET", "admin:negotiation_document_changelist", "L - - - - L - - - - 200"),
    R("POST", "admin:negotiation_document_changelist", "L - - - - - - - - - 200"),
    R("GET", "admin:negotiation_document_add", "L - - - - - - - - - 403"),
    R("POST", "admin:negotiation_document_add", "L - - - - - - - - - 403", body={"symbol": "X"}),
    R("GET", "admin:negotiation_document_change", "L - - - - - - - - - 200", kw={"object_id": "@doc"}),
    R("POST", "admin:negotiation_document_change", "L - - - - - - - - - 403", kw={"object_id": "@doc"}, body={"symbol": "X"}),
    R("GET", "admin:negotiation_document_delete", "L - - - - - - - - - 403", kw={"object_id": "@doc"}),
    R("POST", "admin:negotiation_document_delete", "L - - - - - - - - - 403", kw={"object_id": "@doc"}, body={"post": "yes"}),
    R("GET", "admin:negotiation_document_history", "L - - - - - - - - - 200", kw={"object_id": "@doc"}),
    R("GET", "admin:password_change", "L - - - - - - - - - 200"),
    R("POST", "admin:password_change", "L - - - - - - - - - 200"),
    R("GET", "admin:*_changelist", "L - - - - L - - - - -"),
    R("POST", "admin:*_changelist", "L - - - - - - - - - -"),
    R("GET", "admin:*_add", "L - - - - - - - - - -"),
    R("POST", "admin:*_add", "L - - - - - - - - - -"),
    R("GET", "admin:*_change", "L - - - - - - - - - -"),
    R("POST", "admin:*_change", "L - - - - - - - - - -"),
    R("GET", "admin:*_delete", "L - - - - - - - - - -"),
    R("POST", "admin:*_delete", "L - - - - - - - - - -"),
    R("GET", "admin:*_history", "L - - - - - - - - - -"),
    R("POST", "admin:*_history", "L - - - - - - - - - -"),
    R("GET", "admin/*/<path:object_id>/", "L - - - - - - - - - -"),
    R("POST", "admin/*/<path:object_id>/", "L - - - - - - - - - -"),
    R("GET", "admin:password_change_done", "L - - - - - - - - - 200"),
    R("POST", "admin:password_change_done", "L - - - - - - - - - 405"),
    R("GET", "admin/(?P<url>.*)$", "L - - - - - - - - - 404", kw={"url": "no-such-page/"}),
    R("POST", "admin/(?P<url>.*)$", "L - - - - - - - - - 404", kw={"url": "no-such-page/"}),
    # The secretariat's view of a missing device is a 500 in django-otp's admin (reported).
    R("GET", "admin:otp_totp_totpdevice_*", "L - - - - - - - - - -", kw={"pk": 1}),
    R("POST", "admin:otp_totp_totpdevice_*", "L - - - - - - - - - -", kw={"pk": 1}),
]
# fmt: on
