"""A post at a glance: who is open now on each side, staffing against demand, joint
inspections booked today and this week, and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.services import plans as plan_service
from app.services.calendars import holidays_between
from app.services.pages.common import offset_changes, post_day_range
from app.services.pages.timeline import regular_hours
from models import (
    Booking,
    BookingStatus,
    BorderPost,
    HoursOverride,
    InspectionRequest,
    Office,
    Plan,
    PlanStatus,
    RequestStatus,
    Side,
)
from solver.timeutil import utc_to_local

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str  # holiday, dst, plan, staffing, hours
    message: str


@dataclass(frozen=True, slots=True)
class OfficeNow:
    office: Office
    open_now: bool
    next_change: datetime | None  # when it next opens or closes, within a week
    next_change_local: str
    on_duty: int | None
    required: int | None


@dataclass(slots=True)
class SideNow:
    side: Side
    offices: list[OfficeNow] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for office in self.offices if office.open_now)


@dataclass(slots=True)
class Overview:
    now: datetime
    plan: Plan | None
    sides: list[SideNow]
    bookings_today: int
    bookings_week: int
    next_bookings: list[Booking]
    pending_requests: int
    notices: list[Notice]

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "plan": None if self.plan is None else {"version": self.plan.version, "status": self.plan.status.value},
            "sides": [
                {
                    "side": s.side.code,
                    "local_time": utc_to_local(self.now, s.side.timezone).isoformat(),
                    "offices": [
                        {"office": o.office.code, "open": o.open_now, "next_change": o.next_change.isoformat() if o.next_change else None, "on_duty": o.on_duty, "required": o.required}
                        for o in s.offices
                    ],
                }
                for s in self.sides
            ],
            "bookings_today": self.bookings_today,
            "bookings_week": self.bookings_week,
            "pending_requests": self.pending_requests,
            "warnings": [{"kind": n.kind, "message": n.message} for n in self.notices],
        }


def build_overview(session: Session, post: BorderPost, now: datetime, *, include_drafts: bool, show_staffing: bool) -> Overview:
    published = plan_service.published_plan(session, post)
    latest = plan_service.latest_plan(session, post)
    plan = published or (latest if include_drafts else None)
    windows = _plan_windows(plan, now)
    on_duty, required = (_staffing_now(plan, now) if plan is not None and show_staffing else ({}, {}))
    sides = []
    for side in post.sides:
        entry = SideNow(side)
        for agency in side.agencies:
            for office in agency.offices:
                spans = windows.get(office.id) if windows else regular_hours(office, now - WEEK, now + WEEK)
                entry.offices.append(_office_now(office, spans or [], now, on_duty.get(office.id) if show_staffing and plan else None, required.get(office.id) if show_staffing and plan else None))
        sides.append(entry)
    today_start, today_end = post_day_range(post, utc_to_local(now, post.sides[0].timezone).date(), 1)
    confirmed = select(func.count()).select_from(Booking).where(Booking.post_id == post.id, Booking.status == BookingStatus.CONFIRMED)
    bookings_today = session.scalar(confirmed.where(Booking.start_at < today_end, Booking.end_at > max(today_start, now - timedelta(hours=12)))) or 0
    bookings_week = session.scalar(confirmed.where(Booking.start_at >= now, Booking.start_at < now + WEEK)) or 0
    next_bookings = list(session.scalars(
        select(Booking).where(Booking.post_id == post.id, Booking.status == BookingStatus.CONFIRMED, Booking.end_at > now)
        .options(selectinload(Booking.request).selectinload(InspectionRequest.agencies), selectinload(Booking.parts)).order_by(Booking.start_at).limit(5)
    ))
    pending = session.scalar(select(func.count()).select_from(InspectionRequest).where(InspectionRequest.post_id == post.id, InspectionRequest.status == RequestStatus.PENDING)) or 0
    notices = _notices(session, post, now, published, latest if include_drafts else None)
    if show_staffing and plan is not None:
        notices += [
            Notice("staffing", f"{o.office.name}: {o.on_duty} on duty, {o.required} needed now")
            for s in sides for o in s.offices if o.required is not None and (o.on_duty or 0) < o.required
        ]
    return Overview(now, plan, sides, bookings_today, bookings_week, next_bookings, pending, notices)


def _plan_windows(plan: Plan | None, now: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    if plan is None:
        return {}
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    for window in plan.windows:
        if window.end_at > now - WEEK and window.start_at < now + WEEK:
            found.setdefault(window.office_id, []).append((window.start_at, window.end_at))
    return found


def _staffing_now(plan: Plan, now: datetime) -> tuple[dict[int, int], dict[int, int]]:
    on_duty: dict[int, int] = {}
    for shift in plan.shifts:
        if shift.start_at <= now < shift.end_at:
            on_duty[shift.office_id] = on_duty.get(shift.office_id, 0) + 1
    required: dict[int, int] = {}
    for need in plan.needs:
        if need.start_at <= now < need.end_at and need.skill_id is None:
            required[need.office_id] = required.get(need.office_id, 0) + need.required
    for need in plan.needs:
        if need.start_at <= now < need.end_at and need.skill_id is not None and need.office_id not in required:
            required[need.office_id] = max(required.get(need.office_id, 0), need.required)
    return on_duty, required


def _office_now(office: Office, spans: list[tuple[datetime, datetime]], now: datetime, on_duty: int | None, required: int | None) -> OfficeNow:
    spans = sorted(spans)
    current = next((span for span in spans if span[0] <= now < span[1]), None)
    if current is not None:
        following = current[1]
        # Back-to-back windows read as one opening.
        for a, b in spans:
            if a <= following < b:
                following = b
        change = following
    else:
        change = next((a for a, _b in spans if a > now), None)
    if change is not None and change - now > WEEK:
        change = None
    label = ""
    if change is not None:
        local = utc_to_local(change, office.timezone)
        label = f"{'closes' if current else 'opens'} {local:%a %H:%M}"
    elif current is not None:
        label = "open all week"
    return OfficeNow(office, current is not None, change, label, on_duty if on_duty is not None or required is not None else None, required)


def _notices(session: Session, post: BorderPost, now: datetime, published: Plan | None, latest: Plan | None) -> list[Notice]:
    notices = []
    first = utc_to_local(now, post.sides[0].timezone).date()
    holidays = {side.code: holidays_between(side, first, first + timedelta(days=6)) for side in post.sides}
    for side in post.sides:
        others = [code for code in holidays if code != side.code]
        for day, name in holidays[side.code].items():
            if all(day not in holidays[other] for other in others):
                notices.append(Notice("holiday", f"{day:%a %d %b}: {name} in {side.name} only; the other side works"))
    for side in post.sides:
        for change in offset_changes(side.timezone, now, now + WEEK):
            local = utc_to_local(change.at, side.timezone)
            notices.append(Notice("dst", f"{side.name}: clocks change {local:%a %d %b at %H:%M} — {change.message}"))
    if published is None:
        notices.append(Notice("plan", "No plan is published: officers, traders and the neighbouring administration see no confirmed hours."))
    else:
        horizon_end = published.horizon_start + timedelta(days=published.horizon_days)
        if horizon_end <= first + timedelta(days=7):
            notices.append(Notice("plan", f"The published plan v{published.version} ends on {horizon_end:%a %d %b}; plan the following weeks."))
    if latest is not None and latest.status == PlanStatus.DRAFT and (published is None or latest.version > published.version):
        notices.append(Notice("plan", f"Draft plan v{latest.version} is not published yet."))
    if latest is not None and latest.status == PlanStatus.INFEASIBLE:
        notices.append(Notice("plan", f"The latest plan run (v{latest.version}) found no feasible plan; its explanations say why."))
    unconfirmed = session.scalars(
        select(HoursOverride).where(HoursOverride.post_id == post.id, HoursOverride.confirmed.is_(False), HoursOverride.valid_from <= first + timedelta(days=14), HoursOverride.valid_to >= first)
    ).all()
    notices += [Notice("hours", f"{o.name} ({o.valid_from:%d %b}–{o.valid_to:%d %b}): dates not yet confirmed") for o in unconfirmed]
    return notices
