"""Every route and API endpoint, as every role: the allowed ones work, the others answer 403 or 404.

The table below must name every endpoint in ``app.url_map``: a new route without a row here
fails ``test_every_route_has_a_row``. Each role walks the table on its own copy of the
prepared post, in table order (mutating calls are arranged so that they do not get in each
other's way), then every route is tried against a post outside the role's scope (404) and
without signing in (sign-in page, or 401 for the API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.db import session_scope
from app.services import booking as booking_service
from models import BorderPost, utcnow
from tests.web.conftest import OTHER_POST, POST, Site

ALL = frozenset({"admin", "manager", "side-manager", "scheduler", "officer", "neighbour", "auditor"})
PLANNERS = frozenset({"admin", "manager", "side-manager", "scheduler", "auditor"})
MANAGERS = frozenset({"admin", "manager", "side-manager"})
WHOLE_POST = frozenset({"admin", "manager"})
BOOKERS = frozenset({"admin", "manager", "side-manager", "scheduler"})
ROSTER_READERS = frozenset({"admin", "manager", "side-manager", "scheduler", "officer", "auditor"})
AUDIT = frozenset({"admin", "manager", "side-manager", "auditor"})
TOMORROW = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")


def offer_for(reference: str, moving: bool = False) -> Callable[[Site], dict[str, Any]]:
    """The first offer for a prepared request, computed at call time (what the page would show)."""

    def build(site: Site) -> dict[str, Any]:
        with site.app.app_context(), session_scope() as session:
            post = session.query(BorderPost).filter_by(code=POST).one()
            request = booking_service.get_request(session, post, reference)
            booking = booking_service.confirmed_booking(request) if moving else None
            offer = booking_service.offers(session, request, utcnow(), moving=booking).offers[0]
            return {"key": offer.key, "start": offer.start_at.isoformat(), "resource": offer.resource_code, "officers": {a.agency_code: a.officer_code for a in offer.attendees}}

    return build


def booking_id(reference: str) -> Callable[[Site], int]:
    def find(site: Site) -> int:
        with site.app.app_context(), session_scope() as session:
            post = session.query(BorderPost).filter_by(code=POST).one()
            return booking_service.confirmed_booking(booking_service.get_request(session, post, reference)).id  # type: ignore[union-attr]

    return find


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # {post} is the post's code; {booking:REF} the id of REF's confirmed booking
    allowed: frozenset[str]
    ok: tuple[int, ...] = (200,)
    form: Callable[[Site], dict[str, Any]] | dict[str, Any] | None = None
    json: Callable[[Site], dict[str, Any]] | dict[str, Any] | None = None
    api: bool = False
    public: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _book_form(site: Site) -> dict[str, Any]:
    return {"offer": offer_for("WALK-1")(site)["key"]}


def _reschedule_form(site: Site) -> dict[str, Any]:
    return {"offer": offer_for("WALK-3", moving=True)(site)["key"], "reason": "truck delayed"}


def _api_booking(site: Site) -> dict[str, Any]:
    offer = offer_for("WALK-6")(site)
    return {"post": POST, "reference": "WALK-6", "offer": {k: offer[k] for k in ("start", "resource", "officers")}}


def _api_reschedule(site: Site) -> dict[str, Any]:
    offer = offer_for("WALK-5", moving=True)(site)
    return {"reason": "bay closed", "offer": {k: offer[k] for k in ("start", "resource", "officers")}}


REQUEST_FORM = {
    "reference": "ROLE-WALK", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS", "UA-CUS"],
    "expected_arrival": f"{TOMORROW}T09:00", "arrival_zone": "UTC",
}
REQUEST_JSON = {
    "post": POST, "reference": "API-WALK", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS", "UA-CUS"],
    "expected_arrival": f"{TOMORROW}T09:00:00+00:00",
}

ROUTES: dict[str, Call] = {
    "static": Call("GET", "/static/juxta.css", ALL, public=True),
    "auth.login": Call("GET", "/auth/login", ALL, public=True),
    "posts.index": Call("GET", "/", ALL, ok=(200, 302)),
    "posts.overview": Call("GET", "/posts/{post}", ALL),
    "timeline.show": Call("GET", "/posts/{post}/timeline?zone=UTC&days=2", ALL),
    "roster.grid": Call("GET", "/posts/{post}/roster", ROSTER_READERS),
    "coverage.heatmap": Call("GET", "/posts/{post}/coverage", PLANNERS),
    "plans.index": Call("GET", "/posts/{post}/plans", PLANNERS),
    "plans.show": Call("GET", "/posts/{post}/plans/1", PLANNERS),
    "plans.compare": Call("GET", "/posts/{post}/plans/compare?before=1&after=2", PLANNERS),
    "plans.job": Call("GET", "/posts/{post}/plans/jobs/1", MANAGERS),
    "plans.job_state": Call("GET", "/posts/{post}/plans/jobs/1.json", MANAGERS),
    "plans.run": Call("POST", "/posts/{post}/plans/run", WHOLE_POST, ok=(302,), form={"start": TOMORROW, "weeks": 1, "seed": 3, "time_limit_seconds": 5, "workers": 1}),
    "plans.publish": Call("POST", "/posts/{post}/plans/2/publish", WHOLE_POST, ok=(302,), form={}),
    "inspections.index": Call("GET", "/posts/{post}/inspections", ALL),
    "inspections.bays": Call("GET", "/posts/{post}/bays?day=" + TOMORROW, ALL),
    "inspections.show": Call("GET", "/posts/{post}/inspections/WALK-2", ALL),
    "inspections.new": Call("POST", "/posts/{post}/inspections/new", BOOKERS, ok=(302,), form=REQUEST_FORM),
    "inspections.preview": Call("POST", "/posts/{post}/inspections/preview", BOOKERS, form={**REQUEST_FORM, "reference": ""}),
    "inspections.book": Call("POST", "/posts/{post}/inspections/WALK-1/book", BOOKERS, ok=(302,), form=_book_form),
    "inspections.cancel": Call("POST", "/posts/{post}/inspections/bookings/{booking:WALK-2}/cancel", BOOKERS, ok=(302,), form={"reason": "consignment withdrawn"}),
    "inspections.reschedule": Call("POST", "/posts/{post}/inspections/bookings/{booking:WALK-3}/reschedule", BOOKERS, ok=(302,), form=_reschedule_form),
    "admin.audit": Call("GET", "/posts/{post}/audit", AUDIT),
    "exports.download": Call("GET", "/posts/{post}/plans/1/export.csv?calendar=hours", ALL),
    "exports.calendars": Call("GET", "/posts/{post}/calendars", ALL),
    "exports.create_feed": Call("POST", "/posts/{post}/calendars/feeds", ALL, ok=(201,), form={"calendar": "hours", "label": "walk"}),
    # Feeds and push targets belong to whoever made them; a stranger's id answers 404 to everyone.
    "exports.revoke_feed": Call("POST", "/posts/{post}/calendars/feeds/999999/revoke", frozenset(), form={}),
    "exports.delete_target": Call("POST", "/posts/{post}/calendars/targets/999999/delete", frozenset(), form={}),
    "exports.create_target": Call("POST", "/posts/{post}/calendars/targets", MANAGERS, ok=(302,), form={"side": "PL", "name": "walk", "url": "https://caldav.example.org/pl/", "username": "walk", "password_ref": "env:WALK"}),
    "exports.sync": Call("POST", "/posts/{post}/plans/1/sync", frozenset(), form={"target": 999999}),
    "exports.import_closures": Call("POST", "/posts/{post}/calendars/closures", MANAGERS, ok=(422,), form={"side": "UA"}),
    "exports.feed": Call("GET", "/feeds/no-such-token.ics", frozenset(), public=True),
    "api.openapi_document": Call("GET", "/api/v1/openapi.json", ALL, api=True, public=True),
    "api.whoami": Call("GET", "/api/v1/me", ALL, api=True),
    "api.posts": Call("GET", "/api/v1/posts", ALL, api=True),
    "api.post_overview": Call("GET", "/api/v1/posts/{post}", ALL, api=True),
    "api.timeline": Call("GET", "/api/v1/posts/{post}/timeline?zone=PL", ALL, api=True),
    "api.roster": Call("GET", "/api/v1/posts/{post}/roster", ROSTER_READERS, api=True),
    "api.coverage": Call("GET", "/api/v1/posts/{post}/coverage", PLANNERS, api=True),
    "api.bays": Call("GET", "/api/v1/posts/{post}/bays", ALL, api=True),
    "api.plans": Call("GET", "/api/v1/posts/{post}/plans", PLANNERS, api=True),
    "api.plan": Call("GET", "/api/v1/posts/{post}/plans/1", PLANNERS, api=True),
    "api.compare": Call("GET", "/api/v1/posts/{post}/plans/compare?before=1&after=3", PLANNERS, api=True),
    "api.publish": Call("POST", "/api/v1/posts/{post}/plans/3/publish", WHOLE_POST, api=True, json={}),
    "api.job": Call("GET", "/api/v1/posts/{post}/jobs/1", MANAGERS, api=True),
    # The page's plan run (above) is still queued: a second run is refused as a conflict.
    "api.start_run": Call("POST", "/api/v1/posts/{post}/plan-runs", WHOLE_POST, ok=(202, 409), api=True, json={"start": TOMORROW, "weeks": 1}),
    "api.requests_list": Call("GET", "/api/v1/posts/{post}/inspections/requests?day=" + TOMORROW, ALL, api=True),
    "api.request_detail": Call("GET", "/api/v1/posts/{post}/inspections/requests/WALK-1", ALL, api=True),
    "api.create_request": Call("POST", "/api/v1/inspections/requests", BOOKERS, ok=(201,), api=True, json=REQUEST_JSON),
    "api.offers": Call("POST", "/api/v1/inspections/offers", BOOKERS, api=True, json={"post": POST, "reference": "WALK-6"}),
    "api.book": Call("POST", "/api/v1/inspections/bookings", BOOKERS, ok=(201,), api=True, json=_api_booking),
    "api.booking": Call("GET", "/api/v1/posts/{post}/inspections/bookings/{booking:WALK-4}", ALL, api=True),
    "api.cancel": Call("POST", "/api/v1/posts/{post}/inspections/bookings/{booking:WALK-4}/cancel", BOOKERS, api=True, json={"reason": "withdrawn"}),
    "api.reschedule": Call("POST", "/api/v1/posts/{post}/inspections/bookings/{booking:WALK-5}/reschedule", BOOKERS, api=True, json=_api_reschedule),
    "api.audit": Call("GET", "/api/v1/posts/{post}/audit", AUDIT, api=True),
    "auth.logout": Call("POST", "/auth/logout", ALL, ok=(302,), form={}),
}


def _resolve(site: Site, call: Call, post: str) -> tuple[str, dict[str, Any]]:
    path = call.path.replace("{post}", post)
    while "{booking:" in path:
        start = path.index("{booking:")
        end = path.index("}", start)
        reference = path[start + len("{booking:"):end]
        path = path[:start] + (str(booking_id(reference)(site)) if post == POST else "1") + path[end + 1:]
    kwargs: dict[str, Any] = {}
    for key in ("form", "json"):
        value = getattr(call, key)
        if value is not None:
            resolved = value(site) if callable(value) and post == POST else value if not callable(value) else {}
            kwargs["data" if key == "form" else "json"] = resolved
    return path, kwargs


def _send(client, call: Call, path: str, kwargs: dict[str, Any], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    response = client.open(path, method=call.method, headers=headers if call.api else {}, **kwargs)
    response.get_data()
    response.close()  # a static file's handle stays open until the response is closed
    return response


def test_every_route_has_a_row(site: Site) -> None:
    endpoints = {rule.endpoint for rule in site.app.url_map.iter_rules()}
    assert endpoints - ROUTES.keys() == set(), "routes without an access check in this table"
    assert ROUTES.keys() - endpoints == set(), "rows for routes that no longer exist"
    for rule in site.app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}  # type: ignore[operator]
        assert ROUTES[rule.endpoint].method in methods, f"{rule.endpoint} is checked with the wrong method"


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_may_do_what_its_role_allows_and_nothing_else(site: Site, role: str) -> None:
    client = site.client(role)
    headers = site.token(role)
    failures = []
    for endpoint, call in ROUTES.items():
        # A refused role sends the same well-formed call, so the refusal is about the role, not the data.
        path, kwargs = _resolve(site, call, POST)
        response = _send(client, call, path, kwargs, headers)
        expected = call.ok if role in call.allowed else (403, 404)
        if response.status_code not in expected:
            failures.append(f"{endpoint} {call.method} {path}: {response.status_code}, expected {expected}: {response.get_data(as_text=True)[:200]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", sorted(ALL - {"admin"}))
def test_a_post_outside_the_scope_is_not_found(site: Site, role: str) -> None:
    client = site.client(role)
    headers = site.token(role)
    for endpoint, call in ROUTES.items():
        if "{post}" not in call.path:
            continue
        path, kwargs = _resolve(site, call, OTHER_POST)
        response = _send(client, call, path, kwargs, headers)
        assert response.status_code == 404, f"{endpoint} on {OTHER_POST} as {role}: {response.status_code}"


def test_without_signing_in_pages_ask_for_it_and_the_api_answers_401(site: Site) -> None:
    client = site.client()
    for endpoint, call in ROUTES.items():
        path, kwargs = _resolve(site, call, POST)
        response = _send(client, call, path, kwargs, {})
        if call.public:
            assert response.status_code in (200, 404), endpoint
        elif call.api:
            assert response.status_code == 401, f"{endpoint}: {response.status_code}"
            assert response.get_json()["status"] == 401
        else:
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], f"{endpoint}: {response.status_code}"


def test_a_session_cookie_alone_does_not_open_the_api(site: Site) -> None:
    """The API skips CSRF protection, so a signed-in browser must not be able to call it."""
    client = site.client("manager")
    assert client.get(f"/posts/{POST}").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    assert client.post(f"/api/v1/posts/{POST}/plans/2/publish", json={}).status_code == 401


def test_a_revoked_token_no_longer_opens_the_api(site: Site) -> None:
    from app.services import users as user_service

    headers = site.token("auditor")
    client = site.client()
    assert client.get("/api/v1/me", headers=headers).get_json()["role"] == "auditor"
    with site.app.app_context(), session_scope() as session:
        user_service.revoke_tokens(session, user_service.get_user(session, "auditor"))
    assert client.get("/api/v1/me", headers=headers).status_code == 401
