"""The staff rostering problem and its solution: typed, frozen, and prepared for modelling.

A problem is what the service layer hands the engine after resolving every rule for every
officer (country default, then agency override, then officer override): the engine sees each
officer's effective limits and each rule's ``Enforcement``, never the inheritance. Shifts are
instances of shift templates on local days of their office's IANA zone, with their real start
and end already computed in UTC (``solver.roster.prepare`` does that through
``solver.timeutil``), so the engine never converts time itself.

Days: a shift belongs to the local day of its office on which it starts. Day-based rules (one
shift per day, consecutive days, weekends, requests) count those days; time-based rules (rest,
overlap, weekly rest, leave, coverage intervals) use the UTC instants.

History: ``history`` holds the shifts actually worked in the last ``history_days`` days before
the horizon. Those days are known (a day without a past shift was a day off); days before them
are unknown, and every rule gives unknown days the benefit of the doubt. With
``history_days=0`` a run of work at the start of the horizon may be short, because it may have
begun earlier, and no rest or succession rule reaches back before the first day. The end of
the horizon is always treated that way, since the next period is not planned yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from solver.config import SolveStats, SolveStatus, relative_gap
from solver.ids import unique_index
from solver.rules import HARD, Enforcement, Violation

FairMeasure = Literal["nights", "weekends", "holidays"]
RequestKind = Literal["on", "off"]


def _require_utc(instant: datetime, what: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() != timedelta(0):
        raise ValueError(f"{what} must be an aware UTC datetime, got {instant!r}")


def _minutes_between(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


# --- Rules, as resolved for one officer -------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """A number a rule compares against, and how strongly the rule holds."""

    value: int
    enforcement: Enforcement = HARD

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("a limit cannot be negative")

    def less(self, used: int) -> Limit:
        """The limit with ``used`` of it spent (never below zero), as strongly held."""
        return Limit(value=max(0, self.value - used), enforcement=self.enforcement)


@dataclass(frozen=True, slots=True, kw_only=True)
class Succession:
    """Working ``first_template`` on one day forbids ``second_template`` on the next day."""

    first_template: str
    second_template: str
    enforcement: Enforcement = HARD


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateLimit:
    """At most ``limit.value`` shifts of ``template_id`` over the horizon (0: never)."""

    template_id: str
    limit: Limit


@dataclass(frozen=True, slots=True, kw_only=True)
class MinutesWindow:
    """Minimum and maximum working minutes in the days ``first_day``..``last_day`` inclusive."""

    first_day: date
    last_day: date
    min_minutes: Limit | None = None
    max_minutes: Limit | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("a working-time window cannot end before it starts")
        if self.min_minutes and self.max_minutes and self.min_minutes.value > self.max_minutes.value:
            raise ValueError("a working-time window's minimum exceeds its maximum")

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True, kw_only=True)
class AverageHours:
    """Working time averaged over a reference period stays at or below a weekly figure.

    The windows are every run of ``reference_days`` consecutive known days (history and
    horizon) that reaches into the horizon; when fewer days are known, the one window of all
    known days with the limit scaled to its length.
    """

    max_minutes_per_week: int
    reference_days: int
    enforcement: Enforcement = HARD

    def __post_init__(self) -> None:
        if self.max_minutes_per_week <= 0 or self.reference_days < 7:
            raise ValueError("average hours need a positive weekly limit and at least a week")


@dataclass(frozen=True, slots=True, kw_only=True)
class Overtime:
    """Minutes beyond ``regular_minutes_per_week`` in a week of the horizon cost per minute.

    Weeks are the 7-day blocks from the first day of the horizon; a shorter last block has a
    proportionally smaller regular allowance (rounded down).
    """

    regular_minutes_per_week: int
    enforcement: Enforcement

    def __post_init__(self) -> None:
        if self.regular_minutes_per_week <= 0:
            raise ValueError("regular weekly minutes must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerRules:
    """Every rule as it applies to one officer, already resolved from country, agency, officer.

    ``None`` switches a rule off for the officer. ``weekend_days`` are the weekdays (Monday 0)
    of the officer's country weekend, e.g. ``{4, 5}`` for a Friday-Saturday weekend.
    """

    one_shift_per_day: Enforcement = HARD
    min_rest_minutes: Limit | None = None
    forbidden_successions: tuple[Succession, ...] = ()
    max_shifts_per_template: tuple[TemplateLimit, ...] = ()
    working_time: tuple[MinutesWindow, ...] = ()
    max_consecutive_days: Limit | None = None
    min_consecutive_days: Limit | None = None
    min_consecutive_days_off: Limit | None = None
    max_weekends: Limit | None = None
    weekend_days: frozenset[int] = frozenset({5, 6})
    weekly_rest_minutes: Limit | None = None
    average_hours: AverageHours | None = None
    max_night_shifts: Limit | None = None
    max_consecutive_nights: Limit | None = None
    max_night_shift_minutes: Limit | None = None
    overtime: Overtime | None = None
    skills: Enforcement = HARD
    accreditation: Enforcement = HARD
    leave: Enforcement = HARD

    def __post_init__(self) -> None:
        if not self.weekend_days <= frozenset(range(7)):
            raise ValueError("weekend days are weekdays 0 (Monday) to 6 (Sunday)")
        for limit in (self.min_consecutive_days, self.min_consecutive_days_off,
                      self.max_consecutive_days, self.max_consecutive_nights):
            if limit is not None and limit.value < 1:
                raise ValueError("a consecutive-days limit must be at least 1")
        templates = [t.template_id for t in self.max_shifts_per_template]
        if len(templates) != len(set(templates)):
            raise ValueError("one maximum per shift type and officer")

    def template_limit(self, template_id: str) -> Limit | None:
        for entry in self.max_shifts_per_template:
            if entry.template_id == template_id:
                return entry.limit
        return None

    def template_limits_less(self, used: Mapping[str, int]) -> tuple[TemplateLimit, ...]:
        """The limits on shifts of each type with ``used`` shifts of each type spent."""
        return tuple(TemplateLimit(template_id=entry.template_id,
                                   limit=entry.limit.less(used.get(entry.template_id, 0)))
                     for entry in self.max_shifts_per_template)


# --- The post: agencies, offices, templates, shifts, officers ---------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """An agency of one country at the post, e.g. ``Customs TZ``; rostered on its own."""

    id: str
    name: str
    side: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    """Where shifts are worked: in the control zone hosted by ``zone_side``, on ``zone`` time."""

    id: str
    name: str
    zone: str
    zone_side: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftTemplate:
    """A recurring shift of an agency at an office, in the office's local wall-clock time."""

    id: str
    name: str
    agency_id: str
    office_id: str
    start_minute: int
    length_minutes: int
    night: bool
    weekdays: frozenset[int] = frozenset(range(7))
    required_skills: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < 1440:
            raise ValueError(f"template {self.id}: start minute must be within the day")
        if not 0 < self.length_minutes <= 24 * 60:
            raise ValueError(f"template {self.id}: length must be positive and at most a day")


@dataclass(frozen=True, slots=True, kw_only=True)
class Shift:
    """One instance of a template on one local day, with its real start and end in UTC.

    ``minutes`` is the real length, which differs from the template's on a DST change night.
    """

    id: str
    template_id: str
    agency_id: str
    office_id: str
    zone_side: str
    day: date
    start: datetime
    end: datetime
    night: bool
    required_skills: frozenset[str] = frozenset()
    minutes: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        _require_utc(self.start, f"shift {self.id} start")
        _require_utc(self.end, f"shift {self.id} end")
        if self.end <= self.start:
            raise ValueError(f"shift {self.id} ends before it starts")
        object.__setattr__(self, "minutes", _minutes_between(self.start, self.end))


@dataclass(frozen=True, slots=True, kw_only=True)
class Officer:
    """An officer of an agency, with the rules that apply to them, resolved.

    ``zone`` is the officer's home zone: it sets the weeks of the weekly-rest rule.
    ``accredited_sides`` lists the countries whose control zones the officer may work in
    besides their own (cross-border accreditation).
    """

    id: str
    name: str
    agency_id: str
    side: str
    zone: str
    skills: frozenset[str] = frozenset()
    accredited_sides: frozenset[str] = frozenset()
    rules: OfficerRules = field(default_factory=OfficerRules)


# --- Demand -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftCover:
    """``required`` officers (with ``skill``, if given) on one shift.

    ``under`` says how the shortfall is treated (hard: never; soft: weight per missing
    officer); ``over_weight`` is the cost per officer above the requirement (0: free).
    """

    shift_id: str
    skill: str | None = None
    required: int
    under: Enforcement = HARD
    over_weight: int = 0

    def __post_init__(self) -> None:
        if self.required < 0 or self.over_weight < 0:
            raise ValueError("cover requirements and weights cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalCover:
    """``required`` officers (with ``skill``) at ``office_id`` throughout [start, end) UTC.

    An officer counts when their shift at that office starts no later than ``start`` and
    ends no earlier than ``end``.
    """

    office_id: str
    skill: str | None = None
    start: datetime
    end: datetime
    required: int
    under: Enforcement = HARD
    over_weight: int = 0

    def __post_init__(self) -> None:
        _require_utc(self.start, "cover interval start")
        _require_utc(self.end, "cover interval end")
        if self.end <= self.start:
            raise ValueError("a cover interval must end after it starts")
        if self.required < 0 or self.over_weight < 0:
            raise ValueError("cover requirements and weights cannot be negative")


# --- Per-officer facts: leave, requests, history, pins ----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Absence:
    """The officer cannot work any shift that overlaps [start, end) UTC."""

    officer_id: str
    start: datetime
    end: datetime
    reason: str = "leave"

    def __post_init__(self) -> None:
        _require_utc(self.start, "absence start")
        _require_utc(self.end, "absence end")
        if self.end <= self.start:
            raise ValueError("an absence must end after it starts")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftRequest:
    """An officer asks to work (``on``) or not to work (``off``) on a day.

    With ``template_id`` the request is about that shift type; without, about any shift.
    """

    officer_id: str
    day: date
    kind: RequestKind
    template_id: str | None = None
    enforcement: Enforcement = field(default_factory=lambda: Enforcement.soft(1))


@dataclass(frozen=True, slots=True, kw_only=True)
class PastShift:
    """A shift actually worked before the horizon (history), in UTC."""

    officer_id: str
    template_id: str
    day: date
    start: datetime
    end: datetime
    night: bool = False

    def __post_init__(self) -> None:
        _require_utc(self.start, "past shift start")
        _require_utc(self.end, "past shift end")
        if self.end <= self.start:
            raise ValueError("a past shift must end after it starts")

    @property
    def minutes(self) -> int:
        return _minutes_between(self.start, self.end)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pin:
    """A planner's decision: the officer works (``assigned``) or does not work this shift."""

    officer_id: str
    shift_id: str
    assigned: bool = True
    enforcement: Enforcement = HARD


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedRoster:
    """The roster officers were given for ``first_day``..``last_day``; changing it costs.

    Every (officer, shift) of those days whose assignment differs from the published one is a
    change: a shift moved from one officer to another is two changes.
    """

    assignments: frozenset[tuple[str, str]]
    first_day: date
    last_day: date
    change: Enforcement = field(default_factory=lambda: Enforcement.soft(1000))

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True, kw_only=True)
class Holiday:
    """A public holiday of ``side`` (a country code) on ``day``."""

    side: str
    day: date
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FairSpread:
    """Spread nights, weekend shifts or holiday shifts evenly over a group of officers.

    The spread is the largest count in the group minus the smallest; each unit above
    ``allowed_spread`` costs ``enforcement.weight`` (or is forbidden when hard).
    Weekend shifts fall on the officer's weekend days; holiday shifts on public holidays of
    the officer's country.
    """

    name: str
    officer_ids: tuple[str, ...]
    measure: FairMeasure
    enforcement: Enforcement
    allowed_spread: int = 0

    def __post_init__(self) -> None:
        if len(self.officer_ids) < 2 or len(set(self.officer_ids)) != len(self.officer_ids):
            raise ValueError(f"fair spread {self.name}: needs two or more distinct officers")
        if self.allowed_spread < 0:
            raise ValueError("an allowed spread cannot be negative")


# --- The problem ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterProblem:
    """Everything the engine needs to roster the officers of a post over ``days`` days."""

    name: str
    start: date
    days: int
    agencies: tuple[Agency, ...]
    offices: tuple[Office, ...]
    templates: tuple[ShiftTemplate, ...]
    shifts: tuple[Shift, ...]
    officers: tuple[Officer, ...]
    shift_cover: tuple[ShiftCover, ...] = ()
    interval_cover: tuple[IntervalCover, ...] = ()
    absences: tuple[Absence, ...] = ()
    requests: tuple[ShiftRequest, ...] = ()
    history: tuple[PastShift, ...] = ()
    history_days: int = 0
    pins: tuple[Pin, ...] = ()
    published: PublishedRoster | None = None
    holidays: tuple[Holiday, ...] = ()
    fair_spread: tuple[FairSpread, ...] = ()
    _index: dict[str, dict[str, object]] = field(init=False, repr=False, compare=False)
    _holiday_days: frozenset[tuple[str, date]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("a roster covers at least one day")
        if self.history_days < 0:
            raise ValueError("history_days cannot be negative")
        index = {
            "agency": unique_index(self.agencies, "agency", lambda item: item.id),
            "office": unique_index(self.offices, "office", lambda item: item.id),
            "template": unique_index(self.templates, "shift template", lambda item: item.id),
            "shift": unique_index(self.shifts, "shift", lambda item: item.id),
            "officer": unique_index(self.officers, "officer", lambda item: item.id),
        }
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_holiday_days",
                           frozenset((h.side, h.day) for h in self.holidays))
        self._validate_references()

    def _validate_references(self) -> None:
        def known(kind: str, ident: str | None, where: str) -> None:
            if ident is not None and ident not in self._index[kind]:
                raise ValueError(f"{where} refers to unknown {kind} {ident!r}")

        for template in self.templates:
            known("agency", template.agency_id, f"template {template.id}")
            known("office", template.office_id, f"template {template.id}")
        last = self.end_day
        for shift in self.shifts:
            known("template", shift.template_id, f"shift {shift.id}")
            known("agency", shift.agency_id, f"shift {shift.id}")
            known("office", shift.office_id, f"shift {shift.id}")
            if not self.start <= shift.day <= last:
                raise ValueError(f"shift {shift.id} falls outside the horizon")
        for officer in self.officers:
            known("agency", officer.agency_id, f"officer {officer.id}")
            for succession in officer.rules.forbidden_successions:
                known("template", succession.first_template, f"officer {officer.id} succession")
                known("template", succession.second_template, f"officer {officer.id} succession")
            for entry in officer.rules.max_shifts_per_template:
                known("template", entry.template_id, f"officer {officer.id} shift limit")
        for cover in self.shift_cover:
            known("shift", cover.shift_id, "shift cover")
        for interval in self.interval_cover:
            known("office", interval.office_id, "interval cover")
        for absence in self.absences:
            known("officer", absence.officer_id, "absence")
        for request in self.requests:
            known("officer", request.officer_id, "request")
            known("template", request.template_id, "request")
            if not self.start <= request.day <= last:
                raise ValueError(f"request of {request.officer_id} falls outside the horizon")
        earliest_history = self.start - timedelta(days=self.history_days)
        for past in self.history:
            known("officer", past.officer_id, "past shift")
            if not earliest_history <= past.day < self.start:
                raise ValueError(
                    f"past shift of {past.officer_id} on {past.day} lies outside the "
                    f"{self.history_days} days of history")
        for pin in self.pins:
            known("officer", pin.officer_id, "pin")
            known("shift", pin.shift_id, "pin")
            if pin.assigned:
                self._require_staffable(pin.officer_id, pin.shift_id, "pinned")
        if self.published is not None:
            for officer_id, shift_id in self.published.assignments:
                known("officer", officer_id, "published roster")
                known("shift", shift_id, "published roster")
                self._require_staffable(officer_id, shift_id, "published")
        for group in self.fair_spread:
            for officer_id in group.officer_ids:
                known("officer", officer_id, f"fair spread {group.name}")

    def _require_staffable(self, officer_id: str, shift_id: str, what: str) -> None:
        officer, shift = self.officer(officer_id), self.shift(shift_id)
        if not self.may_staff(officer, shift):
            raise ValueError(f"{officer.name} is {what} on shift {shift.id}, which their "
                             f"agency does not staff")

    # -- look-ups --

    @property
    def end_day(self) -> date:
        """The last day of the horizon."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def day_list(self) -> tuple[date, ...]:
        return tuple(self.start + timedelta(days=i) for i in range(self.days))

    def day_index(self, day: date) -> int:
        """Days from the first day of the horizon (negative in the history)."""
        return (day - self.start).days

    def agency(self, agency_id: str) -> Agency:
        return self._index["agency"][agency_id]  # type: ignore[return-value]

    def office(self, office_id: str) -> Office:
        return self._index["office"][office_id]  # type: ignore[return-value]

    def template(self, template_id: str) -> ShiftTemplate:
        return self._index["template"][template_id]  # type: ignore[return-value]

    def shift(self, shift_id: str) -> Shift:
        return self._index["shift"][shift_id]  # type: ignore[return-value]

    def officer(self, officer_id: str) -> Officer:
        return self._index["officer"][officer_id]  # type: ignore[return-value]

    def is_holiday_for(self, officer: Officer, day: date) -> bool:
        return (officer.side, day) in self._holiday_days

    def may_staff(self, officer: Officer, shift: Shift) -> bool:
        """Whether the officer's agency staffs the shift: only then can they be assigned."""
        return officer.agency_id == shift.agency_id

    def shift_label(self, shift: Shift) -> str:
        """``Night shift (Customs TZ, Rusumo TZ) on 2025-05-03`` for messages."""
        template = self.template(shift.template_id)
        return f"{template.name} at {self.office(shift.office_id).name} on {shift.day.isoformat()}"


# --- The solution -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Assignment:
    officer_id: str
    shift_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterSolution:
    """A roster and what it costs, rule by rule, officer by officer, day by day.

    ``costs`` lists every soft rule's payment (the objective is their sum); ``explanation``
    says, when the status is infeasible, which rules conflict for which officers and days.
    ``parts`` holds the statistics of the independent sub-problems (one per agency unless
    rules couple agencies) that ``stats`` sums up.
    """

    status: SolveStatus
    assignments: tuple[Assignment, ...]
    objective: int | None
    best_bound: int | None
    stats: SolveStats
    costs: tuple[Violation, ...] = ()
    explanation: tuple[Violation, ...] = ()
    parts: tuple[SolveStats, ...] = ()

    @property
    def has_roster(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def gap(self) -> float | None:
        return relative_gap(
            None if self.objective is None else float(self.objective),
            None if self.best_bound is None else float(self.best_bound),
        )

    def assigned_pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset((a.officer_id, a.shift_id) for a in self.assignments)

    def cost_by_rule(self) -> dict[str, float]:
        return _totals(self.costs, lambda v: v.rule)

    def cost_by_subject(self) -> dict[str, float]:
        """Costs per officer (or per office for staffing rules), by display name."""
        return _totals(self.costs, lambda v: v.subject)

    def cost_by_day(self) -> dict[date | None, float]:
        return _totals(self.costs, lambda v: v.day)


def _totals(violations: Iterable[Violation], key) -> dict:  # type: ignore[no-untyped-def]
    totals: dict = {}
    for violation in violations:
        totals[key(violation)] = totals.get(key(violation), 0) + violation.cost
    return totals
