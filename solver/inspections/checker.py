"""The independent checker: every hard rule, the objective and the KPIs, in plain Python.

It works on ``datetime``s straight from the problem dataclasses and shares no code with the
slot search, the model or the planners: no OR-Tools, nothing from ``constraints``, ``build``,
``solve``, ``slots``, ``search``, ``queue``, ``workdays`` or ``kpi``. Notice periods are
re-derived by *measuring* the working time that passed (the engine *adds* working days),
office and bay hours by walking the windows, double booking by a sweep over every booking.

``check_booking`` is the booking service's last line of defence before it reserves a slot;
``check`` verifies a whole batch plan and recomputes its objective and KPIs.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from solver.rules import Violation

from . import names
from .problem import (
    Availability,
    BatchSolution,
    ExistingBooking,
    InspectionProblem,
    InspectionRequest,
    KpiReport,
    PlannedInspection,
    PlannedPart,
    PostSite,
    StageTimes,
    Statistic,
    Window,
)

_MINUTE = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """What the checker found: hard-rule breaches (empty for a valid plan), the objective it
    recomputed, the soft costs it recomputed, and the KPIs it recomputed."""

    problems: tuple[Violation, ...]
    objective: int
    costs: tuple[Violation, ...]
    kpis: KpiReport

    @property
    def ok(self) -> bool:
        return not self.problems


def check_booking(
    request: InspectionRequest,
    inspection: PlannedInspection,
    availability: Availability,
    *,
    now: datetime | None = None,
) -> tuple[Violation, ...]:
    """Every rule a booking must satisfy against the bookings already made (empty: book it).

    Bookings in ``availability`` with the inspection's own reference are its previous
    version (a reschedule) and are ignored. Notice periods are held hard here, whatever the
    batch rules say: a booking commits every agency, and none may be inspected unnotified.
    """
    site = availability.site
    problems = _InspectionCheck(
        site, request, inspection, now=now, horizon=None, hard_notice=True
    ).problems()
    own = list(inspection.as_booking())
    if not own:
        return tuple(problems)
    holders = {o for b in own for o in b.officer_ids} | {b.bay_id for b in own}
    first, last = min(b.start for b in own), max(b.end for b in own)
    # Only bookings that share an officer or a bay and overlap in time can collide.
    others = [
        b
        for b in availability.bookings
        if b.reference != inspection.reference
        and (b.bay_id in holders or not holders.isdisjoint(b.officer_ids))
        and b.start < last
        and b.end > first
    ]
    problems += _double_bookings(site, [*others, *own], concerning=inspection.reference)
    return tuple(problems)


def check(problem: InspectionProblem, solution: BatchSolution) -> CheckReport:
    site = problem.site
    rules = site.rules
    requests = {request.reference: request for request in problem.requests}
    problems: list[Violation] = []
    seen: dict[str, int] = defaultdict(int)
    for inspection in solution.inspections:
        seen[inspection.reference] += 1
    for uninspected in solution.uninspected:
        seen[uninspected.reference] += 1
    for reference in requests:
        if seen[reference] != 1:
            problems.append(
                _problem(
                    names.INSPECTED,
                    reference,
                    f"{reference} appears {seen[reference]} times in the plan",
                )
            )
    horizon = (problem.horizon_start, problem.horizon_end)
    for inspection in solution.inspections:
        request = requests.get(inspection.reference)
        if request is None:
            problems.append(
                _problem(names.INSPECTED, inspection.reference, "not a request of this problem")
            )
            continue
        problems += _InspectionCheck(
            site, request, inspection, now=None, horizon=horizon, hard_notice=rules.notice.hard
        ).problems()
    planned = [b for inspection in solution.inspections for b in inspection.as_booking()]
    problems += _double_bookings(site, [*problem.bookings, *planned])
    costs = _costs(problem, solution)
    total_value = sum(site.priority(r.priority_class).value for r in requests.values())
    objective = total_value - sum(int(cost.cost) for cost in costs)
    if solution.objective is not None:
        reported = total_value - sum(v.cost for v in solution.violations)
        if not math.isclose(reported, solution.objective):
            problems.append(
                _problem(
                    names.INSPECTED,
                    site.name,
                    f"the plan's violations add up to {reported}, "
                    f"not its objective {solution.objective}",
                )
            )
    kpis = _kpis(requests, solution.inspections, len(solution.uninspected))
    if not _same_kpis(kpis, solution.kpis):
        problems.append(
            _problem(names.WAITING, site.name, "the plan's KPIs differ from the recomputed ones")
        )
    return CheckReport(problems=tuple(problems), objective=objective, costs=tuple(costs), kpis=kpis)


def _problem(rule: str, subject: str, message: str) -> Violation:
    return Violation(rule=rule, subject=subject, message=message)


def _minutes(delta: timedelta) -> float:
    return delta / _MINUTE


def _whole_minute_at_or_after(instant: datetime) -> datetime:
    floor = _EPOCH + ((instant - _EPOCH) // _MINUTE) * _MINUTE
    return floor if floor == instant else floor + _MINUTE


def _covered(windows: Iterable[Window], start: datetime, end: datetime) -> bool:
    """Whether the union of ``windows`` covers ``[start, end)``."""
    reached = start
    for window in sorted(windows, key=lambda w: w.start):
        if window.start > reached:
            break
        reached = max(reached, window.end)
        if reached >= end:
            return True
    return reached >= end


def _waiting(request: InspectionRequest, inspection: PlannedInspection) -> int:
    busy = sum((part.end - part.start for part in inspection.parts), timedelta())
    release = max(part.end for part in inspection.parts)
    return round(_minutes(release - _whole_minute_at_or_after(request.expected_arrival) - busy))


def _max_wait(site: PostSite, request: InspectionRequest, waiting: int) -> list[Violation]:
    limit = request.max_wait_minutes or site.priority(request.priority_class).max_wait_minutes
    if waiting > limit:
        return [
            _problem(
                names.MAX_WAIT,
                request.reference,
                f"{request.reference} waits {waiting} min, more than its maximum of {limit} min",
            )
        ]
    return []


# --- notice: measured, not added --------------------------------------------------------------


def working_time_between(
    since: datetime, until: datetime, zone: str, weekend: frozenset[int], holidays: frozenset[date]
) -> timedelta:
    """Wall-clock time between two instants that falls on working days of the zone's calendar."""
    tz = ZoneInfo(zone)
    wall_since = since.astimezone(tz).replace(tzinfo=None)
    wall_until = until.astimezone(tz).replace(tzinfo=None)
    total = timedelta()
    day = wall_since.date()
    while day <= wall_until.date():
        if day.weekday() not in weekend and day not in holidays:
            day_start = datetime.combine(day, time())
            overlap = min(wall_until, day_start + timedelta(days=1)) - max(wall_since, day_start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total


def _notice_problem(
    site: PostSite, request: InspectionRequest, agency_code: str, start: datetime
) -> Violation | None:
    agency = site.agency(agency_code)
    rule = agency.notice
    given = start - request.notified_at
    derogated = (
        request.notice_derogation
        and rule.derogation_hours is not None
        and request.cargo_category not in rule.categories_without_derogation
    )
    if derogated:
        needed = f"{rule.derogation_hours} h under the derogation"
        met = given >= timedelta(hours=rule.derogation_hours or 0)
    else:
        side = site.side(agency.side)
        worked = working_time_between(
            request.notified_at, start, side.zone, side.weekend_days, side.holidays
        )
        met = given >= timedelta(hours=rule.hours) and worked >= timedelta(days=rule.working_days)
        needed = f"{rule.working_days} working day(s) and {rule.hours} h"
    if met:
        return None
    return _problem(
        names.NOTICE,
        agency_code,
        f"{request.reference}: {agency_code} was notified at "
        f"{request.notified_at:%Y-%m-%d %H:%M} UTC, less than {needed} "
        f"before {start:%Y-%m-%d %H:%M} UTC",
    )


# --- one inspection --------------------------------------------------------------------------


class _InspectionCheck:
    def __init__(
        self,
        site: PostSite,
        request: InspectionRequest,
        inspection: PlannedInspection,
        *,
        now: datetime | None,
        horizon: tuple[datetime, datetime] | None,
        hard_notice: bool,
    ) -> None:
        self.site = site
        self.request = request
        self.inspection = inspection
        self.now = now
        self.horizon = horizon
        self.hard_notice = hard_notice
        self.found: list[Violation] = []

    def flag(self, rule: str, subject: str, message: str) -> None:
        self.found.append(_problem(rule, subject, f"{self.request.reference}: {message}"))

    def problems(self) -> list[Violation]:
        errors = self.site.request_errors(self.request)
        if errors:
            for error in errors:
                self.flag(names.JOINT_SLOT, error.field, error.message)
            return self.found
        if self.inspection.reference != self.request.reference:
            self.flag(
                names.JOINT_SLOT,
                self.inspection.reference,
                "the inspection is for another consignment",
            )
        if not self.inspection.parts:
            self.flag(names.JOINT_SLOT, self.request.reference, "the inspection has no part")
            return self.found
        self.modes()
        for part in self.inspection.parts:
            self.part(part)
        waiting = _waiting(self.request, self.inspection)
        if waiting != self.inspection.waiting_minutes:
            self.flag(
                names.WAITING,
                self.request.reference,
                f"waits {waiting} min, not {self.inspection.waiting_minutes}",
            )
        if self.site.rules.max_wait.hard:
            self.found += _max_wait(self.site, self.request, waiting)
        return self.found

    def modes(self) -> None:
        request, parts, mode = self.request, self.inspection.parts, self.inspection.mode
        exit_side = {a for a in request.agencies if self.site.agency(a).side == request.exit_side}
        entry_side = {a for a in request.agencies if self.site.agency(a).side == request.entry_side}
        if mode == "joint":
            if len(parts) != 1 or set(parts[0].agencies) != set(request.agencies):
                self.flag(
                    names.JOINT_SLOT,
                    request.reference,
                    "a joint inspection is one part attended by every selecting agency",
                )
            return
        if mode not in ("exit_first", "entry_first"):
            self.flag(names.SEQUENCE, request.reference, f"{mode} is not a way a plan may inspect")
            return
        if not self.site.rules.allow_sequential:
            self.flag(
                names.SEQUENCE,
                request.reference,
                "sequential inspection is not allowed at this post",
            )
        if mode == "entry_first" and not request.reversal_allowed:
            self.flag(
                names.SEQUENCE,
                request.reference,
                "entry controls first needs reversal of controls, which is not allowed",
            )
        order = (exit_side, entry_side) if mode == "exit_first" else (entry_side, exit_side)
        if (
            len(parts) != 2
            or not exit_side
            or not entry_side
            or any(set(p.agencies) != group for p, group in zip(parts, order, strict=False))
        ):
            self.flag(
                names.SEQUENCE,
                request.reference,
                "a sequential inspection is one part per side, "
                "each attended by that side's selecting agencies",
            )
            return
        if parts[1].start < parts[0].end:
            self.flag(
                names.SEQUENCE,
                request.reference,
                "the second side starts before the first has finished",
            )

    def part(self, part: PlannedPart) -> None:
        request, site = self.request, self.site
        expected = timedelta(minutes=request.duration_minutes)
        if part.end - part.start != expected:
            self.flag(
                names.JOINT_SLOT,
                request.reference,
                f"a part lasts {part.end - part.start}, not {expected}",
            )
        if part.start < request.expected_arrival:
            self.flag(
                names.JOINT_SLOT, request.reference, "a part starts before the consignment arrives"
            )
        if self.now is not None and part.start < self.now:
            self.flag(names.JOINT_SLOT, request.reference, "a part starts in the past")
        grid = site.rules.start_grid_minutes
        since_epoch = part.start - _EPOCH
        if since_epoch % timedelta(minutes=grid):
            self.flag(
                names.BOOKING_GRID,
                request.reference,
                f"a part starts off the {grid}-minute booking grid",
            )
        if self.horizon is not None and (
            part.start < self.horizon[0] or part.end > self.horizon[1]
        ):
            self.flag(names.HORIZON, request.reference, "a part lies outside the planning horizon")
        self.attendance(part)
        self.bay(part)
        self.hours(part)
        if self.hard_notice:
            for agency in part.agencies:
                problem = _notice_problem(site, request, agency, part.start)
                if problem:
                    self.found.append(problem)

    def attendance(self, part: PlannedPart) -> None:
        request, site = self.request, self.site
        attending = [a.agency for a in part.officers]
        if sorted(attending) != sorted(part.agencies):
            self.flag(
                names.JOINT_SLOT,
                request.reference,
                f"officers attend for {sorted(attending)}, the part needs {sorted(part.agencies)}",
            )
        for attendance in part.officers:
            officer_id = attendance.officer_id
            if not site.has_officer(officer_id):
                self.flag(names.JOINT_SLOT, officer_id, f"unknown officer {officer_id}")
                continue
            officer = site.officer(officer_id)
            office = site.office_for(attendance.agency, request.facility)
            if (
                office is None
                or officer.agency != attendance.agency
                or officer.office_id != office.office_id
            ):
                self.flag(
                    names.JOINT_SLOT,
                    officer_id,
                    f"{officer.name} does not work for {attendance.agency} "
                    "at the inspecting office",
                )
                continue
            skill = (
                request.selection(attendance.agency).skill
                if attendance.agency in request.agencies
                else None
            )
            if skill is not None and skill not in officer.skills:
                self.flag(names.JOINT_SLOT, officer_id, f"{officer.name} lacks the skill {skill}")
            if site.agency(attendance.agency).side != office.host_side and not officer.cross_border:
                self.flag(
                    names.JOINT_SLOT,
                    officer_id,
                    f"{officer.name} is not accredited to act across the border",
                )
            if not _covered(officer.duty, part.start, part.end):
                self.flag(
                    names.JOINT_SLOT,
                    officer_id,
                    f"{officer.name} is not on duty for the whole part",
                )

    def bay(self, part: PlannedPart) -> None:
        request, site = self.request, self.site
        if not site.has_bay(part.bay_id):
            self.flag(names.JOINT_SLOT, part.bay_id, f"unknown bay {part.bay_id}")
            return
        bay = site.bay(part.bay_id)
        if bay.host_side != request.facility:
            self.flag(names.JOINT_SLOT, bay.bay_id, f"{bay.name} is not at the inspecting facility")
        missing = request.required_capabilities - bay.capabilities
        if missing:
            self.flag(
                names.JOINT_SLOT, bay.bay_id, f"{bay.name} lacks {', '.join(sorted(missing))}"
            )
        if not _covered(bay.open_windows, part.start, part.end):
            self.flag(names.JOINT_SLOT, bay.bay_id, f"{bay.name} is not open for the whole part")

    def hours(self, part: PlannedPart) -> None:
        request, site = self.request, self.site
        charges = {charge.agency: charge for charge in part.out_of_hours}
        for agency_code in set(charges) - set(part.agencies):
            self.flag(
                names.OFFICE_HOURS,
                agency_code,
                f"{agency_code} charges for a part it does not attend",
            )
        minutes = math.ceil(_minutes(part.end - part.start))
        for agency_code in part.agencies:
            office = site.office_for(agency_code, request.facility)
            if office is None:
                continue
            agency = site.agency(agency_code)
            inside = _covered(office.open_windows, part.start, part.end)
            charge = charges.get(agency_code)
            if inside and charge is not None:
                self.flag(
                    names.OFFICE_HOURS,
                    agency_code,
                    f"{agency_code} charges out of hours for a part inside its hours",
                )
            if inside or charge is None:
                if not inside:
                    self.flag(
                        names.OFFICE_HOURS,
                        agency_code,
                        f"the {agency_code} office is closed during the part",
                    )
                continue
            if agency.out_of_hours_fee_per_hour is None or not request.accepts_out_of_hours:
                self.flag(
                    names.OFFICE_HOURS,
                    agency_code,
                    f"out-of-hours service by {agency_code} is not available or not accepted",
                )
                continue
            fee = agency.out_of_hours_fee_per_hour * math.ceil(minutes / 60)
            if charge.fee != fee or charge.currency != agency.currency:
                self.flag(
                    names.OFFICE_HOURS,
                    agency_code,
                    f"out-of-hours fee {charge.fee} {charge.currency}, not {fee} {agency.currency}",
                )


# --- double booking --------------------------------------------------------------------------


def _double_bookings(
    site: PostSite, bookings: Sequence[ExistingBooking], *, concerning: str | None = None
) -> list[Violation]:
    """Every officer or bay held beyond its capacity; with ``concerning``, only clashes that
    involve that reference (a booking is not to blame for clashes among the others)."""
    holders: dict[tuple[str, str], list[ExistingBooking]] = defaultdict(list)
    for booking in bookings:
        for officer_id in booking.officer_ids:
            holders[("officer", officer_id)].append(booking)
        if booking.bay_id is not None:
            holders[("bay", booking.bay_id)].append(booking)
    found = []
    for (kind, holder), held in sorted(holders.items()):
        capacity = site.bay(holder).capacity if kind == "bay" and site.has_bay(holder) else 1
        running: list[tuple[datetime, str]] = []  # a heap of (end, reference)
        for booking in sorted(held, key=lambda b: b.start):
            while running and running[0][0] <= booking.start:
                heapq.heappop(running)
            heapq.heappush(running, (booking.end, booking.reference))
            involved = concerning is None or any(ref == concerning for _, ref in running)
            if len(running) > capacity and involved:
                refs = ", ".join(sorted({ref for _, ref in running}))
                found.append(
                    _problem(
                        names.NO_DOUBLE_BOOKING,
                        holder,
                        f"{kind} {holder} is booked by {refs} at "
                        f"{booking.start:%Y-%m-%d %H:%M} UTC, beyond its capacity of {capacity}",
                    )
                )
                break
    return found


# --- objective -------------------------------------------------------------------------------


def _costs(problem: InspectionProblem, solution: BatchSolution) -> list[Violation]:
    site = problem.site
    rules = site.rules
    requests = {request.reference: request for request in problem.requests}
    costs: list[Violation] = []

    def pay(rule: str, subject: str, amount: int, weight: int) -> None:
        if amount > 0:
            costs.append(
                Violation(
                    rule=rule,
                    subject=subject,
                    message=f"{amount} x {weight}",
                    amount=amount,
                    cost=amount * weight,
                )
            )

    planned = {inspection.reference: inspection for inspection in solution.inspections}
    for reference, request in requests.items():
        if reference not in planned:
            pay(names.INSPECTED, reference, 1, site.priority(request.priority_class).value)
    for reference, inspection in planned.items():
        request = requests.get(reference)
        if request is None or not inspection.parts:
            continue
        klass = site.priority(request.priority_class)
        waiting = _waiting(request, inspection)
        pay(names.WAITING, reference, waiting, klass.wait_weight)
        if not rules.max_wait.hard:
            limit = request.max_wait_minutes or klass.max_wait_minutes
            pay(names.MAX_WAIT, reference, waiting - limit, rules.max_wait.weight)
        if inspection.mode != "joint":
            pay(names.SEQUENCE, reference, 1, rules.sequential_weight)
        for part in inspection.parts:
            for charge in part.out_of_hours:
                pay(names.OFFICE_HOURS, charge.agency, charge.fee, rules.out_of_hours_fee_weight)
            if not rules.notice.hard:
                for agency in part.agencies:
                    deadline = _whole_minute_at_or_after(
                        problem.notice_deadlines[reference][agency]
                    )
                    pay(
                        names.NOTICE,
                        agency,
                        round(_minutes(deadline - part.start)),
                        rules.notice.weight,
                    )
    if not rules.queue_order.hard:
        starts = {
            ref: min(p.start for p in inspection.parts)
            for ref, inspection in planned.items()
            if inspection.parts
        }
        for earlier, later in _queue_pairs(problem):
            if earlier in starts and later in starts:
                pay(
                    names.QUEUE_ORDER,
                    earlier,
                    round(_minutes(starts[earlier] - starts[later])),
                    rules.queue_order.weight,
                )
    return costs


def _queue_pairs(problem: InspectionProblem) -> list[tuple[str, str]]:
    """The queue's consecutive turns among competing consignments, derived afresh."""
    site = problem.site
    window = site.rules.queue_window_minutes

    def ready(request: InspectionRequest) -> int:
        moments = [request.expected_arrival, *problem.notice_deadlines[request.reference].values()]
        return max(math.ceil(_minutes(moment - _EPOCH)) for moment in moments)

    cycle: list[str] = []
    for klass in sorted(site.priority_classes, key=lambda c: (c.rank, c.code)):
        cycle += [klass.code] * klass.quota
    ready_at = {request.reference: ready(request) for request in problem.requests}
    buckets: dict[int, dict[str, list[InspectionRequest]]] = defaultdict(lambda: defaultdict(list))
    for request in sorted(problem.requests, key=lambda r: (ready_at[r.reference], r.reference)):
        buckets[ready_at[request.reference] // window][request.priority_class].append(request)
    turns: list[InspectionRequest] = []
    for bucket in sorted(buckets):
        queues = buckets[bucket]
        position = {code: 0 for code in cycle}
        left = sum(len(q) for q in queues.values())
        while left:
            for code in cycle:
                if position[code] < len(queues[code]):
                    turns.append(queues[code][position[code]])
                    position[code] += 1
                    left -= 1
    grouped: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for request in turns:
        key = (
            request.facility,
            tuple(sorted(s.agency for s in request.selections)),
            tuple(sorted(request.required_capabilities)),
        )
        grouped[key].append(request.reference)
    return [
        (a, b)
        for refs in grouped.values()
        for a, b in zip(refs, refs[1:], strict=False)
        if ready_at[a] <= ready_at[b]
    ]


# --- KPIs ------------------------------------------------------------------------------------


def _summary(values: list[float]) -> Statistic:
    if not values:
        return Statistic(count=0, mean=None, median=None, p90=None)
    p90 = (
        values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]
    )
    return Statistic(
        count=len(values),
        mean=round(statistics.fmean(values), 2),
        median=round(statistics.median(values), 2),
        p90=round(p90, 2),
    )


def _stages(pairs: list[tuple[float, float]]) -> StageTimes:
    return StageTimes(
        arrival_to_start=_summary([a for a, _ in pairs]),
        arrival_to_release=_summary([b for _, b in pairs]),
    )


def _kpis(
    requests: Mapping[str, InspectionRequest],
    inspections: Sequence[PlannedInspection],
    not_inspected: int,
) -> KpiReport:
    everything: list[tuple[float, float]] = []
    agency: dict[str, list[tuple[float, float]]] = defaultdict(list)
    category: dict[str, list[tuple[float, float]]] = defaultdict(list)
    priority: dict[str, list[tuple[float, float]]] = defaultdict(list)
    fees: dict[str, int] = defaultdict(int)
    counts = {"joint": 0, "sequential": 0, "out_of_hours": 0}
    for inspection in inspections:
        request = requests.get(inspection.reference)
        if request is None or not inspection.parts:
            continue
        arrival = request.expected_arrival
        release = _minutes(max(p.end for p in inspection.parts) - arrival)
        first = _minutes(min(p.start for p in inspection.parts) - arrival)
        everything.append((first, release))
        category[request.cargo_category].append((first, release))
        priority[request.priority_class].append((first, release))
        for part in inspection.parts:
            for code in part.agencies:
                agency[code].append((_minutes(part.start - arrival), release))
            for charge in part.out_of_hours:
                fees[charge.currency] += charge.fee
        if inspection.mode == "joint":
            counts["joint"] += 1
        elif inspection.mode in ("exit_first", "entry_first"):
            counts["sequential"] += 1
        counts["out_of_hours"] += any(part.out_of_hours for part in inspection.parts)
    return KpiReport(
        overall=_stages(everything),
        by_agency={k: _stages(v) for k, v in sorted(agency.items())},
        by_category={k: _stages(v) for k, v in sorted(category.items())},
        by_priority={k: _stages(v) for k, v in sorted(priority.items())},
        inspected=len(everything),
        not_inspected=not_inspected,
        joint=counts["joint"],
        sequential=counts["sequential"],
        out_of_hours=counts["out_of_hours"],
        fees=dict(sorted(fees.items())),
    )


def _same_kpis(a: KpiReport, b: KpiReport) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        return (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= 0.01)

    def same_stat(x: Statistic, y: Statistic) -> bool:
        return (
            x.count == y.count
            and close(x.mean, y.mean)
            and close(x.median, y.median)
            and close(x.p90, y.p90)
        )

    def same_stages(x: StageTimes, y: StageTimes) -> bool:
        return same_stat(x.arrival_to_start, y.arrival_to_start) and same_stat(
            x.arrival_to_release, y.arrival_to_release
        )

    def same_map(x: Mapping[str, StageTimes], y: Mapping[str, StageTimes]) -> bool:
        return x.keys() == y.keys() and all(same_stages(x[k], y[k]) for k in x)

    return (
        same_stages(a.overall, b.overall)
        and same_map(a.by_agency, b.by_agency)
        and same_map(a.by_category, b.by_category)
        and same_map(a.by_priority, b.by_priority)
        and (a.inspected, a.not_inspected, a.joint, a.sequential, a.out_of_hours)
        == (b.inspected, b.not_inspected, b.joint, b.sequential, b.out_of_hours)
        and dict(a.fees) == dict(b.fees)
    )
