"""The two-side timeline: both countries' office hours, staffing and joint slots on one axis.

Positions are computed from UTC instants, so a local day of 23 or 25 hours simply takes
less or more room; the axis is labelled on the clock the reader picks, and every change of
either side's UTC offset inside the range gets a marker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.calendars import holidays_between
from app.services.pages.common import (
    Clock,
    OffsetChange,
    check_days,
    format_offset,
    offset_changes,
    overlaps,
)
from models import (
    Booking,
    BookingStatus,
    BorderPost,
    InspectionRequest,
    Office,
    Plan,
    PlannedInspection,
    Side,
)
from solver.timeutil import local_day_bounds, local_to_utc, utc_offset_minutes

MAX_DAYS = 14


@dataclass(frozen=True, slots=True)
class Bar:
    """Something with a start and an end, placed on the axis in percent of its width."""

    left: float
    width: float
    label: str
    title: str
    kind: str  # window, regular, shift-count, joint, proposed, holiday


@dataclass(slots=True)
class Lane:
    key: str
    title: str
    subtitle: str
    bars: list[Bar] = field(default_factory=list)
    staffing: list[Bar] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Tick:
    left: float
    label: str
    day_start: bool


@dataclass(frozen=True, slots=True)
class ZoneMarker:
    left: float
    side_code: str
    change: OffsetChange


@dataclass(slots=True)
class SideLanes:
    side: Side
    lanes: list[Lane]
    holidays: list[Bar]


@dataclass(slots=True)
class Timeline:
    clock: Clock
    first_day: date
    days: int
    start: datetime
    end: datetime
    plan: Plan | None
    from_regular_hours: bool  # no plan: lanes show the offices' regular weekly hours
    sides: list[SideLanes]
    joint: Lane
    ticks: list[Tick]
    markers: list[ZoneMarker]
    offsets: list[tuple[str, str, str]]  # side code, zone, offset at the start

    def as_dict(self) -> dict[str, object]:
        return {
            "zone": self.clock.zone,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "plan": self.plan.version if self.plan else None,
            "from_regular_hours": self.from_regular_hours,
            "offset_changes": [
                {"side": m.side_code, "zone": m.change.zone, "at": m.change.at.isoformat(), "before": format_offset(m.change.before_minutes), "after": format_offset(m.change.after_minutes)}
                for m in self.markers
            ],
            "sides": [
                {
                    "side": entry.side.code,
                    "holidays": [bar.title for bar in entry.holidays],
                    "offices": [{"office": lane.key, "windows": [bar.title for bar in lane.bars], "staffing": [bar.title for bar in lane.staffing]} for lane in entry.lanes],
                }
                for entry in self.sides
            ],
            "joint": [bar.title for bar in self.joint.bars],
        }


class _Axis:
    def __init__(self, start: datetime, end: datetime, clock: Clock) -> None:
        self.start, self.end, self.clock = start, end, clock
        self.total = (end - start).total_seconds()

    def bar(self, start: datetime, end: datetime, label: str, kind: str, title: str = "") -> Bar:
        a, b = max(start, self.start), min(end, self.end)
        left = (a - self.start).total_seconds() / self.total * 100
        width = (b - a).total_seconds() / self.total * 100
        span = f"{self.clock.local(start):%a %d %b %H:%M}–{self.clock.local(end):%H:%M}"
        return Bar(round(left, 4), round(width, 4), label, f"{title or label}: {span} ({self.clock.choice})", kind)

    def at(self, instant: datetime) -> float:
        return round((instant - self.start).total_seconds() / self.total * 100, 4)


def build_timeline(
    session: Session, post: BorderPost, plan: Plan | None, *, first_day: date, days: int, clock: Clock,
    show_staffing: bool, office_visible: Callable[[Office], bool] = lambda _office: True,
) -> Timeline:
    check_days(days, maximum=MAX_DAYS)
    start, end = clock.day_range(first_day, days)
    axis = _Axis(start, end, clock)
    windows = _windows(plan, start, end) if plan is not None else {}
    from_regular = plan is None or not any(windows.values())
    shifts_by_office: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    if show_staffing and plan is not None:
        for shift in plan.shifts:
            if overlaps(shift.start_at, shift.end_at, start, end):
                shifts_by_office[shift.office_id].append((shift.start_at, shift.end_at))
    sides = []
    for side in post.sides:
        lanes = []
        for agency in side.agencies:
            for office in agency.offices:
                lane = Lane(office.code, office.name, f"{agency.code} · {office.facility.value}")
                spans = regular_hours(office, start, end) if from_regular else windows.get(office.id, [])
                kind = "regular" if from_regular else "window"
                lane.bars = [axis.bar(a, b, "open", kind, office.name) for a, b in spans]
                if show_staffing and plan is not None and office_visible(office):
                    lane.staffing = _staffing(office, shifts_by_office[office.id], axis)
                lanes.append(lane)
        holidays = [
            axis.bar(*local_day_bounds(day, side.timezone), name, "holiday", f"{side.code} holiday {name}")
            for day, name in holidays_between(side, first_day - timedelta(days=1), first_day + timedelta(days=days)).items()
            if overlaps(*local_day_bounds(day, side.timezone), start, end)
        ]
        sides.append(SideLanes(side, lanes, holidays))
    joint = Lane("joint", "Joint inspections", "booked, and proposed by the plan")
    joint.bars = _joint(session, post, plan, axis)
    markers = [ZoneMarker(axis.at(change.at), side.code, change) for side in post.sides for change in offset_changes(side.timezone, start, end)]
    offsets = [(side.code, side.timezone, format_offset(utc_offset_minutes(start, side.timezone))) for side in post.sides]
    return Timeline(clock, first_day, days, start, end, plan, from_regular, sides, joint, _ticks(axis, first_day, days), markers, offsets)


def _windows(plan: Plan, start: datetime, end: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    for window in plan.windows:
        if overlaps(window.start_at, window.end_at, start, end):
            found.setdefault(window.office_id, []).append((window.start_at, window.end_at))
    return found


def regular_hours(office: Office, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The office's weekly hours projected onto real instants (its own zone, its own DST)."""
    if office.always_open:
        return [(start, end)]
    zone = office.timezone
    spans = []
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        for hours in office.weekly_hours:
            if hours.weekday == day.weekday():
                a, b = local_to_utc(day, hours.start_minute, zone), local_to_utc(day, hours.end_minute, zone)
                if overlaps(a, b, start, end):
                    spans.append((a, b))
        day += timedelta(days=1)
    return sorted(spans)


def _staffing(office: Office, shifts: list[tuple[datetime, datetime]], axis: _Axis) -> list[Bar]:
    """Officers on duty at the office, hour by hour (counted at each half hour)."""
    bars = []
    hour = axis.start
    while hour < axis.end:
        following = min(hour + timedelta(hours=1), axis.end)
        middle = hour + (following - hour) / 2
        count = sum(1 for a, b in shifts if a <= middle < b)
        if count:
            bars.append(axis.bar(hour, following, str(count), "shift-count", f"{office.code}: {count} on duty"))
        hour = following
    return bars


def _joint(session: Session, post: BorderPost, plan: Plan | None, axis: _Axis) -> list[Bar]:
    bookings = session.scalars(
        select(Booking)
        .where(Booking.post_id == post.id, Booking.status == BookingStatus.CONFIRMED, Booking.end_at > axis.start, Booking.start_at < axis.end)
        .options(selectinload(Booking.request).selectinload(InspectionRequest.agencies), selectinload(Booking.parts))
        .order_by(Booking.start_at)
    ).all()
    bars = [
        axis.bar(b.start_at, b.end_at, b.request.reference, "joint", f"{b.request.reference} ({', '.join(a.code for a in b.request.agencies)})")
        for b in bookings
    ]
    if plan is not None:
        booked = {b.request_id for b in bookings}
        proposed: list[PlannedInspection] = [i for i in plan.inspections if i.request_id not in booked and overlaps(i.start_at, i.end_at, axis.start, axis.end)]
        references = dict(session.execute(select(InspectionRequest.id, InspectionRequest.reference).where(InspectionRequest.id.in_({i.request_id for i in proposed}))).all()) if proposed else {}
        bars += [axis.bar(i.start_at, i.end_at, references.get(i.request_id, "?"), "proposed", f"proposed {references.get(i.request_id, '?')}") for i in proposed]
    return bars


def _ticks(axis: _Axis, first_day: date, days: int) -> list[Tick]:
    """A tick at every local hour of the reader's clock; labels thin out as the range grows."""
    every = 1 if days <= 1 else 3 if days <= 3 else 6 if days <= 7 else 12
    ticks, seen = [], set()
    for offset in range(days + 1):
        day = first_day + timedelta(days=offset)
        for hour in range(0, 24, every):
            instant = local_to_utc(day, hour * 60, axis.clock.zone)
            if instant in seen or not axis.start <= instant <= axis.end:
                continue
            seen.add(instant)
            local = axis.clock.local(instant)
            label = f"{local:%a %d %b}" if hour == 0 else f"{local:%H:%M}"
            ticks.append(Tick(axis.at(instant), label, hour == 0))
    return ticks
