"""The coordinated opening-hours problem and its solution: typed, frozen, prepared for modelling.

A problem is what the service layer hands the engine for one border post: both sides with
their calendars, every office of every agency with its regular hours and rules (already
resolved from post, side and agency settings), the forecast traffic per direction and cargo
category, what was published before, and what the neighbour has announced.

Time. The engine decides on a grid of 15-minute slots in real (UTC) time. The grid starts
at the earliest local midnight of ``first_day`` among the offices' zones and the plan ends at
the latest local midnight after the last day, so every office's local days are covered
whole; a grid of 15 minutes works for every zone in use today, including Asia/Kathmandu
(+5:45), and preparation refuses a zone whose midnight falls between two slots. After the
plan comes a run-out (``runout_hours``) in which offices keep their reference hours and no
new trucks are counted: trucks that arrived during the plan are followed until they clear.
Local wall-clock rules (regular hours, overrides) become UTC instants here, through
``solver.timeutil``, once, so that the model and the checker read the same instants.

Traffic. Trucks are counted in hundredths (``CENTI``) so that expected, fractional arrivals
stay integers; every arrival count is spread evenly over the slots of its interval.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from solver.config import SolveStats, SolveStatus
from solver.rules import HARD, Enforcement, Violation
from solver.timeutil import local_day_bounds, local_to_utc, utc_to_local, zone

SLOT_MINUTES = 15
SLOT = timedelta(minutes=SLOT_MINUTES)
SLOTS_PER_HOUR = 60 // SLOT_MINUTES
CENTI = 100
MAX_DAYS = 12 * 7

DayType = Literal["working", "weekend", "holiday"]


def require_utc(instant: datetime, what: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() != timedelta(0):
        raise ValueError(f"{what} must be an aware UTC datetime, got {instant!r}")


def _require_on_grid(instant: datetime, what: str) -> None:
    if (instant - datetime(2000, 1, 1, tzinfo=UTC)) % SLOT:
        raise ValueError(f"{what} ({instant.isoformat()}) is not on the 15-minute grid")


def _require_quarter(minutes: int, what: str) -> None:
    if minutes < 0 or minutes % SLOT_MINUTES:
        raise ValueError(f"{what} must be a non-negative multiple of 15 minutes, got {minutes}")


# --- Local wall-clock hours -------------------------------------------------------------------


_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalWindow:
    """A window in local wall-clock minutes after midnight; ``end_minute`` may pass 1440
    for a window that runs into the next day (22:00-06:00 is 1320-1800)."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        _require_quarter(self.start_minute, "a window's start")
        _require_quarter(self.end_minute, "a window's end")
        if not 0 <= self.start_minute < 1440:
            raise ValueError("a window starts within its day")
        if not self.start_minute < self.end_minute <= self.start_minute + 1440:
            raise ValueError("a window ends after it starts and lasts at most a day")

    @classmethod
    def parse(cls, text: str) -> LocalWindow:
        """``"08:00-17:30"``; an end at or before the start means the next day."""
        match = _CLOCK.match(text)
        if not match:
            raise ValueError(f"not a window like 08:00-17:30: {text!r}")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            end += 1440
        return cls(start_minute=start, end_minute=end)

    def label(self) -> str:
        def clock(minute: int) -> str:
            return f"{minute // 60 % 24:02d}:{minute % 60:02d}"

        return f"{clock(self.start_minute)}-{clock(self.end_minute)}"


def windows(*texts: str) -> tuple[LocalWindow, ...]:
    return tuple(LocalWindow.parse(text) for text in texts)


@dataclass(frozen=True, slots=True, kw_only=True)
class WeeklyHours:
    """Hours by weekday (``days[0]`` is Monday), in the office's local time.

    ``holidays`` are the hours on the side's public holidays; ``None`` means a holiday keeps
    the hours of its weekday (a 24/7 office), an empty tuple that the office is closed.
    """

    days: tuple[tuple[LocalWindow, ...], ...]
    holidays: tuple[LocalWindow, ...] | None = ()

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("weekly hours give one entry per weekday, Monday first")

    @classmethod
    def every_day(
        cls, *day_windows: LocalWindow, holidays: tuple[LocalWindow, ...] | None = ()
    ) -> WeeklyHours:
        return cls(days=(tuple(day_windows),) * 7, holidays=holidays)

    @classmethod
    def around_the_clock(cls) -> WeeklyHours:
        return cls(days=((LocalWindow(start_minute=0, end_minute=1440),),) * 7, holidays=None)

    @classmethod
    def working_week(
        cls,
        weekday_windows: tuple[LocalWindow, ...],
        *,
        weekend_days: frozenset[int] = frozenset({5, 6}),
        weekend_windows: tuple[LocalWindow, ...] = (),
        holidays: tuple[LocalWindow, ...] | None = (),
    ) -> WeeklyHours:
        return cls(
            days=tuple(
                weekend_windows if weekday in weekend_days else weekday_windows
                for weekday in range(7)
            ),
            holidays=holidays,
        )

    def on(self, day: date, day_type: DayType) -> tuple[LocalWindow, ...]:
        if day_type == "holiday" and self.holidays is not None:
            return self.holidays
        return self.days[day.weekday()]


@dataclass(frozen=True, slots=True, kw_only=True)
class HoursOverride:
    """Date-ranged hours (Ramadan, a season) that replace the regular hours on local days
    ``first_day``..``last_day`` inclusive. With ``exclusive`` set, the office may open only
    within them on those days (hard, or soft per hour opened outside them)."""

    label: str
    first_day: date
    last_day: date
    hours: WeeklyHours
    exclusive: Enforcement | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"date-ranged hours {self.label!r} end before they start")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True, kw_only=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """One country's side of the post: its code, public holidays and weekend days
    (0 = Monday ... 6 = Sunday), as the service computed them with the ``holidays`` package."""

    code: str
    name: str
    holidays: tuple[Holiday, ...] = ()
    weekend_days: frozenset[int] = frozenset({5, 6})

    def __post_init__(self) -> None:
        if not self.weekend_days <= frozenset(range(7)):
            raise ValueError("weekend days are weekdays 0 (Monday) to 6 (Sunday)")

    def holiday_name(self, day: date) -> str | None:
        for holiday in self.holidays:
            if holiday.day == day:
                return holiday.name
        return None

    def day_type(self, day: date) -> DayType:
        if self.holiday_name(day) is not None:
            return "holiday"
        return "weekend" if day.weekday() in self.weekend_days else "working"


# --- Real-time windows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeWindow:
    """[start, end) in UTC, on the 15-minute grid, with what users call it."""

    start: datetime
    end: datetime
    label: str = ""

    def __post_init__(self) -> None:
        require_utc(self.start, "a window's start")
        require_utc(self.end, "a window's end")
        _require_on_grid(self.start, "a window's start")
        _require_on_grid(self.end, "a window's end")
        if self.end <= self.start:
            raise ValueError(f"window {self.label or self.start.isoformat()} ends before it starts")

    @property
    def hours(self) -> float:
        return (self.end - self.start) / timedelta(hours=1)


def expand_local(
    first_day: date,
    days: int,
    zone_name: str,
    hours: WeeklyHours,
    *,
    label: str,
    day_type: DayType = "working",
) -> tuple[TimeWindow, ...]:
    """The UTC windows of a weekly local template over ``days`` local days from ``first_day``.

    For the service: a "never open 20:00-06:00" rule of a day-only lab or a "must open
    06:00-22:00" window becomes real-time windows this way. Holidays are not consulted;
    ``day_type`` says which of the template's entries applies to every day.
    """
    result: list[TimeWindow] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for window in hours.on(day, day_type):
            start = local_to_utc(day, window.start_minute, zone_name)
            end = local_to_utc(day, window.end_minute, zone_name)
            if end > start:
                result.append(TimeWindow(start=start, end=end, label=label))
    return tuple(result)


# --- Rules of an office -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockRules:
    """Shape of an office's opening: at most ``max_blocks_per_day`` blocks starting on one
    local day, each at least ``min_block_minutes`` long, and no closed break between two
    blocks shorter than ``min_fragment_minutes``. ``block_cost`` is what each block costs
    (fragmentation), per block."""

    max_blocks_per_day: int = 2
    max_blocks: Enforcement = HARD
    min_block_minutes: int = 120
    min_block: Enforcement = HARD
    min_fragment_minutes: int = 60
    min_fragment: Enforcement = HARD
    block_cost: int = 0

    def __post_init__(self) -> None:
        if self.max_blocks_per_day < 1:
            raise ValueError("an office may open at least one block a day")
        _require_quarter(self.min_block_minutes, "the minimum block length")
        _require_quarter(self.min_fragment_minutes, "the minimum fragment")
        if self.block_cost < 0:
            raise ValueError("a block's cost cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffingCapacity:
    """The most open time the agency's officers can staff at this office, with a full crew,
    per local day, per week (7-day blocks from the plan's first day) and over the whole plan
    (the hours budgeted for the office this period).

    ``solver.hours.capacity.staffing_capacity`` derives the first two from the officer pool
    and the labour rules; ``None`` leaves a limit off.
    """

    max_open_minutes_per_day: int | None = None
    max_open_minutes_per_week: int | None = None
    max_open_minutes_in_plan: int | None = None
    enforcement: Enforcement = HARD

    def __post_init__(self) -> None:
        for limit in (self.max_open_minutes_per_day, self.max_open_minutes_per_week,
                      self.max_open_minutes_in_plan):
            if limit is not None and limit < 0:
                raise ValueError("a staffing capacity cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrelationRule:
    """RKC Standard 3.3 between counterpart offices across the border, per local day of the
    first office of the pair (by id): the two are open together for at least
    ``min_share_percent`` of each one's open time, and, on a day either opens, for at least
    ``min_overlap_minutes``."""

    min_share_percent: int = 0
    share: Enforcement = HARD
    min_overlap_minutes: int = 0
    overlap: Enforcement = HARD

    def __post_init__(self) -> None:
        if not 0 <= self.min_share_percent <= 100:
            raise ValueError("a share is a percentage from 0 to 100")
        _require_quarter(self.min_overlap_minutes, "the minimum daily overlap")


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    """One office of one agency at the post, with its rules resolved for it.

    ``crew`` is the number of officers on duty while the office is open: staff hours are
    crew x open hours, and the clearance capacity of its checks comes out of the crew.
    ``officer_hour_cost`` and ``out_of_hours_premium`` are per officer-hour, the premium paid
    on top for open time outside the regular hours of the day (RKC Standard 3.2).
    ``step_minutes`` is the granularity of its opening and closing times (15, 30 or 60),
    aligned to its local clock.
    """

    id: str
    name: str
    agency_id: str
    agency_kind: str
    agency_name: str
    side: str
    zone: str
    regular_hours: WeeklyHours
    counterpart_id: str | None = None
    joint_controls: bool = False
    joint_controls_rule: Enforcement = HARD
    correlation: CorrelationRule | None = None
    overrides: tuple[HoursOverride, ...] = ()
    always_open: bool = False
    mandatory: tuple[TimeWindow, ...] = ()
    mandatory_rule: Enforcement = HARD
    never_open: tuple[TimeWindow, ...] = ()
    never_open_rule: Enforcement = HARD
    closed_on_holidays: Enforcement | None = None
    closed_on_weekends: Enforcement | None = None
    blocks: BlockRules = BlockRules()
    step_minutes: int = SLOT_MINUTES
    staffing: StaffingCapacity = StaffingCapacity()
    crew: int = 1
    officer_hour_cost: int = 0
    out_of_hours_premium: int = 0

    def __post_init__(self) -> None:
        zone(self.zone)
        if self.step_minutes not in (15, 30, 60):
            raise ValueError(f"{self.name}: opening times step by 15, 30 or 60 minutes")
        if self.crew < 1:
            raise ValueError(f"{self.name}: an open office has at least one officer on duty")
        if self.officer_hour_cost < 0 or self.out_of_hours_premium < 0:
            raise ValueError(f"{self.name}: costs cannot be negative")
        if self.counterpart_id == self.id:
            raise ValueError(f"{self.name} cannot be its own counterpart")
        if self.joint_controls and self.counterpart_id is None:
            raise ValueError(f"{self.name}: joint controls need a counterpart office")

    def hours_on(self, day: date, day_type: DayType) -> tuple[LocalWindow, ...]:
        """Regular hours of a local day: a holiday's hours, else a covering override's, else
        the weekly template's."""
        for override in self.overrides:
            if override.covers(day):
                return override.hours.on(day, day_type)
        return self.regular_hours.on(day, day_type)

    def override_on(self, day: date) -> HoursOverride | None:
        for override in self.overrides:
            if override.covers(day):
                return override
        return None


# --- Traffic ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ArrivalCount:
    """``trucks`` expected to arrive in [start, end) UTC, spread evenly over its slots."""

    start: datetime
    end: datetime
    trucks: float

    def __post_init__(self) -> None:
        require_utc(self.start, "an arrival interval's start")
        require_utc(self.end, "an arrival interval's end")
        _require_on_grid(self.start, "an arrival interval's start")
        _require_on_grid(self.end, "an arrival interval's end")
        if self.end <= self.start or self.trucks < 0 or not math.isfinite(self.trucks):
            raise ValueError("an arrival count needs a non-empty interval and a finite count >= 0")


def hourly_arrivals(start: datetime, trucks_per_hour: tuple[float, ...]) -> tuple[ArrivalCount, ...]:
    """Consecutive hourly counts from ``start`` (a UTC hour, or any quarter hour)."""
    hour = timedelta(hours=1)
    return tuple(
        ArrivalCount(start=start + index * hour, end=start + (index + 1) * hour, trucks=trucks)
        for index, trucks in enumerate(trucks_per_hour)
        if trucks > 0
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencyCheck:
    """What one office does to every truck of a flow.

    Every truck takes ``document_minutes`` of an officer's time; ``selection_rate`` of them
    also a physical check of ``inspection_minutes`` officer-minutes. The office clears
    ``officers`` x 60 / (document + rate x inspection minutes) trucks an hour while open,
    unless ``throughput_per_hour`` gives the rate directly (a lane, a scanner). ``officers``
    ``None`` shares the office's crew among such checks (``HoursProblem._share_crews``).
    """

    office_id: str
    selection_rate: float = 0.0
    document_minutes: float = 0.0
    inspection_minutes: float = 0.0
    officers: float | None = None
    skill: str | None = None
    throughput_per_hour: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.selection_rate <= 1:
            raise ValueError("a selection rate is between 0 and 1")
        if self.document_minutes < 0 or self.inspection_minutes < 0:
            raise ValueError("check durations cannot be negative")
        if self.officers is not None and self.officers <= 0:
            raise ValueError("a check needs a positive number of officers")
        if self.throughput_per_hour is not None and self.throughput_per_hour <= 0:
            raise ValueError("a throughput must be positive")

    @property
    def officer_minutes_per_truck(self) -> float:
        return self.document_minutes + self.selection_rate * self.inspection_minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class CargoFlow:
    """Trucks of one cargo category in one direction (exit side -> entry side).

    A truck is cleared in the slot its turn comes (first in, first out) when every office
    of ``checks`` is open, at most the flow's capacity per slot (the slowest check's rate).
    ``waiting_cost_per_truck_hour`` prices its waiting; ``max_wait_minutes`` bounds it
    (hard, or soft per truck-hour beyond). With ``dependency`` set, the checking offices are
    open whenever ``lead_office_id`` (the customs office handling the category) is open.
    """

    id: str
    category: str
    exit_side: str
    entry_side: str
    checks: tuple[AgencyCheck, ...]
    arrivals: tuple[ArrivalCount, ...]
    waiting_cost_per_truck_hour: int
    initial_backlog_trucks: float = 0.0
    max_wait_minutes: int | None = None
    max_wait: Enforcement = HARD
    lead_office_id: str | None = None
    dependency: Enforcement | None = None

    def __post_init__(self) -> None:
        if self.exit_side == self.entry_side:
            raise ValueError(f"flow {self.id}: exit and entry sides must differ")
        if not self.checks:
            raise ValueError(f"flow {self.id}: at least one office checks every truck")
        if len({check.office_id for check in self.checks}) != len(self.checks):
            raise ValueError(f"flow {self.id}: one check per office")
        if self.waiting_cost_per_truck_hour < 0 or self.initial_backlog_trucks < 0:
            raise ValueError(f"flow {self.id}: costs and backlogs cannot be negative")
        if self.max_wait_minutes is not None:
            _require_quarter(self.max_wait_minutes, f"flow {self.id}: the maximum wait")
        if self.dependency is not None and self.lead_office_id is None:
            raise ValueError(f"flow {self.id}: a dependency needs the lead (customs) office")

    @property
    def name(self) -> str:
        return f"{self.category} {self.exit_side}->{self.entry_side}"


# --- Published hours, notice, the neighbour ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedHours:
    """What an office published for [start, end) UTC (the previous plan): open in
    ``windows``, closed elsewhere in that range."""

    office_id: str
    start: datetime
    end: datetime
    windows: tuple[TimeWindow, ...]

    def __post_init__(self) -> None:
        TimeWindow(start=self.start, end=self.end)
        for window in self.windows:
            if window.start < self.start or window.end > self.end:
                raise ValueError(f"published window {window.label} lies outside its range")


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticePolicy:
    """The post's notice period: published hours that start less than ``notice_hours`` after
    ``now`` may not change (hard) or cost ``weight`` per office-hour changed (soft). Published
    hours before ``now`` are the past and never change."""

    now: datetime
    notice_hours: int
    enforcement: Enforcement = HARD

    def __post_init__(self) -> None:
        require_utc(self.now, "the notice reference instant")
        if self.notice_hours < 0:
            raise ValueError("a notice period cannot be negative")

    @property
    def deadline(self) -> datetime:
        return self.now + timedelta(hours=self.notice_hours)


@dataclass(frozen=True, slots=True, kw_only=True)
class NeighbourClosure:
    """What a neighbouring administration announced for its side (from its iCalendar feed):
    in [start, end) UTC its offices (``office_ids``, or all of the side) are closed, or, with
    ``open_windows``, open at most within those windows (reduced hours)."""

    side: str
    start: datetime
    end: datetime
    label: str
    office_ids: tuple[str, ...] = ()
    open_windows: tuple[TimeWindow, ...] = ()
    enforcement: Enforcement = HARD

    def __post_init__(self) -> None:
        TimeWindow(start=self.start, end=self.end)

    @property
    def reduced(self) -> bool:
        return bool(self.open_windows)

    def applies_to(self, office: Office) -> bool:
        return office.side == self.side and (not self.office_ids or office.id in self.office_ids)


# --- The problem ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficeDay:
    """One local day of an office, as a range of plan slots [first_slot, end_slot)."""

    day: date
    day_type: DayType
    holiday: str | None
    first_slot: int
    end_slot: int
    week: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HoursProblem:
    """Everything the opening-hours engine decides over, for one post and one horizon."""

    post: str
    first_day: date
    days: int
    sides: tuple[Side, ...]
    offices: tuple[Office, ...]
    flows: tuple[CargoFlow, ...] = ()
    published: tuple[PublishedHours, ...] = ()
    notice: NoticePolicy | None = None
    neighbour_closures: tuple[NeighbourClosure, ...] = ()
    staff_hours_budget: int | None = None
    staff_budget_rule: Enforcement = HARD
    runout_hours: int = 24

    grid_start: datetime = field(init=False, repr=False, compare=False)
    plan_end: datetime = field(init=False, repr=False, compare=False)
    grid_end: datetime = field(init=False, repr=False, compare=False)
    plan_slots: int = field(init=False, repr=False, compare=False)
    total_slots: int = field(init=False, repr=False, compare=False)
    office_days: dict[str, tuple[OfficeDay, ...]] = field(init=False, repr=False, compare=False)
    regular_windows: dict[str, tuple[TimeWindow, ...]] = field(
        init=False, repr=False, compare=False
    )
    reference_open: dict[str, tuple[bool, ...]] = field(init=False, repr=False, compare=False)
    runout_open: dict[str, tuple[bool, ...]] = field(init=False, repr=False, compare=False)
    arrivals_centi: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    capacity_centi: dict[str, int] = field(init=False, repr=False, compare=False)
    check_officers: dict[tuple[str, str], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.days <= MAX_DAYS:
            raise ValueError(f"a horizon is 1 to {MAX_DAYS} days, got {self.days}")
        if self.runout_hours < 0:
            raise ValueError("the run-out cannot be negative")
        if self.staff_hours_budget is not None and self.staff_hours_budget < 0:
            raise ValueError("a staff-hour budget cannot be negative")
        self._validate_references()
        starts, ends = [], []
        for zone_name in sorted({office.zone for office in self.offices}):
            start, _ = local_day_bounds(self.first_day, zone_name)
            end, _ = local_day_bounds(self.first_day + timedelta(days=self.days), zone_name)
            for instant in (start, end):
                if (instant - datetime(2000, 1, 1, tzinfo=UTC)) % SLOT:
                    raise ValueError(f"midnight in {zone_name} is not on the 15-minute grid")
            starts.append(start)
            ends.append(end)
        grid_start, plan_end = min(starts), max(ends)
        grid_end = plan_end + timedelta(hours=self.runout_hours)
        self._set("grid_start", grid_start)
        self._set("plan_end", plan_end)
        self._set("grid_end", grid_end)
        self._set("plan_slots", (plan_end - grid_start) // SLOT)
        self._set("total_slots", (grid_end - grid_start) // SLOT)
        self._set("office_days", {office.id: self._days_of(office) for office in self.offices})
        self._set("regular_windows", {o.id: self._regular_of(o) for o in self.offices})
        self._set("reference_open", {o.id: self._reference_of(o) for o in self.offices})
        self._set(
            "runout_open", {key: state[self.plan_slots :] for key, state in self.reference_open.items()}
        )
        self._set("arrivals_centi", {flow.id: self._arrivals_of(flow) for flow in self.flows})
        self._set("check_officers", self._share_crews())
        self._set("capacity_centi", {flow.id: self._capacity_of(flow) for flow in self.flows})

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    # -- lookups ---------------------------------------------------------------------------

    def office(self, office_id: str) -> Office:
        for office in self.offices:
            if office.id == office_id:
                return office
        raise KeyError(office_id)

    def side(self, code: str) -> Side:
        for side in self.sides:
            if side.code == code:
                return side
        raise KeyError(code)

    def flow(self, flow_id: str) -> CargoFlow:
        for flow in self.flows:
            if flow.id == flow_id:
                return flow
        raise KeyError(flow_id)

    def counterpart_pairs(self) -> tuple[tuple[Office, Office], ...]:
        """Each pair of counterpart offices once, the office with the smaller id first."""
        pairs = []
        for office in self.offices:
            if office.counterpart_id is not None and office.id < office.counterpart_id:
                pairs.append((office, self.office(office.counterpart_id)))
        return tuple(pairs)

    def correlation_of(self, first: Office, second: Office) -> CorrelationRule | None:
        return first.correlation or second.correlation

    def joint_rule_of(self, first: Office, second: Office) -> Enforcement:
        """Joint controls hold hard if either office holds them hard, else at the higher weight."""
        if first.joint_controls_rule.hard or second.joint_controls_rule.hard:
            return HARD
        return Enforcement.soft(max(first.joint_controls_rule.weight, second.joint_controls_rule.weight))

    def published_for(self, office_id: str) -> tuple[PublishedHours, ...]:
        return tuple(entry for entry in self.published if entry.office_id == office_id)

    # -- the grid --------------------------------------------------------------------------

    def slot_start(self, slot: int) -> datetime:
        return self.grid_start + slot * SLOT

    def slot_of(self, instant: datetime) -> int:
        """The slot starting at ``instant``, clamped to [0, total_slots]."""
        slot = (instant - self.grid_start) // SLOT
        return max(0, min(self.total_slots, slot))

    def slot_range(self, start: datetime, end: datetime, *, limit: int | None = None) -> range:
        """Slots of [start, end) within the grid (or within the first ``limit`` slots)."""
        upper = self.total_slots if limit is None else limit
        return range(min(self.slot_of(start), upper), min(self.slot_of(end), upper))

    # -- preparation -----------------------------------------------------------------------

    def _validate_references(self) -> None:
        codes = [side.code for side in self.sides]
        if len(codes) != len(set(codes)) or len(codes) < 1:
            raise ValueError("sides need unique codes")
        ids = [office.id for office in self.offices]
        if len(ids) != len(set(ids)):
            raise ValueError("office ids must be unique")
        if not self.offices:
            raise ValueError("a post needs at least one office")
        by_id = {office.id: office for office in self.offices}
        for office in self.offices:
            if office.side not in codes:
                raise ValueError(f"{office.name}: unknown side {office.side!r}")
            if office.counterpart_id is None:
                continue
            other = by_id.get(office.counterpart_id)
            if other is None:
                raise ValueError(f"{office.name}: unknown counterpart {office.counterpart_id!r}")
            if other.counterpart_id != office.id:
                raise ValueError(f"{office.name} and {other.name} must name each other")
            if other.side == office.side:
                raise ValueError(f"{office.name}: a counterpart sits across the border")
            if other.joint_controls != office.joint_controls:
                raise ValueError(f"{office.name} and {other.name} disagree on joint controls")
            if office.correlation and other.correlation and office.correlation != other.correlation:
                raise ValueError(f"{office.name} and {other.name} set different correlation rules")
        flow_ids = [flow.id for flow in self.flows]
        if len(flow_ids) != len(set(flow_ids)):
            raise ValueError("flow ids must be unique")
        for flow in self.flows:
            if flow.exit_side not in codes or flow.entry_side not in codes:
                raise ValueError(f"flow {flow.id}: unknown side")
            for check in flow.checks:
                office = by_id.get(check.office_id)
                if office is None:
                    raise ValueError(f"flow {flow.id}: unknown office {check.office_id!r}")
                if office.side not in (flow.exit_side, flow.entry_side):
                    raise ValueError(f"flow {flow.id}: {office.name} is on neither side")
            if flow.lead_office_id is not None and flow.lead_office_id not in by_id:
                raise ValueError(f"flow {flow.id}: unknown lead office {flow.lead_office_id!r}")
        for entry in self.published:
            if entry.office_id not in by_id:
                raise ValueError(f"published hours for unknown office {entry.office_id!r}")
        for closure in self.neighbour_closures:
            if closure.side not in codes:
                raise ValueError(f"closure {closure.label!r}: unknown side {closure.side!r}")
            for office_id in closure.office_ids:
                if office_id not in by_id:
                    raise ValueError(f"closure {closure.label!r}: unknown office {office_id!r}")

    def _days_of(self, office: Office) -> tuple[OfficeDay, ...]:
        side = self.side(office.side)
        day = utc_to_local(self.grid_start, office.zone).date()
        last = utc_to_local(self.plan_end - SLOT, office.zone).date()
        result = []
        while day <= last:
            start, end = local_day_bounds(day, office.zone)
            offset = (day - self.first_day).days
            result.append(
                OfficeDay(
                    day=day,
                    day_type=side.day_type(day),
                    holiday=side.holiday_name(day),
                    first_slot=self.slot_of(start),
                    end_slot=min(self.slot_of(end), self.plan_slots),
                    week=offset // 7,
                )
            )
            day += timedelta(days=1)
        return tuple(result)

    def _regular_of(self, office: Office) -> tuple[TimeWindow, ...]:
        side = self.side(office.side)
        day = utc_to_local(self.grid_start, office.zone).date() - timedelta(days=1)
        last = utc_to_local(self.grid_end, office.zone).date()
        merged: list[list[datetime]] = []
        while day <= last:
            for window in office.hours_on(day, side.day_type(day)):
                start = max(local_to_utc(day, window.start_minute, office.zone), self.grid_start)
                end = min(local_to_utc(day, window.end_minute, office.zone), self.grid_end)
                if end <= start:
                    continue
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            day += timedelta(days=1)
        return tuple(TimeWindow(start=s, end=e, label="regular hours") for s, e in merged)

    def _reference_of(self, office: Office) -> tuple[bool, ...]:
        """Reference hours over the whole grid: published, else regular; mandatory windows
        open, never-open windows and neighbour closures close. Offices keep them in the
        run-out, and the search starts from them."""
        state = [False] * self.total_slots
        for window in self.regular_windows[office.id]:
            for slot in self.slot_range(window.start, window.end):
                state[slot] = True
        for entry in self.published_for(office.id):
            for slot in self.slot_range(entry.start, entry.end):
                state[slot] = False
            for window in entry.windows:
                for slot in self.slot_range(window.start, window.end):
                    state[slot] = True
        for window in office.mandatory:
            for slot in self.slot_range(window.start, window.end):
                state[slot] = True
        if office.always_open:
            state = [True] * self.total_slots
        for window in office.never_open:
            for slot in self.slot_range(window.start, window.end):
                state[slot] = False
        for closure in self.neighbour_closures:
            if not closure.applies_to(office):
                continue
            allowed = set()
            for window in closure.open_windows:
                allowed.update(self.slot_range(window.start, window.end))
            for slot in self.slot_range(closure.start, closure.end):
                if slot not in allowed:
                    state[slot] = False
        return tuple(state)

    def _arrivals_of(self, flow: CargoFlow) -> tuple[int, ...]:
        """Arrivals per slot in hundredths of a truck; only trucks arriving during the plan
        count, the initial backlog as arriving in the first slot."""
        per_slot = [0] * self.total_slots
        for count in flow.arrivals:
            slots = (count.end - count.start) // SLOT
            centi = round(count.trucks * CENTI)
            base, extra = divmod(centi, slots)
            for index in range(slots):
                slot = (count.start - self.grid_start) // SLOT + index
                if 0 <= slot < self.plan_slots:
                    per_slot[slot] += base + (1 if index < extra else 0)
        per_slot[0] += round(flow.initial_backlog_trucks * CENTI)
        return tuple(per_slot)

    def _share_crews(self) -> dict[tuple[str, str], float]:
        """Officers per (flow, office) working a flow while it can move: given ones, then, of
        the rest of the crew, the officers the flow keeps busy on average plus every officer
        the average load of all the office's flows leaves free.

        Officers not needed for the average load take whichever trucks are waiting, so a
        flow held up elsewhere (produce while the plant-health office is closed) catches up
        with the crew's spare hands, not with a fixed slice of it: a fixed split by workload
        left a CITES truck 0.03 of a 24/7 customs crew, and its queue days long. The queues
        are independent, so when several catch up at once each is credited the same spare
        officers: an optimistic estimate there. An office whose average load exceeds its
        crew splits the crew in proportion to workload."""
        result: dict[tuple[str, str], float] = {}
        plan_minutes = self.plan_slots * SLOT_MINUTES
        for office in self.offices:
            checks = [
                (flow, check)
                for flow in self.flows
                for check in flow.checks
                if check.office_id == office.id and check.throughput_per_hour is None
            ]
            given = sum(check.officers for _, check in checks if check.officers is not None)
            if given > office.crew + 1e-9:
                raise ValueError(f"{office.name}: checks use more officers than its crew")
            shared = [(flow, check) for flow, check in checks if check.officers is None]
            busy = [
                sum(self.arrivals_centi[flow.id]) / CENTI * check.officer_minutes_per_truck / plan_minutes
                for flow, check in shared
            ]
            total = sum(busy)
            rest = office.crew - given
            if shared and rest <= 1e-9:
                raise ValueError(f"{office.name}: no officers left for its other checks")
            spare = rest - total
            for (flow, _check), average in zip(shared, busy, strict=True):
                if spare > 0:
                    result[flow.id, office.id] = average + spare
                else:
                    share = average / total if total > 0 else 1 / len(shared)
                    result[flow.id, office.id] = rest * share
            for flow, check in checks:
                if check.officers is not None:
                    result[flow.id, office.id] = check.officers
        return result

    def _capacity_of(self, flow: CargoFlow) -> int:
        rates = []
        for check in flow.checks:
            if check.throughput_per_hour is not None:
                rates.append(check.throughput_per_hour)
            elif check.officer_minutes_per_truck > 0:
                officers = self.check_officers[flow.id, check.office_id]
                rates.append(officers * 60 / check.officer_minutes_per_truck)
        if not rates:
            raise ValueError(
                f"flow {flow.id}: no check limits clearance; give a duration or a throughput"
            )
        # An office over its capacity splits its crew by workload, which gives a rare flow
        # (a few CITES trucks a week) a sliver of an officer; its queue still moves at least
        # at the grid's resolution, a hundredth of a truck per quarter hour.
        return max(1, math.floor(min(rates) * CENTI / SLOTS_PER_HOUR))


# --- The solution -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningWindow:
    """An office open over [start, end) UTC."""

    office_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class HoursChange:
    """A change against the published hours: the office now ``opens`` or ``closes`` over
    [start, end) UTC, announced ``notice_hours`` before it takes effect (``None`` when the
    post sets no notice policy, which is what gives "now")."""

    office_id: str
    kind: Literal["opens", "closes"]
    start: datetime
    end: datetime
    notice_hours: float | None
    within_notice: bool
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "office_id": self.office_id,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "notice_hours": self.notice_hours,
            "within_notice": self.within_notice,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowKpis:
    """Waiting of one flow, as a Time Release Study breaks it down (minutes, 15-minute
    resolution: a truck cleared in the slot it arrives waits 0)."""

    flow_id: str
    category: str
    exit_side: str
    entry_side: str
    trucks: float
    served_without_waiting_share: float
    mean_wait_minutes: float
    median_wait_minutes: float
    p90_wait_minutes: float
    max_wait_minutes: float
    waiting_truck_hours: float
    uncleared_trucks: float

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True, kw_only=True)
class HoursKpis:
    """What the plan achieves: waiting per flow and overall, and what it costs in staff."""

    flows: tuple[FlowKpis, ...]
    trucks: float
    served_without_waiting_share: float
    mean_wait_minutes: float
    median_wait_minutes: float
    p90_wait_minutes: float
    waiting_truck_hours: float
    office_hours: float
    staff_hours: float
    out_of_hours_staff_hours: float

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {
            name: getattr(self, name) for name in self.__slots__ if name != "flows"
        }
        result["flows"] = [flow.as_dict() for flow in self.flows]
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class HoursSolution:
    """The plan: opening windows per office in UTC, what it costs by rule, what changed
    against the published hours, the KPIs, and the solve's statistics.

    ``objective`` is in cost units (the units of the problem's weights); ``costs`` lists
    every rule and subject that added to it. An infeasible plan has no windows and its
    ``explanation`` names the conflicting rules. ``parts`` has the statistics of each
    independently solved part (``solver.hours.decompose``); ``stats`` adds them up.
    ``model_waiting_truck_hours`` is the solver's own waiting per flow, which the checker
    compares with its replay.
    """

    status: SolveStatus
    stats: SolveStats
    windows: tuple[OpeningWindow, ...] = ()
    objective: float | None = None
    best_bound: float | None = None
    costs: tuple[Violation, ...] = ()
    changes: tuple[HoursChange, ...] = ()
    kpis: HoursKpis | None = None
    model_waiting_truck_hours: dict[str, float] = field(default_factory=dict)
    explanation: tuple[Violation, ...] = ()
    parts: tuple[SolveStats, ...] = ()

    @property
    def gap(self) -> float | None:
        return self.stats.gap

    def windows_of(self, office_id: str) -> tuple[OpeningWindow, ...]:
        return tuple(window for window in self.windows if window.office_id == office_id)
