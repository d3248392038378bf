"""Independent checker of opening-hours plans, and the definition of their KPIs.

Given a problem and a plan's windows, it recomputes in plain Python every hard rule, the cost
of every soft rule, the objective, the changes against the published hours and the KPIs, by
replaying each flow's queue first in first out. It imports no OR-Tools and nothing of the
model (``constraints``, ``variables``, ``build``, ``solve``); it reads the problem dataclasses,
works out local days with ``solver.timeutil`` itself, and states each rule the way the
documentation (docs/opening-hours.md) does. The engine's own solutions, plans edited by hand
and the uncoordinated baseline all go through it.

Costs are exact fractions of cost units, so the objective it reports is the solver's to the
last unit.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import accumulate

from solver.hours import names
from solver.hours.present import clock_label
from solver.hours.problem import (
    CENTI,
    SLOT,
    SLOT_MINUTES,
    SLOTS_PER_HOUR,
    FlowKpis,
    HoursChange,
    HoursKpis,
    HoursProblem,
    HoursSolution,
    Office,
    OpeningWindow,
)
from solver.rules import Enforcement
from solver.timeutil import local_grid, local_to_utc

States = dict[str, list[bool]]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowReplay:
    """One flow's queue replayed first in first out, in hundredths of a truck per slot.

    ``waits`` pairs a wait (in slots) with how many hundredths of a truck waited it; trucks
    still waiting when the run-out ends count as waiting until then (``uncleared``).
    """

    flow_id: str
    served: tuple[int, ...]
    backlog: tuple[int, ...]
    waits: tuple[tuple[int, int], ...]
    uncleared: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckReport:
    """What the checker found: broken hard rules (``errors``), the recomputed objective and
    its parts by rule (cost units), the changes against published hours, and the KPIs."""

    errors: tuple[str, ...]
    objective: float
    costs: dict[str, float]
    changes: tuple[HoursChange, ...]
    kpis: HoursKpis
    replays: dict[str, FlowReplay] = field(repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Ledger:
    """Collects broken hard rules and the cost of soft ones."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.costs: dict[str, Fraction] = defaultdict(Fraction)

    def charge(self, rule: str, cost: Fraction) -> None:
        self.costs[rule] += cost

    def breach(self, rule: str, enforcement: Enforcement, amount: Fraction, message: str) -> None:
        """``amount`` units of violation of a rule (hours, blocks, truck-hours...)."""
        if amount <= 0:
            return
        if enforcement.hard:
            self.errors.append(f"{rule}: {message}")
        else:
            self.charge(rule, amount * enforcement.weight)


def check(problem: HoursProblem, solution: HoursSolution) -> CheckReport:
    """Every hard rule, the objective and the KPIs of ``solution``; also flags a solver whose
    own waiting figures disagree with the replay."""
    report = evaluate(problem, solution.windows)
    errors = list(report.errors)
    for flow_id, hours in solution.model_waiting_truck_hours.items():
        replayed = Fraction(sum(report.replays[flow_id].backlog), SLOTS_PER_HOUR * CENTI)
        if abs(float(replayed) - hours) > 1e-6:
            errors.append(
                f"{names.WAITING}: the model's {hours:g} truck-hours for {flow_id} differ from "
                f"the replay's {float(replayed):g}"
            )
    return CheckReport(
        errors=tuple(errors), objective=report.objective, costs=report.costs,
        changes=report.changes, kpis=report.kpis, replays=report.replays,
    )


def evaluate(problem: HoursProblem, windows: Iterable[OpeningWindow]) -> CheckReport:
    """Recompute everything about a set of windows (a plan, a baseline, a hand-edited plan)."""
    ledger = _Ledger()
    states = _states(problem, tuple(windows), ledger)
    days = {office.id: _local_days(problem, office) for office in problem.offices}
    _windows(problem, states, ledger)
    _neighbour(problem, states, ledger)
    _calendar(problem, states, days, ledger)
    _blocks(problem, states, days, ledger)
    _capacity(problem, states, days, ledger)
    _joint_controls(problem, states, ledger)
    _correlation(problem, states, days, ledger)
    _dependency(problem, states, ledger)
    _notice(problem, states, ledger)
    _costs(problem, states, ledger)
    replays = {flow.id: _replay(problem, flow.id, states) for flow in problem.flows}
    _waiting(problem, replays, ledger)
    costs = {rule: float(cost) for rule, cost in ledger.costs.items() if cost}
    return CheckReport(
        errors=tuple(ledger.errors),
        objective=float(sum(ledger.costs.values(), Fraction())),
        costs=costs,
        changes=changes_against_published(problem, states),
        kpis=_kpis(problem, states, replays),
        replays=replays,
    )


# --- windows to slots -------------------------------------------------------------------------


def _slot(problem: HoursProblem, instant: datetime) -> int:
    return max(0, min(problem.plan_slots, (instant - problem.grid_start) // SLOT))


def _slots(problem: HoursProblem, start: datetime, end: datetime) -> range:
    return range(_slot(problem, start), _slot(problem, end))


def _states(problem: HoursProblem, windows: tuple[OpeningWindow, ...], ledger: _Ledger) -> States:
    states: States = {office.id: [False] * problem.plan_slots for office in problem.offices}
    for window in windows:
        if window.office_id not in states:
            ledger.errors.append(f"a window names an unknown office {window.office_id!r}")
            continue
        if (window.start - problem.grid_start) % SLOT or (window.end - problem.grid_start) % SLOT:
            ledger.errors.append(f"{window.office_id}: window {window.start} is off the 15-minute grid")
        if window.start < problem.grid_start or window.end > problem.plan_end or window.end <= window.start:
            ledger.errors.append(f"{window.office_id}: window {window.start}-{window.end} lies outside the plan")
        row = states[window.office_id]
        for slot in _slots(problem, window.start, window.end):
            if row[slot]:
                ledger.errors.append(f"{window.office_id}: windows overlap at {problem.slot_start(slot)}")
            row[slot] = True
    return states


def _local_days(problem: HoursProblem, office: Office) -> dict[date, list[int]]:
    days: dict[date, list[int]] = defaultdict(list)
    for slot, local in enumerate(local_grid(problem.grid_start, problem.plan_slots, SLOT, office.zone)):
        days[local.date()].append(slot)
    return dict(days)


def _hours(slots: int) -> Fraction:
    return Fraction(slots, SLOTS_PER_HOUR)


# --- rules ------------------------------------------------------------------------------------


def _windows(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    for office in problem.offices:
        row = states[office.id]
        musts = [(w.start, w.end, w.label or "mandatory") for w in office.mandatory]
        if office.always_open:
            musts.append((problem.grid_start, problem.plan_end, "open 24/7"))
        for start, end, label in musts:
            closed = sum(1 for slot in _slots(problem, start, end) if not row[slot])
            ledger.breach(names.MANDATORY, office.mandatory_rule, _hours(closed),
                          f"{office.name} is closed {float(_hours(closed)):g} h of {label}")
        for window in office.never_open:
            opened = sum(1 for slot in _slots(problem, window.start, window.end) if row[slot])
            ledger.breach(names.NEVER_OPEN, office.never_open_rule, _hours(opened),
                          f"{office.name} is open {float(_hours(opened)):g} h in {window.label}")


def _neighbour(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    for closure in problem.neighbour_closures:
        allowed = {slot for w in closure.open_windows for slot in _slots(problem, w.start, w.end)}
        rule = names.NEIGHBOUR_REDUCED if closure.open_windows else names.NEIGHBOUR_CLOSURE
        for office in problem.offices:
            if office.side != closure.side or (closure.office_ids and office.id not in closure.office_ids):
                continue
            row = states[office.id]
            opened = sum(
                1 for slot in _slots(problem, closure.start, closure.end)
                if row[slot] and slot not in allowed
            )
            ledger.breach(rule, closure.enforcement, _hours(opened),
                          f"{office.name} is open {float(_hours(opened)):g} h despite {closure.label}")


def _calendar(
    problem: HoursProblem, states: States, days: dict[str, dict[date, list[int]]], ledger: _Ledger
) -> None:
    for office in problem.offices:
        side = problem.side(office.side)
        row = states[office.id]
        for day, slots in days[office.id].items():
            opened = [slot for slot in slots if row[slot]]
            holiday = side.holiday_name(day)
            if office.closed_on_holidays is not None and holiday is not None:
                ledger.breach(names.CLOSED_ON_HOLIDAYS, office.closed_on_holidays,
                              _hours(len(opened)), f"{office.name} opens on {holiday} ({day})")
            if office.closed_on_weekends is not None and day.weekday() in side.weekend_days:
                ledger.breach(names.CLOSED_ON_WEEKENDS, office.closed_on_weekends,
                              _hours(len(opened)), f"{office.name} opens on the weekend ({day})")
            override = next((o for o in office.overrides if o.first_day <= day <= o.last_day), None)
            if override is None or override.exclusive is None:
                continue
            allowed = set()
            for covered in _days_between(override.first_day, override.last_day):
                for window in override.hours.on(covered, side.day_type(covered)):
                    allowed.update(_slots(
                        problem,
                        local_to_utc(covered, window.start_minute, office.zone),
                        local_to_utc(covered, window.end_minute, office.zone),
                    ))
            outside = sum(1 for slot in opened if slot not in allowed)
            ledger.breach(names.DATE_RANGED_HOURS, override.exclusive, _hours(outside),
                          f"{office.name} opens outside {override.label} on {day}")


def _days_between(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _transitions(row: list[bool]) -> tuple[list[int], list[int]]:
    """Per slot, 1 where a block starts (stops); never in the first slot of the plan."""
    starts = [0] + [int(row[s] and not row[s - 1]) for s in range(1, len(row))]
    stops = [0] + [int(row[s - 1] and not row[s]) for s in range(1, len(row))]
    return starts, stops


def _blocks(
    problem: HoursProblem, states: States, days: dict[str, dict[date, list[int]]], ledger: _Ledger
) -> None:
    for office in problem.offices:
        rules = office.blocks
        row = states[office.id]
        starts, stops = _transitions(row)
        for day, slots in days[office.id].items():
            count = sum(starts[slot] for slot in slots)
            ledger.charge(names.FRAGMENTATION, Fraction(count * rules.block_cost))
            ledger.breach(names.MAX_BLOCKS, rules.max_blocks,
                          Fraction(max(0, count - rules.max_blocks_per_day)),
                          f"{office.name} opens {count} blocks on {day}")
        for events, wanted, minutes, enforcement, rule in (
            (starts, True, rules.min_block_minutes, rules.min_block, names.MIN_BLOCK),
            (stops, False, rules.min_fragment_minutes, rules.min_fragment, names.MIN_FRAGMENT),
        ):
            length = minutes // SLOT_MINUTES
            if length <= 1:
                continue
            short = 0
            before = list(accumulate(events, initial=0))  # before[s]: events in slots < s
            for slot in range(1, len(row)):
                recent = before[slot + 1] - before[max(1, slot - length + 1)]
                short += max(0, recent - int(row[slot] == wanted))
            ledger.breach(rule, enforcement, _hours(short),
                          f"{office.name} has runs shorter than {minutes} minutes "
                          f"({float(_hours(short)):g} h short)")


def _capacity(
    problem: HoursProblem, states: States, days: dict[str, dict[date, list[int]]], ledger: _Ledger
) -> None:
    for office in problem.offices:
        staffing = office.staffing
        row = states[office.id]
        weeks: dict[int, int] = defaultdict(int)
        for day, slots in days[office.id].items():
            opened = sum(1 for slot in slots if row[slot])
            weeks[(day - problem.first_day).days // 7] += opened
            if staffing.max_open_minutes_per_day is not None:
                over = opened - staffing.max_open_minutes_per_day // SLOT_MINUTES
                ledger.breach(names.STAFFING_DAY, staffing.enforcement, _hours(max(0, over)),
                              f"{office.name} is open beyond its staffing capacity on {day}")
        if staffing.max_open_minutes_in_plan is not None:
            over = sum(row) - staffing.max_open_minutes_in_plan // SLOT_MINUTES
            ledger.breach(names.STAFFING_PLAN, staffing.enforcement, _hours(max(0, over)),
                          f"{office.name} is open beyond its staffing capacity over the plan")
        if staffing.max_open_minutes_per_week is not None:
            for week, opened in weeks.items():
                over = opened - staffing.max_open_minutes_per_week // SLOT_MINUTES
                ledger.breach(names.STAFFING_WEEK, staffing.enforcement, _hours(max(0, over)),
                              f"{office.name} is open beyond its staffing capacity in week {week + 1}")
    if problem.staff_hours_budget is not None:
        officer_slots = sum(office.crew * sum(states[office.id]) for office in problem.offices)
        over = officer_slots - problem.staff_hours_budget * SLOTS_PER_HOUR
        ledger.breach(names.STAFF_BUDGET, problem.staff_budget_rule, _hours(max(0, over)),
                      f"the plan uses {float(_hours(officer_slots)):g} officer-hours, "
                      f"beyond the budget of {problem.staff_hours_budget}")


def _joint_controls(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    for first, second in problem.counterpart_pairs():
        if not first.joint_controls:
            continue
        alone = sum(1 for a, b in zip(states[first.id], states[second.id], strict=True) if a != b)
        ledger.breach(names.JOINT_CONTROLS, problem.joint_rule_of(first, second), _hours(alone),
                      f"{first.name} and {second.name} are open apart {float(_hours(alone)):g} h")


def _correlation(
    problem: HoursProblem, states: States, days: dict[str, dict[date, list[int]]], ledger: _Ledger
) -> None:
    for first, second in problem.counterpart_pairs():
        rule = first.correlation or second.correlation
        if rule is None:
            continue
        a, b = states[first.id], states[second.id]
        for day, slots in days[first.id].items():
            overlap = sum(1 for slot in slots if a[slot] and b[slot])
            if rule.min_share_percent:
                opened = max(sum(a[slot] for slot in slots), sum(b[slot] for slot in slots))
                missing = math.ceil(max(0, rule.min_share_percent * opened - 100 * overlap) / 100)
                ledger.breach(names.CORRELATION_SHARE, rule.share, _hours(missing),
                              f"{first.name} and {second.name} are open together only "
                              f"{float(_hours(overlap)):g} h on {day}")
            minimum = min(rule.min_overlap_minutes // SLOT_MINUTES, len(slots))
            if minimum and any(a[slot] or b[slot] for slot in slots):
                ledger.breach(names.CORRELATION_OVERLAP, rule.overlap,
                              _hours(max(0, minimum - overlap)),
                              f"{first.name} and {second.name} are open together only "
                              f"{float(_hours(overlap)):g} h on {day}")


def _dependency(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    for flow in problem.flows:
        if flow.dependency is None or flow.lead_office_id is None:
            continue
        lead = states[flow.lead_office_id]
        for check in flow.checks:
            if check.office_id == flow.lead_office_id:
                continue
            needed = states[check.office_id]
            missing = sum(1 for x, y in zip(lead, needed, strict=True) if x and not y)
            ledger.breach(names.DEPENDENCY, flow.dependency, _hours(missing),
                          f"{problem.office(check.office_id).name} is closed "
                          f"{float(_hours(missing)):g} h while customs handles {flow.name}")


def _published_states(problem: HoursProblem) -> dict[str, dict[int, bool]]:
    """Per office, the published state of every plan slot the published hours cover."""
    result: dict[str, dict[int, bool]] = defaultdict(dict)
    for entry in problem.published:
        covered = result[entry.office_id]
        for slot in _slots(problem, entry.start, entry.end):
            covered[slot] = False
        for window in entry.windows:
            for slot in _slots(problem, window.start, window.end):
                covered[slot] = True
    return result


def _notice(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    policy = problem.notice
    if policy is None:
        return
    for office_id, published in _published_states(problem).items():
        office = problem.office(office_id)
        row = states[office_id]
        past = notice = 0
        for slot, was_open in published.items():
            start = problem.slot_start(slot)
            if row[slot] == was_open or start >= policy.deadline:
                continue
            if start < policy.now:
                past += 1
            else:
                notice += 1
        if past:
            ledger.errors.append(f"{names.PAST}: {office.name} changes {float(_hours(past)):g} h "
                                 "of published hours already in the past")
        ledger.breach(names.NOTICE, policy.enforcement, _hours(notice),
                      f"{office.name} changes {float(_hours(notice)):g} h of published hours "
                      f"within the {policy.notice_hours} h notice period")


def _costs(problem: HoursProblem, states: States, ledger: _Ledger) -> None:
    for office in problem.offices:
        row = states[office.id]
        regular = {
            slot for w in problem.regular_windows[office.id] for slot in _slots(problem, w.start, w.end)
        }
        opened = sum(row)
        outside = sum(1 for slot, is_open in enumerate(row) if is_open and slot not in regular)
        ledger.charge(names.STAFF_HOURS, _hours(opened) * office.crew * office.officer_hour_cost)
        ledger.charge(names.OUT_OF_HOURS, _hours(outside) * office.crew * office.out_of_hours_premium)


# --- the queue --------------------------------------------------------------------------------


def _replay(problem: HoursProblem, flow_id: str, states: States) -> FlowReplay:
    flow = problem.flow(flow_id)
    offices = [check.office_id for check in flow.checks]
    capacity = problem.capacity_centi[flow_id]
    queue: deque[list[int]] = deque()  # [arrival slot, hundredths still waiting]
    served_per_slot, backlog_per_slot, waits = [], [], []
    backlog = 0
    for slot, arriving in enumerate(problem.arrivals_centi[flow_id]):
        if arriving:
            queue.append([slot, arriving])
            backlog += arriving
        if slot < problem.plan_slots:
            open_ = all(states[office_id][slot] for office_id in offices)
        else:
            open_ = all(problem.runout_open[o][slot - problem.plan_slots] for o in offices)
        room = capacity if open_ else 0
        served = 0
        while queue and room:
            cohort = queue[0]
            taken = min(room, cohort[1])
            waits.append((slot - cohort[0], taken))
            cohort[1] -= taken
            room -= taken
            served += taken
            if not cohort[1]:
                queue.popleft()
        served_per_slot.append(served)
        backlog -= served
        backlog_per_slot.append(backlog)
    uncleared = 0
    for arrived, left in queue:
        waits.append((problem.total_slots - arrived, left))
        uncleared += left
    return FlowReplay(
        flow_id=flow_id, served=tuple(served_per_slot), backlog=tuple(backlog_per_slot),
        waits=tuple(waits), uncleared=uncleared,
    )


def _waiting(problem: HoursProblem, replays: dict[str, FlowReplay], ledger: _Ledger) -> None:
    for flow in problem.flows:
        replay = replays[flow.id]
        truck_slots = sum(wait * amount for wait, amount in replay.waits)
        ledger.charge(names.WAITING, Fraction(truck_slots * flow.waiting_cost_per_truck_hour,
                                              SLOTS_PER_HOUR * CENTI))
        if flow.max_wait_minutes is None:
            continue
        limit = flow.max_wait_minutes // SLOT_MINUTES
        beyond = sum(max(0, wait - limit) * amount for wait, amount in replay.waits)
        ledger.breach(names.MAX_WAIT, flow.max_wait, Fraction(beyond, SLOTS_PER_HOUR * CENTI),
                      f"trucks of {flow.name} wait beyond {flow.max_wait_minutes} minutes "
                      f"({beyond / (SLOTS_PER_HOUR * CENTI):g} truck-hours)")


def _percentile(waits: list[tuple[int, int]], share: float) -> float:
    """The smallest wait (minutes) that at least ``share`` of the trucks do not exceed."""
    total = sum(amount for _, amount in waits)
    if not total:
        return 0.0
    running = 0
    for wait, amount in sorted(waits):
        running += amount
        if running >= share * total:
            return float(wait * SLOT_MINUTES)
    return float(max(wait for wait, _ in waits) * SLOT_MINUTES)


def _wait_summary(waits: list[tuple[int, int]]) -> dict[str, float]:
    total = sum(amount for _, amount in waits)
    waited = sum(wait * amount for wait, amount in waits)
    return {
        "trucks": total / CENTI,
        "served_without_waiting_share": (
            sum(amount for wait, amount in waits if wait == 0) / total if total else 1.0
        ),
        "mean_wait_minutes": waited * SLOT_MINUTES / total if total else 0.0,
        "median_wait_minutes": _percentile(waits, 0.5),
        "p90_wait_minutes": _percentile(waits, 0.9),
        "waiting_truck_hours": waited / (SLOTS_PER_HOUR * CENTI),
    }


def _kpis(problem: HoursProblem, states: States, replays: dict[str, FlowReplay]) -> HoursKpis:
    flows = []
    for flow in problem.flows:
        replay = replays[flow.id]
        waits = list(replay.waits)
        flows.append(FlowKpis(
            flow_id=flow.id, category=flow.category, exit_side=flow.exit_side,
            entry_side=flow.entry_side,
            max_wait_minutes=float(max((w for w, a in waits if a), default=0) * SLOT_MINUTES),
            uncleared_trucks=replay.uncleared / CENTI,
            **_wait_summary(waits),
        ))
    everything = [pair for replay in replays.values() for pair in replay.waits]
    overall = _wait_summary(everything)
    office_slots = staff_slots = outside_slots = 0
    for office in problem.offices:
        row = states[office.id]
        regular = {
            slot for w in problem.regular_windows[office.id] for slot in _slots(problem, w.start, w.end)
        }
        opened = sum(row)
        office_slots += opened
        staff_slots += office.crew * opened
        outside_slots += office.crew * sum(1 for s, o in enumerate(row) if o and s not in regular)
    return HoursKpis(
        flows=tuple(flows),
        office_hours=office_slots / SLOTS_PER_HOUR,
        staff_hours=staff_slots / SLOTS_PER_HOUR,
        out_of_hours_staff_hours=outside_slots / SLOTS_PER_HOUR,
        **overall,
    )


# --- changes against published hours ----------------------------------------------------------


def changes_against_published(problem: HoursProblem, states: States) -> tuple[HoursChange, ...]:
    """Every run of slots whose state differs from the published one, split where the notice
    it gives crosses ``now`` or the end of the notice period."""
    policy = problem.notice
    changes = []
    for office_id, published in sorted(_published_states(problem).items()):
        office = problem.office(office_id)
        row = states[office_id]
        run: list[int] = []
        key: tuple[str, int] | None = None
        for slot in sorted(published):
            if row[slot] == published[slot]:
                slot_key = None
            else:
                start = problem.slot_start(slot)
                phase = 0 if policy is None else (start >= policy.now) + (start >= policy.deadline)
                slot_key = ("opens" if row[slot] else "closes", phase)
            if run and (slot_key != key or slot != run[-1] + 1):
                changes.append(_change(problem, office, run, key))
                run = []
            if slot_key is not None:
                run.append(slot)
            key = slot_key
        if run:
            changes.append(_change(problem, office, run, key))
    return tuple(changes)


def _change(
    problem: HoursProblem, office: Office, run: list[int], key: tuple[str, int] | None
) -> HoursChange:
    assert key is not None
    kind = "opens" if key[0] == "opens" else "closes"
    start, end = problem.slot_start(run[0]), problem.slot_start(run[-1] + 1)
    policy = problem.notice
    when = clock_label(start, end, office.zone)
    if policy is None:
        return HoursChange(office_id=office.id, kind=kind, start=start, end=end, notice_hours=None,
                           within_notice=False, message=f"{office.name} now {kind} {when}")
    notice = (start - policy.now) / timedelta(hours=1)
    within = start < policy.deadline
    verdict = (
        f"inside the {policy.notice_hours} h notice period" if within
        else f"the post requires {policy.notice_hours} h"
    )
    return HoursChange(
        office_id=office.id, kind=kind, start=start, end=end, notice_hours=notice,
        within_notice=within,
        message=f"{office.name} now {kind} {when}: {notice:g} h notice ({verdict})",
    )
