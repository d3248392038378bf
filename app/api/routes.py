"""The endpoints of ``/api/v1``. Each parses its input, calls one service, commits, answers JSON."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app import settings_of
from app.api import bp
from app.api import serialize as out
from app.api.openapi import document
from app.api.registry import API
from app.api.schemas import (
    AuditQuery,
    BaysQuery,
    BookingIn,
    CancelIn,
    CompareQuery,
    CoverageQuery,
    OfferIn,
    OffersIn,
    PlanRunIn,
    RequestIn,
    RequestsQuery,
    RescheduleIn,
    RosterQuery,
    TimelineQuery,
    parse,
)
from app.db import get_session
from app.errors import error_response
from app.extensions import login_manager
from app.security import Principal, can_book_for, can_manage_post, me, visible_posts
from app.services import booking as booking_service
from app.services import feeds
from app.services import plans as plan_service
from app.services import users as user_service
from app.services.access import Ability, can
from app.services.booking_search import ChoicePart, OfferChoice
from app.services.pages.audit import audit_page, entry_dict
from app.services.pages.bays import build_bay_day
from app.services.pages.common import clock_for
from app.services.pages.coverage import build_coverage
from app.services.pages.overview import build_overview
from app.services.pages.roster import build_roster
from app.services.pages.timeline import build_timeline
from app.services.posts import summarise
from app.web import (
    booking_detail_visible,
    include_drafts,
    may_book_for,
    office_visible,
    officer_visible,
    post_page,
    require,
)
from models import Booking, BorderPost, InspectionRequest, utcnow

EVERYONE = "every role within its scope"
PLANNERS = "admin, post manager, agency scheduler, auditor"
MANAGERS = "admin, post manager of the whole post"
BOOKERS = "admin, post manager (own side), agency scheduler (own agency)"


@bp.before_request
def authenticate() -> tuple[Response, int] | None:
    if request.endpoint == "api.openapi_document":
        return None
    header = request.headers.get("Authorization", "")
    token = header[len("Bearer "):].strip() if header.startswith("Bearer ") else ""
    session = get_session()
    user = user_service.user_for_token(session, token) if token else None
    if user is None:
        response, status = error_response(401, "Send a valid API token as 'Authorization: Bearer TOKEN'.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="juxta"'  # type: ignore[union-attr]
        return response, status  # type: ignore[return-value]
    session.commit()  # keeps the token's last use
    # The token, not a session cookie that may ride along, says who is calling.
    login_manager._update_request_context_with_user(Principal(user))
    return None


def _body(model):  # type: ignore[no-untyped-def]
    data = request.get_json(silent=True)
    if data is None:
        abort(400)
    return parse(model, data, "body")


def _query(model):  # type: ignore[no-untyped-def]
    return parse(model, request.args.to_dict(), "query")


def _created(payload: dict[str, Any], location: str) -> tuple[Response, int]:
    response = jsonify(payload)
    response.headers["Location"] = location
    return response, 201


@API.route(bp, "GET", "/openapi.json", summary="This document", tag="meta", public=True, roles="anyone")
def openapi_document() -> Response:
    return jsonify(document(url_for("api.openapi_document").rsplit("/", 1)[0]))


@API.route(bp, "GET", "/me", summary="Who the token belongs to", tag="meta", roles=EVERYONE)
def whoami() -> Response:
    return jsonify(out.user(me()))


@API.route(bp, "GET", "/posts", summary="The posts in the caller's scope", tag="posts", roles=EVERYONE)
def posts() -> Response:
    return jsonify({"posts": [{"code": p.code, "name": p.name, "sides": [s.code for s in p.sides]} for p in visible_posts(me())]})


@API.route(bp, "GET", "/posts/{code}", summary="A post at a glance: who is open now, bookings, warnings", tag="posts", roles=EVERYONE)
def post_overview(code: str) -> Response:
    post = post_page(code)
    user, session, now = me(), get_session(), utcnow()
    summary = summarise(session, post, now)
    state = build_overview(session, post, now, include_drafts=include_drafts(user), show_staffing=can(user, Ability.VIEW_STAFFING))
    return jsonify({
        "code": post.code, "name": post.name, "layout": summary.layout,
        "sides": [{"code": s.code, "name": s.name, "timezone": s.timezone, "utc_offset_minutes": s.utc_offset_minutes, "holiday_today": s.holiday_today} for s in summary.sides],
        **state.as_dict(),
    })


def _plan(post: BorderPost, version: int | None):  # type: ignore[no-untyped-def]
    return plan_service.plan_to_show(get_session(), post, version, include_drafts=include_drafts(me()))


@API.route(bp, "GET", "/posts/{code}/timeline", summary="Both sides' hours, staffing and joint slots on one axis", tag="views", query=TimelineQuery, roles=EVERYONE)
def timeline(code: str) -> Response:
    post = post_page(code, Ability.VIEW_TIMELINE)
    query, user = _query(TimelineQuery), me()
    clock = clock_for(post, query.zone)
    found = build_timeline(
        get_session(), post, _plan(post, query.plan), first_day=query.day or clock.local(utcnow()).date(), days=query.days, clock=clock,
        show_staffing=can(user, Ability.VIEW_STAFFING), office_visible=office_visible(user),
    )
    return jsonify(found.as_dict())


@API.route(bp, "GET", "/posts/{code}/roster", summary="Shifts by officer and day, with rule marks", tag="views", query=RosterQuery, roles="admin, post manager, agency scheduler (own agency), officer (own row), auditor")
def roster(code: str) -> Response:
    post = post_page(code, Ability.VIEW_ROSTER)
    query = _query(RosterQuery)
    plan = _plan(post, query.plan)
    first = query.day or (plan.horizon_start if plan else clock_for(post, None).local(utcnow()).date())
    grid = build_roster(get_session(), post, plan, first_day=first, days=query.days, agency=query.agency, side=query.side, officer_visible=officer_visible(me()))
    return jsonify(grid.as_dict())


@API.route(bp, "GET", "/posts/{code}/coverage", summary="Officers needed against rostered, per interval", tag="views", query=CoverageQuery, roles=PLANNERS)
def coverage(code: str) -> Response:
    post = post_page(code, Ability.VIEW_COVERAGE)
    query = _query(CoverageQuery)
    clock = clock_for(post, query.zone)
    plan = _plan(post, query.plan)
    first = query.day or (plan.horizon_start if plan else clock.local(utcnow()).date())
    found = build_coverage(get_session(), post, plan, first_day=first, days=query.days, clock=clock, office_visible=office_visible(me()))
    return jsonify(found.as_dict())


@API.route(bp, "GET", "/posts/{code}/bays", summary="One day at the inspection bays", tag="inspections", query=BaysQuery, roles=EVERYONE)
def bays(code: str) -> Response:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    query, user = _query(BaysQuery), me()
    clock = clock_for(post, query.zone)
    day = build_bay_day(get_session(), post, _plan(post, None), day=query.day or clock.local(utcnow()).date(), clock=clock, detail_visible=booking_detail_visible(user))
    return jsonify(day.as_dict())


@API.route(bp, "GET", "/posts/{code}/plans", summary="Plan versions, newest first", tag="plans", roles=PLANNERS)
def plans(code: str) -> Response:
    post = post_page(code, Ability.VIEW_PLANS)
    return jsonify({"plans": [out.plan(p) for p in plan_service.list_plans(get_session(), post, include_drafts=include_drafts(me()))]})


@API.route(bp, "GET", "/posts/{code}/plans/compare", summary="What changed between two versions, for whom", tag="plans", query=CompareQuery, roles=PLANNERS)
def compare(code: str) -> Response:
    post = post_page(code, Ability.VIEW_PLANS)
    query, session, drafts = _query(CompareQuery), get_session(), include_drafts(me())
    before = plan_service.get_plan(session, post, query.before, include_drafts=drafts)
    after = plan_service.get_plan(session, post, query.after, include_drafts=drafts)
    return jsonify(out.comparison(plan_service.compare_plans(session, before, after, officer_visible=officer_visible(me()))))


@API.route(bp, "GET", "/posts/{code}/plans/{version:int}", summary="One plan: figures, engine runs, explanations", tag="plans", roles=PLANNERS)
def plan(code: str, version: int) -> Response:
    post = post_page(code, Ability.VIEW_PLANS)
    return jsonify(out.plan(plan_service.get_plan(get_session(), post, version, include_drafts=include_drafts(me())), detail=True))


@API.route(bp, "POST", "/posts/{code}/plans/{version:int}/publish", summary="Publish a draft after the notice-period check", tag="plans", roles=MANAGERS)
def publish(code: str, version: int) -> Response:
    post = post_page(code, Ability.PUBLISH_PLANS)
    require(can_manage_post(me(), post))
    session = get_session()
    result = plan_service.publish(session, plan_service.get_plan(session, post, version), me(), utcnow())
    feeds.enqueue_refresh(session, post, feeds.FeedSettings.from_config(settings_of(current_app)), me())
    session.commit()
    return jsonify(out.published(result))


@API.route(bp, "POST", "/posts/{code}/plan-runs", summary="Start a plan run in the background", tag="plans", body=PlanRunIn, status=202, roles=MANAGERS)
def start_run(code: str) -> tuple[Response, int]:
    post = post_page(code, Ability.RUN_PLANS)
    require(can_manage_post(me(), post))
    body, session = _body(PlanRunIn), get_session()
    settings = plan_service.PlanRunSettings(start=body.start, weeks=body.weeks, seed=body.seed, time_limit_seconds=body.time_limit_seconds, workers=body.workers)
    job = plan_service.start_plan_run(session, post, me(), settings)
    session.commit()
    response = jsonify(plan_service.job_state(session, job))
    response.headers["Location"] = url_for("api.job", code=post.code, job_id=job.id)
    return response, 202


@API.route(bp, "GET", "/posts/{code}/jobs/{job_id:int}", summary="A background job: status, progress points, the plan it made", tag="plans", roles="admin, post manager")
def job(code: str, job_id: int) -> Response:
    post = post_page(code, Ability.RUN_PLANS)
    session = get_session()
    return jsonify(plan_service.job_state(session, plan_service.get_job(session, post, job_id)))


@API.route(bp, "GET", "/posts/{code}/inspections/requests", summary="Inspection requests arriving in a range", tag="inspections", query=RequestsQuery, roles=EVERYONE)
def requests_list(code: str) -> Response:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    query = _query(RequestsQuery)
    clock = clock_for(post, None)
    start, end = clock.day_range(query.day or clock.local(utcnow()).date(), query.days)
    found = booking_service.list_requests(get_session(), post, status=query.status, arriving_from=start, arriving_to=end)
    return jsonify({"requests": [out.inspection_request(r) for r in found]})


@API.route(bp, "GET", "/posts/{code}/inspections/requests/{reference}", summary="One inspection request", tag="inspections", roles=EVERYONE)
def request_detail(code: str, reference: str) -> Response:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    return jsonify(out.inspection_request(booking_service.get_request(get_session(), post, reference)))


def _draft(body: Any, reference: str = "") -> booking_service.RequestDraft:
    return booking_service.RequestDraft(
        reference=reference, exit_side=body.exit_side, category=body.category, agencies=tuple(body.agencies),
        expected_arrival=body.expected_arrival, duration_minutes=body.duration_minutes, max_wait_minutes=body.max_wait_minutes,
        reversal_allowed=body.reversal_allowed, accepts_out_of_hours=body.accepts_out_of_hours, notice_derogation=body.notice_derogation,
    )


@API.route(bp, "POST", "/inspections/requests", summary="Register a consignment selected for inspection", tag="inspections", body=RequestIn, status=201, roles=BOOKERS)
def create_request() -> tuple[Response, int]:
    body = _body(RequestIn)
    post = post_page(body.post, Ability.BOOK_INSPECTIONS)
    session = get_session()
    created = booking_service.create_request(session, post, _draft(body, body.reference), me(), utcnow(), may_book_for=may_book_for(me()))
    session.commit()
    return _created(out.inspection_request(created), url_for("api.request_detail", code=post.code, reference=created.reference))


@API.route(bp, "POST", "/inspections/offers", summary="The best joint slots for a request, or what blocks them and what would unblock them", tag="inspections", body=OffersIn, roles=BOOKERS)
def offers() -> Response:
    body = _body(OffersIn)
    post = post_page(body.post, Ability.BOOK_INSPECTIONS)
    session, now = get_session(), utcnow()
    if body.request is not None:
        result = booking_service.preview_offers(session, post, _draft(body.request), now, may_book_for=may_book_for(me()), max_offers=body.max_offers)
    else:
        found = booking_service.get_request(session, post, body.reference or "")
        _may_act(found)
        result = booking_service.offers(session, found, now, max_offers=body.max_offers)
    return jsonify(out.offers(result))


def _may_act(found: InspectionRequest) -> None:
    require(any(can_book_for(me(), agency) for agency in found.agencies))


def _booking_to_change(code: str, booking_id: int) -> tuple[Session, Booking]:
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    session = get_session()
    found = booking_service.get_booking(session, post, booking_id)
    _may_act(found.request)
    return session, found


def _choice(offer: OfferIn) -> OfferChoice:
    if offer.parts is not None:
        return OfferChoice(tuple(ChoicePart(part.start, part.resource, dict(part.officers)) for part in offer.parts))
    assert offer.start is not None and offer.resource is not None and offer.officers is not None
    return OfferChoice.joint(offer.start, offer.resource, offer.officers)


@API.route(bp, "POST", "/inspections/bookings", summary="Book an offer; 409 with fresh offers if it was just taken", tag="inspections", body=BookingIn, status=201, roles=BOOKERS)
def book() -> tuple[Response, int]:
    body = _body(BookingIn)
    post = post_page(body.post, Ability.BOOK_INSPECTIONS)
    session = get_session()
    found = booking_service.get_request(session, post, body.reference)
    _may_act(found)
    created = booking_service.confirm(session, found, _choice(body.offer), me(), utcnow())
    session.commit()
    return _created(out.booking(created, with_officers=True), url_for("api.booking", code=post.code, booking_id=created.id))


@API.route(bp, "GET", "/posts/{code}/inspections/bookings/{booking_id:int}", summary="One booking", tag="inspections", roles=EVERYONE)
def booking(code: str, booking_id: int) -> Response:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    found = booking_service.get_booking(get_session(), post, booking_id)
    return jsonify(out.booking(found, with_officers=booking_detail_visible(me())(found)))


@API.route(bp, "POST", "/posts/{code}/inspections/bookings/{booking_id:int}/cancel", summary="Cancel a booking, with a reason", tag="inspections", body=CancelIn, roles=BOOKERS)
def cancel(code: str, booking_id: int) -> Response:
    session, found = _booking_to_change(code, booking_id)
    body = _body(CancelIn)
    booking_service.cancel(session, found, body.reason, me(), utcnow())
    session.commit()
    return jsonify(out.booking(found, with_officers=True))


@API.route(bp, "POST", "/posts/{code}/inspections/bookings/{booking_id:int}/reschedule", summary="Move a booking to another offer, with a reason", tag="inspections", body=RescheduleIn, roles=BOOKERS)
def reschedule(code: str, booking_id: int) -> Response:
    session, found = _booking_to_change(code, booking_id)
    body = _body(RescheduleIn)
    moved = booking_service.reschedule(session, found, _choice(body.offer), body.reason, me(), utcnow())
    session.commit()
    return jsonify(out.booking(moved, with_officers=True))


@API.route(bp, "GET", "/posts/{code}/audit", summary="The post's audit trail, newest first", tag="audit", query=AuditQuery, roles="admin, post manager, auditor")
def audit(code: str) -> Response:
    post = post_page(code, Ability.VIEW_AUDIT)
    query = _query(AuditQuery)
    page = audit_page(get_session(), post, action=query.action, before_id=query.before, size=query.limit)
    return jsonify({"entries": [entry_dict(e) for e in page.entries], "older_than": page.older_than})
