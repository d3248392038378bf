"""Plan downloads, token feeds, the calendars page (subscriptions, push targets, neighbour
closures) and the plan page's CalDAV sync button. Views parse, call one service, commit."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_login import login_required
from sqlalchemy.exc import IntegrityError, OperationalError

from app import settings_of
from app.db import get_session
from app.exports import bp
from app.security import can_edit_side, can_manage_post, me
from app.services import caldav_sync, feeds, ics_import, tables
from app.services import plans as plan_service
from app.services.access import Ability, can
from app.services.errors import InputProblem, InvalidInput
from app.web import include_drafts, post_page, render_page, require
from models import BorderPost, CalendarKind, Officer, Role, Side, User, utcnow

log = logging.getLogger(__name__)

MEDIA_TYPES = {
    "ics": "text/calendar; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def feed_settings() -> feeds.FeedSettings:
    return feeds.FeedSettings.from_config(settings_of(current_app))


def selection_from(values, user: User, post: BorderPost) -> feeds.Selection:  # type: ignore[no-untyped-def]
    """The selection asked for (``calendar``, ``side``, ``agency``, ``office``, ``officer``,
    ``bay``), narrowed to what the user's role and scope may see; outside it answers 404."""
    kinds = [value for value in values.getlist("calendar") if value] or None
    selection = feeds.Selection.of(
        kinds, side=values.get("side"), agency=values.get("agency"), office=values.get("office"),
        officer=values.get("officer"), bay=values.get("bay"),
    )
    session = get_session()
    codes = selection.codes()
    if user.role == Role.ADMIN or (user.role in (Role.POST_MANAGER, Role.AUDITOR) and user.side_id is None):
        return selection
    # A neighbour viewer's side is their own administration; they read both sides' hours.
    if user.side_id is not None and user.role != Role.NEIGHBOUR_VIEWER:
        side = session.get(Side, user.side_id)
        if codes["side"] not in (None, side.code if side else None):
            abort(404)
        codes["side"] = side.code if side else None
    if user.role == Role.AGENCY_SCHEDULER and user.agency is not None:
        if codes["agency"] not in (None, user.agency.code):
            abort(404)
        codes["agency"] = user.agency.code
    if user.role == Role.OFFICER:
        officer = session.get(Officer, user.officer_id) if user.officer_id else None
        if officer is None or codes["officer"] not in (None, officer.code):
            abort(404)
        codes["officer"] = officer.code
    kinds_allowed = list(selection.kinds)
    if not can(user, Ability.VIEW_ROSTER):
        kinds_allowed = [kind for kind in kinds_allowed if kind != CalendarKind.SHIFTS]
        if not kinds_allowed:
            abort(404)
    return feeds.Selection.of([kind.value for kind in kinds_allowed], staff_names=user.role != Role.NEIGHBOUR_VIEWER, **codes)


@bp.route("/posts/<code>/plans/<int:version>/export.<any(ics, csv, xlsx):fmt>")
@login_required
def download(code: str, version: int, fmt: str) -> Response:
    """The plan as a file: ``?calendar=hours|shifts|inspections&side=&agency=&officer=``."""
    post = post_page(code, Ability.VIEW_TIMELINE)
    user, session = me(), get_session()
    plan = plan_service.get_plan(session, post, version, include_drafts=include_drafts(user))
    selection = selection_from(request.args, user, post)
    body = tables.export(session, plan, selection, fmt, feed_settings())
    name = tables.export_file_name(post.code, plan.version, selection, fmt)
    return Response(body, mimetype=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/feeds/<token>.ics")
def feed(token: str) -> Response:
    """A subscriber's calendar. Unknown or revoked token: 404. Failure: 503, never an empty calendar."""
    session = get_session()
    subscription = feeds.active_subscription(session, token)
    if subscription is None:
        abort(404)
    try:
        state = _synced_feed_state(subscription, token)
        if request.if_none_match.contains(state.etag) or (
            not request.if_none_match and request.if_modified_since is not None and state.last_modified.replace(microsecond=0) <= request.if_modified_since
        ):
            response = Response(status=304)
        else:
            response = Response(feeds.feed_body(session, state), mimetype="text/calendar")
            response.headers["Content-Type"] = MEDIA_TYPES["ics"]
            response.headers["Content-Disposition"] = f'inline; filename="{subscription.post.code}.ics"'
        session.commit()
    except Exception:  # a calendar client must never be told that every event was removed
        log.exception("feed %s failed", subscription.id)
        session.rollback()
        return Response("The calendar is unavailable just now; your calendar keeps its events. Try again later.\n", status=503, mimetype="text/plain", headers={"Retry-After": "300"})
    response.set_etag(state.etag)
    response.last_modified = state.last_modified
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _synced_feed_state(subscription, token: str) -> feeds.FeedState:  # type: ignore[no-untyped-def]
    session = get_session()
    try:
        return feeds.feed_state(session, subscription, token, feed_settings(), utcnow())
    except (IntegrityError, OperationalError):
        # Two clients fetched a changed calendar at once and the other one wrote it first.
        session.rollback()
        return feeds.feed_state(session, subscription, token, feed_settings(), utcnow())


# -- the calendars page ------------------------------------------------------------------------


def _page(post: BorderPost, status: int = 200, **extra: object) -> tuple[str, int]:
    user, session = me(), get_session()
    subscriptions = [s for s in feeds.subscriptions(session, post) if can_manage_post(user, post) or s.created_by_id == user.id]
    manages = can_manage_post(user, post) or any(can_edit_side(user, side) for side in post.sides)
    targets = caldav_sync.push_targets(session, post) if manages else []
    published = feeds.published_plan(session, post.id)
    return render_page(
        "exports/calendars.html", post, subscriptions=subscriptions, targets=targets, may_manage=manages, published=published,
        kinds=[kind.value for kind in CalendarKind], today=date.today(), **extra,
    ), status


@bp.route("/posts/<code>/calendars")
@login_required
def calendars(code: str) -> tuple[str, int]:
    return _page(post_page(code, Ability.VIEW_TIMELINE))


@bp.route("/posts/<code>/calendars/feeds", methods=["POST"])
@login_required
def create_feed(code: str) -> tuple[str, int]:
    post = post_page(code, Ability.VIEW_TIMELINE)
    user, session = me(), get_session()
    selection = selection_from(request.form, user, post)
    subscription, token = feeds.create_subscription(session, post, selection, request.form.get("label", ""), user)
    session.commit()
    return _page(post, 201, new_feed_url=feeds.feed_url(feed_settings(), token), new_feed=subscription)


@bp.route("/posts/<code>/calendars/feeds/<int:subscription_id>/revoke", methods=["POST"])
@login_required
def revoke_feed(code: str, subscription_id: int) -> Response:
    post = post_page(code, Ability.VIEW_TIMELINE)
    user, session = me(), get_session()
    subscription = feeds.subscription_of_post(session, post, subscription_id)
    if not (can_manage_post(user, post) or subscription.created_by_id == user.id):
        abort(404)
    feeds.revoke_subscription(session, subscription, user, utcnow())
    session.commit()
    flash(f"Feed “{subscription.label}” is revoked; its address now answers 404.", "info")
    return redirect(url_for("exports.calendars", code=post.code))


def _require_side_manager(post: BorderPost, side_code: str) -> None:
    side = next((side for side in post.sides if side.code == side_code), None)
    if side is None:
        raise InvalidInput([InputProblem("side", f"{post.code} has no side {side_code!r}", "choose one of the post's sides")])
    require(can_edit_side(me(), side))


@bp.route("/posts/<code>/calendars/targets", methods=["POST"])
@login_required
def create_target(code: str) -> Response:
    post = post_page(code, Ability.VIEW_TIMELINE)
    _require_side_manager(post, request.form.get("side", ""))
    session = get_session()
    target = caldav_sync.create_push_target(
        session, post, name=request.form.get("name", ""), side_code=request.form.get("side", ""), url=request.form.get("url", ""),
        username=request.form.get("username", ""), password_ref=request.form.get("password_ref", ""),
        kinds=[value for value in request.form.getlist("calendar") if value] or None, user=me(),
    )
    session.commit()
    flash(f"Push target {target.name} saved; push a published plan to it with the sync button.", "info")
    return redirect(url_for("exports.calendars", code=post.code))


@bp.route("/posts/<code>/calendars/targets/<int:target_id>/delete", methods=["POST"])
@login_required
def delete_target(code: str, target_id: int) -> Response:
    post = post_page(code, Ability.VIEW_TIMELINE)
    session = get_session()
    target = caldav_sync.push_target_of_post(session, post, target_id)
    require(can_edit_side(me(), target.side))
    caldav_sync.remove_push_target(session, target, me())
    session.commit()
    flash(f"Push target {target.name} removed (the neighbour's server keeps what it received).", "info")
    return redirect(url_for("exports.calendars", code=post.code))


@bp.route("/posts/<code>/plans/<int:version>/sync", methods=["POST"])
@login_required
def sync(code: str, version: int) -> Response:
    """The plan page's sync button: queue a push of this plan to the post's push targets."""
    post = post_page(code, Ability.VIEW_PLANS)
    user, session = me(), get_session()
    plan = plan_service.get_plan(session, post, version, include_drafts=False)
    wanted = request.form.get("target", type=int)
    targets = [t for t in caldav_sync.push_targets(session, post) if t.active and (wanted is None or t.id == wanted) and can_edit_side(user, t.side)]
    if not targets:
        abort(404)
    queued = [caldav_sync.enqueue_push(session, target, feed_settings(), user, plan=plan) for target in targets]
    session.commit()
    flash(f"Push of plan v{plan.version} queued for {', '.join(t.name for t in targets)} (job {', '.join(str(j.id) for j in queued)}).", "info")
    return redirect(url_for("plans.show", code=post.code, version=plan.version))


@bp.route("/posts/<code>/calendars/closures", methods=["POST"])
@login_required
def import_closures(code: str) -> Response:
    """A neighbour's calendar of closures, uploaded or fetched from a URL, for their side."""
    post = post_page(code, Ability.VIEW_TIMELINE)
    require(can_manage_post(me(), post) or any(can_edit_side(me(), side) for side in post.sides))
    session = get_session()
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data, source = upload.read(ics_import.MAX_BYTES + 1), upload.filename
    elif request.form.get("url"):
        data, source = ics_import.read_source(request.form["url"])
    else:
        raise InvalidInput([InputProblem("file", "no calendar given", "choose an .ics file or give its URL")])
    first = _form_date("from", date.today())
    last = _form_date("to", first + timedelta(days=366))
    result = ics_import.import_closures(session, post, request.form.get("side", ""), data, source, first_day=first, last_day=last, user=me())
    session.commit()
    flash(result.summary(), "info")
    for skipped in result.skipped[:20]:
        flash(f"Skipped {skipped.summary or skipped.uid}: {skipped.reason}", "warning")
    return redirect(url_for("exports.calendars", code=post.code))


def _form_date(name: str, default: date) -> date:
    value = request.form.get(name, "")
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([InputProblem(name, f"{value!r} is not a date", "write it as YYYY-MM-DD")]) from None
