"""From planned opening hours and forecast traffic to the officers each office needs on duty.

For every office and every 30-minute UTC interval in which it is open, the need is its
minimum crew, or more when the trucks it will clear in that interval take more officer time:
each flow's trucks are replayed first in, first out through the planned windows (a truck
waits while any office it needs is closed, then is cleared as soon as all are open), and each
cleared truck costs the office its documentary minutes plus its selection rate times the
inspection minutes. A check that needs a skill (veterinary, scanner) adds a need of one
officer with that skill while the office is open and the category is expected.

Pure: a function of the hours problem and the windows chosen, shared by the planning
pipeline and the tests; it converts no times (the problem's grid is already UTC).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from solver.hours.problem import CENTI, SLOT_MINUTES, HoursProblem, OpeningWindow

INTERVAL_MINUTES = 30
SLOTS_PER_INTERVAL = INTERVAL_MINUTES // SLOT_MINUTES


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffingNeed:
    """``required`` officers (with ``skill``, if given) on duty at ``office_id`` throughout [start, end) UTC."""

    office_id: str
    skill: str | None
    start: datetime
    end: datetime
    required: int


def open_states(problem: HoursProblem, windows: tuple[OpeningWindow, ...]) -> dict[str, list[bool]]:
    states = {office.id: [False] * problem.plan_slots for office in problem.offices}
    for window in windows:
        row = states[window.office_id]
        for slot in problem.slot_range(window.start, window.end, limit=problem.plan_slots):
            row[slot] = True
    return states


def cleared_per_slot(problem: HoursProblem, states: dict[str, list[bool]]) -> dict[str, list[float]]:
    """Trucks of each flow cleared in each slot, first in first out, without a capacity cap:
    the staffing need is what clearing the demand takes, the roster then shows any shortfall."""
    cleared: dict[str, list[float]] = {}
    for flow in problem.flows:
        arrivals = problem.arrivals_centi[flow.id]
        offices = [check.office_id for check in flow.checks]
        backlog = 0.0
        row = [0.0] * problem.plan_slots
        for slot in range(problem.plan_slots):
            backlog += arrivals[slot] / CENTI
            if backlog > 0 and all(states[office][slot] for office in offices):
                row[slot], backlog = backlog, 0.0
        cleared[flow.id] = row
    return cleared


def staffing_demand(problem: HoursProblem, windows: tuple[OpeningWindow, ...]) -> tuple[StaffingNeed, ...]:
    states = open_states(problem, windows)
    cleared = cleared_per_slot(problem, states)
    workload: dict[str, list[float]] = defaultdict(lambda: [0.0] * problem.plan_slots)
    skills: dict[str, set[str]] = defaultdict(set)
    for flow in problem.flows:
        for check in flow.checks:
            minutes = check.officer_minutes_per_truck
            load = workload[check.office_id]
            for slot, trucks in enumerate(cleared[flow.id]):
                load[slot] += trucks * minutes / SLOT_MINUTES
            if check.skill and check.selection_rate > 0:
                skills[check.office_id].add(check.skill)
    needs: list[StaffingNeed] = []
    step = timedelta(minutes=INTERVAL_MINUTES)
    for office in problem.offices:
        row = states[office.id]
        load = workload.get(office.id, [0.0] * problem.plan_slots)
        for first in range(0, problem.plan_slots, SLOTS_PER_INTERVAL):
            slots = range(first, min(first + SLOTS_PER_INTERVAL, problem.plan_slots))
            if not any(row[slot] for slot in slots):
                continue
            start = problem.slot_start(first)
            officers = max(office.crew, math.ceil(max(load[slot] for slot in slots) - 1e-9))
            needs.append(StaffingNeed(office_id=office.id, skill=None, start=start, end=start + step, required=officers))
            for skill in sorted(skills.get(office.id, ())):
                needs.append(StaffingNeed(office_id=office.id, skill=skill, start=start, end=start + step, required=1))
    return tuple(needs)

