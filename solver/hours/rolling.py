"""A plan improved a few days at a time.

A month of a busy post's hours is a large model: CP-SAT's relaxation of it takes seconds and
its neighbourhood search moves slowly (on the Kapitan Andreevo sample's plant health and
food safety offices it improved its start by 0.1 % in 5 s). A few days of it solve to within
a percent in under a second. So the plan is re-planned a window of days at a time, in turn:

* The window's problem is the part's problem over the window's local days, with the queue
  carried in: the trucks still waiting when the window starts, from the checker's replay of
  the current plan. (A window that also saw the next day, so as not to leave its last
  trucks to a day it cannot see, took longer and saved less: 5.42 M against 5.18 M in 30 s.)
* A weekly or plan-wide staffing limit is reduced by what the plan opens outside the window
  in that week or plan, so the window gets what is left of it.
* Its search starts from the current plan (a whole plan, queues settled), so it never ends
  worse than the plan it started from.
* The window's days are put back into the plan and the independent checker prices the whole
  plan: the new days stand only if the plan costs less.

Windows stay within the plan's weeks (weeks are 7-day blocks from its first day) and go
round until the time is up or a round changes nothing.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.hours.baseline import closed_slots
from solver.hours.build import build_model
from solver.hours.checker import CheckReport, evaluate
from solver.hours.present import windows_from_states
from solver.hours.problem import CENTI, SLOT_MINUTES, HoursProblem, Office
from solver.hours.repair import runs
from solver.hours.settle import ENGINE, new_solver, settle_hint

Rows = dict[str, tuple[bool, ...]]

# On the Kapitan Andreevo sample's plant health and food safety offices, from their longest
# hours (5.83 M), 30 s of two-day windows of 2 s each reached 5.18 M; one-day windows 5.20 M,
# three-day ones 5.36 M, and two-day ones of 1.5 or 2.5 s 5.25-5.29 M. (CP-SAT on the whole
# month reached 5.49 M in 60 s and 5.05 M in 300 s.)
WINDOW_DAYS = 2
WINDOW_SECONDS = 2.0
# Below this a window's search seldom gets past its start.
MIN_WINDOW_SECONDS = 1.0


def improve_by_days(
    problem: HoursProblem, rows: Rows, evaluation: CheckReport, config: SolverConfig, seconds: float
) -> tuple[Rows, CheckReport]:
    """``rows`` (every office's opening, keeping every hard rule; ``evaluation`` the
    checker's report on it) improved window by window for at most ``seconds``, the windows
    where trucks wait most first."""
    deadline = time.monotonic() + seconds
    windows = _windows(problem)
    if len(windows) < 2:
        return rows, evaluation
    changed = True
    while changed:
        changed = False
        for first, days in sorted(windows, key=lambda window: -_waiting_within(problem, evaluation, *window)):
            left = deadline - time.monotonic()
            if left < MIN_WINDOW_SECONDS:
                return rows, evaluation
            window_config = dataclasses.replace(config, time_limit_seconds=min(left, WINDOW_SECONDS))
            candidate = _replanned(problem, rows, evaluation, first, days, window_config)
            if candidate is None:
                continue
            report = evaluate(problem, windows_from_states(problem, candidate))
            if report.errors:
                candidate = _with_runs_lengthened(problem, candidate)
                report = evaluate(problem, windows_from_states(problem, candidate))
            if not report.errors and report.objective < evaluation.objective - 0.005:
                rows, evaluation, changed = candidate, report, True
    return rows, evaluation


def _windows(problem: HoursProblem) -> list[tuple[int, int]]:
    """(first day, days) of each window, counted from the plan's first day."""
    windows = []
    for week_start in range(0, problem.days, 7):
        week_end = min(week_start + 7, problem.days)
        for first in range(week_start, week_end, WINDOW_DAYS):
            windows.append((first, min(WINDOW_DAYS, week_end - first)))
    return windows


def _waiting_within(problem: HoursProblem, evaluation: CheckReport, first: int, days: int) -> float:
    """What the trucks waiting in the window's days cost in ``evaluation``'s plan."""
    per_day = problem.plan_slots / problem.days
    slots = slice(round(first * per_day), round((first + days) * per_day))
    return sum(
        sum(evaluation.replays[flow.id].backlog[slots]) * flow.waiting_cost_per_truck_hour
        for flow in problem.flows
    )


def _replanned(
    problem: HoursProblem, rows: Rows, evaluation: CheckReport, first: int, days: int, config: SolverConfig
) -> Rows | None:
    """``rows`` with days [first, first + days) planned again; ``None`` if that found nothing."""
    window = _window_problem(problem, rows, evaluation, first, days)
    offset = (window.grid_start - problem.grid_start) // timedelta(minutes=SLOT_MINUTES)
    start = {
        office_id: tuple(row[offset : offset + window.plan_slots]) for office_id, row in rows.items()
    }
    # Building the window's model counts against its time.
    started = time.monotonic()
    built = build_model(window, hint=start)
    window_evaluation = evaluate(window, windows_from_states(window, start))
    if not window_evaluation.errors:
        settle_hint(built, start, window_evaluation, config)
    left = dataclasses.replace(
        config, time_limit_seconds=max(config.time_limit_seconds - (time.monotonic() - started), 0.1)
    )
    run = run_cpsat(built.model, left, engine=ENGINE, solver=new_solver())
    if not run.has_solution:
        return None
    found = built.vars.values(run.solver)
    last_day = window.first_day + timedelta(days=days)
    result = {}
    for office_id, row in rows.items():
        merged = list(row)
        for day in problem.office_days[office_id]:
            if window.first_day <= day.day < last_day:
                for slot in range(day.first_slot, day.end_slot):
                    merged[slot] = found[office_id][slot - offset]
        result[office_id] = tuple(merged)
    return result


def _with_runs_lengthened(problem: HoursProblem, rows: Rows) -> Rows:
    """``rows`` with every run of opening, and every break, that is too short made long
    enough where no hard rule closes the office.

    A window's model lets a run that touches its first or last slot be short, since it may
    continue beyond the window (as at the ends of the plan); put back into the plan, next
    to a closed hour, it is a fragment: the midnight hour and three quarters that clear an
    evening's trucks becomes two hours.
    """
    result = {}
    for office in problem.offices:
        closed = closed_slots(problem, office)
        row = list(rows[office.id])
        block = -(-max(office.blocks.min_block_minutes, office.blocks.min_fragment_minutes) // SLOT_MINUTES)
        brk = -(-office.blocks.min_fragment_minutes // SLOT_MINUTES)
        for first, end, is_open in runs(row):
            if first == 0 or end == len(row):
                continue
            if not is_open and end - first < brk and not closed.intersection(range(first, end)):
                row[first:end] = [True] * (end - first)
        for first, end, is_open in runs(row):
            if not is_open or first == 0 or end == len(row) or end - first >= block:
                continue
            later = range(end, min(first + block, len(row)))
            earlier = range(max(0, end - block), first)
            for extra in (later, earlier):
                if not closed.intersection(extra):
                    for slot in extra:
                        row[slot] = True
                    break
        result[office.id] = tuple(row)
    return result


def _window_problem(
    problem: HoursProblem, rows: Rows, evaluation: CheckReport, first: int, days: int
) -> HoursProblem:
    """The part's problem over days [first, first + days), with the trucks still waiting when
    it starts carried in and each staffing limit reduced by what the plan opens outside."""
    first_day = problem.first_day + timedelta(days=first)
    window = dataclasses.replace(problem, first_day=first_day, days=days)
    offset = (window.grid_start - problem.grid_start) // timedelta(minutes=SLOT_MINUTES)
    flows = tuple(
        flow if offset == 0 else dataclasses.replace(
            flow, initial_backlog_trucks=evaluation.replays[flow.id].backlog[offset - 1] / CENTI
        )
        for flow in problem.flows
    )
    inside = {first_day + timedelta(days=index) for index in range(days)}
    week = first // 7
    offices = tuple(_with_limits_left(problem, office, rows, inside, week) for office in problem.offices)
    return dataclasses.replace(problem, first_day=first_day, days=days, flows=flows, offices=offices)


def _with_limits_left(
    problem: HoursProblem, office: Office, rows: Rows, inside: set[date], week: int
) -> Office:
    staffing = office.staffing
    if staffing.max_open_minutes_per_week is None and staffing.max_open_minutes_in_plan is None:
        return office
    row = rows[office.id]
    outside_week = outside_plan = 0
    for day in problem.office_days[office.id]:
        if day.day in inside:
            continue
        minutes = sum(row[day.first_slot : day.end_slot]) * SLOT_MINUTES
        outside_plan += minutes
        if day.week == week:
            outside_week += minutes

    def left(limit: int | None, used: int) -> int | None:
        return None if limit is None else max(0, limit - used)

    return dataclasses.replace(office, staffing=dataclasses.replace(
        staffing,
        max_open_minutes_per_week=left(staffing.max_open_minutes_per_week, outside_week),
        max_open_minutes_in_plan=left(staffing.max_open_minutes_in_plan, outside_plan),
    ))
