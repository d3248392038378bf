"""Joint inspections: requests with instant offers, booking, cancelling, moving; the bays' day."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.db import get_session
from app.inspections import bp
from app.inspections.forms import BookForm, CancelForm, RequestForm, RescheduleForm
from app.security import can_book_for, me
from app.services import booking as booking_service
from app.services.access import Ability, can
from app.services.errors import Conflict, InputProblem, InvalidInput
from app.services.pages.bays import build_bay_day
from app.services.pages.common import clock_for
from app.web import (
    arg_day,
    booking_detail_visible,
    may_book_for,
    page_clock,
    plan_page,
    post_page,
    render_page,
    require,
    today,
)
from models import BorderPost, InspectionRequest, RequestStatus, utcnow
from solver.timeutil import local_to_utc


@bp.route("/posts/<code>/inspections")
@login_required
def index(code: str) -> str:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    session = get_session()
    status_text = request.args.get("status", "")
    try:
        status = RequestStatus(status_text) if status_text else None
    except ValueError:
        raise InvalidInput([InputProblem("status", f"{status_text!r} is not a request status", "pick one from the list")]) from None
    clock = page_clock(post)
    first = arg_day("day", today(clock))
    start, end = clock.day_range(first, 7)
    requests = booking_service.list_requests(session, post, status=status, arriving_from=start, arriving_to=end)
    may_book = can(me(), Ability.BOOK_INSPECTIONS)
    return render_page("inspections/index.html", post, requests=requests, status=status_text, statuses=list(RequestStatus), first=first, clock=clock, may_book=may_book)


def _request_form(post: BorderPost) -> RequestForm:
    form = RequestForm()
    form.exit_side.choices = [(side.code, side.name) for side in post.sides]
    form.category.choices = [(category.code, category.name) for category in post.categories]
    form.agencies.choices = [(agency.code, f"{agency.code} · {agency.name}") for agency in post.agencies]
    form.arrival_zone.choices = [(side.code, f"{side.name} ({side.timezone})") for side in post.sides] + [("UTC", "UTC")]
    if not form.is_submitted() and me().agency is not None:
        form.agencies.data = [me().agency.code]
    return form


def _draft(post: BorderPost, form: RequestForm) -> booking_service.RequestDraft:
    clock = clock_for(post, form.arrival_zone.data or None)
    local = form.expected_arrival.data
    arrival = local_to_utc(local.date(), local.hour * 60 + local.minute, clock.zone)
    return booking_service.RequestDraft(
        reference=form.reference.data or "", exit_side=form.exit_side.data, category=form.category.data,
        agencies=tuple(form.agencies.data or ()), expected_arrival=arrival, duration_minutes=form.duration_minutes.data,
        max_wait_minutes=form.max_wait_minutes.data, reversal_allowed=bool(form.reversal_allowed.data),
        accepts_out_of_hours=bool(form.accepts_out_of_hours.data), notice_derogation=bool(form.notice_derogation.data),
    )


@bp.route("/posts/<code>/inspections/new", methods=["GET", "POST"])
@login_required
def new(code: str) -> str | Response | tuple[str, int]:
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    form = _request_form(post)
    if form.validate_on_submit():
        session = get_session()
        try:
            created = booking_service.create_request(session, post, _draft(post, form), me(), utcnow(), may_book_for=may_book_for(me()))
        except InvalidInput as error:
            _attach(form, error)
        else:
            session.commit()
            flash(f"Request {created.reference} saved; pick a slot below.", "info")
            return redirect(url_for("inspections.show", code=post.code, reference=created.reference))
    status = 422 if form.is_submitted() else 200
    return render_page("inspections/new.html", post, form=form), status


def _attach(form: RequestForm, error: InvalidInput) -> None:
    for problem in error.problems:
        # "agencies.1" is the second agency ticked: its problem belongs next to the checkboxes.
        target = getattr(form, problem.field.split(".")[0], None)
        message = f"{problem.message}" + (f" — {problem.fix}" if problem.fix else "")
        if target is not None:
            target.errors = [*target.errors, message]  # type: ignore[attr-defined]
        else:
            form.form_errors.append(message)


@bp.route("/posts/<code>/inspections/preview", methods=["POST"])
@login_required
def preview(code: str) -> tuple[str, int]:
    """Offers for the request form as it stands: an HTML fragment the form's script shows."""
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    form = _request_form(post)
    if not form.validate_on_submit():
        problems = [f"{getattr(form, name).label.text}: {'; '.join(errors)}" for name, errors in form.errors.items() if name not in ("reference", "csrf_token")]
        if "csrf_token" in form.errors:
            return render_template("inspections/_offers.html", result=None, problems=["The form expired; reload the page."]), 400
        if problems:
            return render_template("inspections/_offers.html", result=None, problems=problems), 422
    try:
        result = booking_service.preview_offers(get_session(), post, _draft(post, form), utcnow(), may_book_for=may_book_for(me()))
    except InvalidInput as error:
        return render_template("inspections/_offers.html", result=None, problems=[str(p) for p in error.problems]), 422
    return render_template("inspections/_offers.html", result=result, problems=[], clock=page_clock(post), bookable=False), 200


def _request_page(post: BorderPost, found: InspectionRequest, status: int = 200, conflict: Conflict | None = None) -> tuple[str, int]:
    user, session = me(), get_session()
    may_act = can(user, Ability.BOOK_INSPECTIONS) and any(can_book_for(user, agency) for agency in found.agencies)
    confirmed = booking_service.confirmed_booking(found)
    result = booking_service.offers(session, found, utcnow()) if may_act and found.status == RequestStatus.PENDING else None
    clock = clock_for(post, request.args.get("zone") or None, found.exit_side)
    return render_page(
        "inspections/show.html", post, item=found, confirmed=confirmed, result=result, may_act=may_act, clock=clock,
        book_form=BookForm(), cancel_form=CancelForm(), detail_visible=booking_detail_visible(user),
        earliest=booking_service.earliest_start(session, found, utcnow()), conflict=conflict,
    ), status


@bp.route("/posts/<code>/inspections/<reference>")
@login_required
def show(code: str, reference: str) -> tuple[str, int]:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    return _request_page(post, booking_service.get_request(get_session(), post, reference))


def _actionable(post: BorderPost, found: InspectionRequest) -> None:
    user = me()
    require(can(user, Ability.BOOK_INSPECTIONS) and any(can_book_for(user, agency) for agency in found.agencies))


@bp.route("/posts/<code>/inspections/<reference>/book", methods=["POST"])
@login_required
def book(code: str, reference: str) -> Response | tuple[str, int]:
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    session = get_session()
    found = booking_service.get_request(session, post, reference)
    _actionable(post, found)
    form = BookForm()
    if not form.validate_on_submit():
        raise InvalidInput([InputProblem("offer", "no offer was picked", "press Book next to an offer")])
    try:
        booking = booking_service.confirm(session, found, booking_service.parse_offer_key(form.offer.data), me(), utcnow())
    except Conflict as conflict:
        session.rollback()
        flash(str(conflict), "error")
        return _request_page(post, booking_service.get_request(session, post, reference), 409, conflict)
    session.commit()
    flash(f"Booked {found.reference}: {booking.start_at:%d %b %H:%M} UTC at {booking.parts[0].resource.code}.", "info")
    return redirect(url_for("inspections.show", code=post.code, reference=found.reference))


@bp.route("/posts/<code>/inspections/bookings/<int(max=2147483647):booking_id>/cancel", methods=["POST"])
@login_required
def cancel(code: str, booking_id: int) -> Response:
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    session = get_session()
    booking = booking_service.get_booking(session, post, booking_id)
    _actionable(post, booking.request)
    form = CancelForm()
    if not form.validate_on_submit():
        raise InvalidInput([InputProblem("reason", "a reason is needed", "say why the booking is cancelled")])
    booking_service.cancel(session, booking, form.reason.data or "", me(), utcnow())
    session.commit()
    flash(f"Booking of {booking.request.reference} cancelled.", "info")
    return redirect(url_for("inspections.show", code=post.code, reference=booking.request.reference))


@bp.route("/posts/<code>/inspections/bookings/<int(max=2147483647):booking_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule(code: str, booking_id: int) -> str | Response | tuple[str, int]:
    post = post_page(code, Ability.BOOK_INSPECTIONS)
    session = get_session()
    booking = booking_service.get_booking(session, post, booking_id)
    _actionable(post, booking.request)
    form = RescheduleForm()
    status = 200
    if form.validate_on_submit():
        try:
            moved = booking_service.reschedule(session, booking, booking_service.parse_offer_key(form.offer.data), form.reason.data or "", me(), utcnow())
        except Conflict as conflict:
            session.rollback()
            flash(str(conflict), "error")
            status = 409
            booking = booking_service.get_booking(session, post, booking_id)
        else:
            session.commit()
            flash(f"Booking of {booking.request.reference} moved to {moved.start_at:%d %b %H:%M} UTC.", "info")
            return redirect(url_for("inspections.show", code=post.code, reference=booking.request.reference))
    elif form.is_submitted():
        status = 422
    result = booking_service.offers(session, booking.request, utcnow(), moving=booking, max_offers=6)
    clock = clock_for(post, request.args.get("zone") or None, booking.request.exit_side)
    return render_page("inspections/reschedule.html", post, booking=booking, form=form, result=result, clock=clock), status


@bp.route("/posts/<code>/bays")
@login_required
def bays(code: str) -> str:
    post = post_page(code, Ability.VIEW_INSPECTIONS)
    page = plan_page(post)
    day = build_bay_day(page.session, post, page.plan, day=page.first_day(from_plan=False), clock=page.clock, detail_visible=booking_detail_visible(page.user))
    return render_page("inspections/bays.html", post, bay_day=day, clock=page.clock)
