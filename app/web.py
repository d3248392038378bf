"""Helpers the page blueprints share: the post a page is about, what its reader may do there,
query arguments, and rendering with the post's navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app, render_template, request
from sqlalchemy.orm import Session

from app.db import get_session
from app.security import can_book_for, can_manage_post, can_see_officer, me, post_or_404
from app.services import plans as plan_service
from app.services.access import Ability, can
from app.services.errors import InputProblem, InvalidInput
from app.services.pages.common import Clock, clock_for
from models import Booking, BorderPost, Office, Officer, Plan, Role, User, utcnow

MAX_ID = 2**31 - 1  # database integers; larger ids cannot exist
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)

# (endpoint, label, ability needed); the overview is open to everyone who sees the post.
NAVIGATION: tuple[tuple[str, str, Ability | None], ...] = (
    ("posts.overview", "Overview", None),
    ("timeline.show", "Timeline", Ability.VIEW_TIMELINE),
    ("roster.grid", "Roster", Ability.VIEW_ROSTER),
    ("coverage.heatmap", "Coverage", Ability.VIEW_COVERAGE),
    ("plans.index", "Plans", Ability.VIEW_PLANS),
    ("inspections.index", "Inspections", Ability.VIEW_INSPECTIONS),
    ("inspections.bays", "Bays", Ability.VIEW_INSPECTIONS),
    ("exports.calendars", "Calendars", Ability.VIEW_TIMELINE),
    ("admin.audit", "Audit log", Ability.VIEW_AUDIT),
)


def post_page(code: str, ability: Ability | None = None) -> BorderPost:
    """The post, 404 if outside the user's scope; 403 if their role may not use this part."""
    post = post_or_404(code)
    if ability is not None and not can(me(), ability):
        abort(403)
    return post


def refuse_nul_bytes() -> None:
    """No path or query value may hold a NUL byte: PostgreSQL refuses them in text, and none is meaningful."""
    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        abort(400)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def render_page(template: str, post: BorderPost, **context: Any) -> str:
    user = me()
    nav = [(endpoint, label) for endpoint, label, ability in NAVIGATION if ability is None or can(user, ability)]
    return render_template(
        template, post=post, nav=nav, can=lambda name: can(user, Ability(name)), manages=can_manage_post(user, post),
        # Areas other blueprints serve (exports): link to them only where they are installed.
        has_endpoint=lambda name: name in current_app.view_functions, **context,
    )


def arg_day(name: str, default: date) -> date:
    value = request.args.get(name, "")
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([InputProblem(name, f"{value!r} is not a date", "write it as YYYY-MM-DD")]) from None
    # Far-off dates are typing mistakes, and date arithmetic near year 9999 overflows.
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput([InputProblem(name, f"{value} is out of range", f"give a date between {EARLIEST_DAY} and {LATEST_DAY}")])
    return day


def arg_int(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput([InputProblem(name, f"{value!r} is not a whole number", "give a number such as 7")]) from None
    if abs(number) > MAX_ID:
        raise InvalidInput([InputProblem(name, f"{value} is out of range", "give a smaller number")])
    return number


def page_clock(post: BorderPost) -> Clock:
    """The clock the reader asked for (``?zone=``), else their own side's, else the first side's."""
    user = me()
    own = next((side for side in post.sides if side.id == user.side_id), None)
    return clock_for(post, request.args.get("zone") or None, own)


def today(clock: Clock) -> date:
    return clock.local(utcnow()).date()


def include_drafts(user: User) -> bool:
    return can(user, Ability.VIEW_DRAFTS)


def officer_visible(user: User) -> Callable[[Officer], bool]:
    return lambda officer: can_see_officer(user, officer)


def office_visible(user: User) -> Callable[[Office], bool]:
    """Whose staffing figures the user may read: their scope's offices."""

    def visible(office: Office) -> bool:
        if user.role in (Role.ADMIN, Role.AUDITOR):
            return True
        if user.role == Role.POST_MANAGER:
            return user.side_id in (None, office.agency.side_id)
        if user.role == Role.AGENCY_SCHEDULER:
            return user.agency_id == office.agency_id
        return False

    return visible


def booking_detail_visible(user: User) -> Callable[[Booking], bool]:
    """Officers' names on a booking: for the planners of an agency involved, and for its officers."""

    def visible(booking: Booking) -> bool:
        if user.role in (Role.ADMIN, Role.AUDITOR):
            return True
        if user.role == Role.OFFICER:
            return any(part.officer_id == user.officer_id for part in booking.parts)
        if user.role == Role.NEIGHBOUR_VIEWER:
            return False
        return any(can_book_for(user, part.agency) for part in booking.parts)

    return visible


def may_book_for(user: User) -> Callable[[Any], bool]:
    return lambda agency: can_book_for(user, agency)



@dataclass(frozen=True, slots=True)
class PlanPage:
    """What a page drawn from a plan starts with: its reader, their clock, the plan shown
    (``?plan=VERSION``, else the published one) and the versions they may pick from."""

    user: User
    session: Session
    clock: Clock
    plan: Plan | None
    plans: list[Plan]

    def first_day(self, *, from_plan: bool) -> date:
        """``?day=``, else the plan's first day (``from_plan``) or today on the reader's clock."""
        default = self.plan.horizon_start if from_plan and self.plan is not None else today(self.clock)
        return arg_day("day", default)


def plan_page(post: BorderPost) -> PlanPage:
    user, session = me(), get_session()
    drafts = include_drafts(user)
    plan = plan_service.plan_to_show(session, post, arg_int("plan"), include_drafts=drafts)
    return PlanPage(user, session, page_clock(post), plan, plan_service.list_plans(session, post, include_drafts=drafts))
