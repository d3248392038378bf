"""Staffing capacity: an office opens no more than its agency's officers can staff with a
full crew, per local day, per week and over the plan; and the post's staff-hour budget, in
officer-hours over the plan (crew x open hours, summed over every office)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import weighted_count
from solver.hours.penalties import Penalty, per_hour
from solver.hours.problem import SLOT_MINUTES, SLOTS_PER_HOUR, HoursProblem
from solver.hours.variables import HardRule, HoursVars

NAME = "Staffing capacity"


def add_capacity(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for office in problem.offices:
        staffing = office.staffing
        row = vars.open[office.id]
        weeks: dict[int, list[int]] = defaultdict(list)
        for day in problem.office_days[office.id]:
            slots = list(range(day.first_slot, day.end_slot))
            weeks[day.week] += slots
            if staffing.max_open_minutes_per_day is not None:
                penalties += _limit(
                    model, vars, [row[slot] for slot in slots],
                    staffing.max_open_minutes_per_day // SLOT_MINUTES, staffing.enforcement.hard,
                    staffing.enforcement.weight,
                    HardRule(names.STAFFING_DAY, office.name, day.day,
                             f"{office.name} can be staffed at most "
                             f"{staffing.max_open_minutes_per_day / 60:g} h on {day.day.isoformat()}"),
                )
        if staffing.max_open_minutes_per_week is not None:
            for week, slots in sorted(weeks.items()):
                week_start = problem.first_day + timedelta(days=7 * week)
                penalties += _limit(
                    model, vars, [row[slot] for slot in slots],
                    staffing.max_open_minutes_per_week // SLOT_MINUTES, staffing.enforcement.hard,
                    staffing.enforcement.weight,
                    HardRule(names.STAFFING_WEEK, office.name, week_start,
                             f"{office.name} can be staffed at most "
                             f"{staffing.max_open_minutes_per_week / 60:g} h in the week from "
                             f"{week_start.isoformat()}"),
                )
        if staffing.max_open_minutes_in_plan is not None:
            penalties += _limit(
                model, vars, list(row), staffing.max_open_minutes_in_plan // SLOT_MINUTES,
                staffing.enforcement.hard, staffing.enforcement.weight,
                HardRule(names.STAFFING_PLAN, office.name, None,
                         f"{office.name} can be staffed at most "
                         f"{staffing.max_open_minutes_in_plan / 60:g} h over the plan"),
            )
    if problem.staff_hours_budget is not None:
        officer_slots = sum(
            weighted_count(vars.open[office.id], office.crew) for office in problem.offices
        )
        budget = problem.staff_hours_budget * SLOTS_PER_HOUR
        rule = problem.staff_budget_rule
        if rule.hard:
            vars.require(
                model.add(officer_slots <= budget),
                HardRule(names.STAFF_BUDGET, problem.post, None,
                         f"the plan stays within {problem.staff_hours_budget} officer-hours"),
            )
        else:
            excess = model.new_int_var(0, sum(o.crew for o in problem.offices) * problem.plan_slots,
                                       "staff_budget_excess")
            model.add(officer_slots - budget <= excess)
            penalties.append(per_hour(names.STAFF_BUDGET, problem.post, None, excess, rule.weight,
                                      "officer-hours beyond the budget", unit="officer-hours"))
    return penalties


def _limit(
    model: cp_model.CpModel,
    vars: HoursVars,
    literals: list[cp_model.IntVar],
    max_slots: int,
    hard: bool,
    weight: int,
    rule: HardRule,
) -> list[Penalty]:
    if len(literals) <= max_slots:
        return []
    opened = weighted_count(literals)
    if hard:
        vars.require(model.add(opened <= max_slots), rule)
        return []
    excess = model.new_int_var(0, len(literals) - max_slots, f"over_capacity[{rule.subject}][{rule.day}]")
    model.add(opened - max_slots <= excess)
    return [per_hour(rule.rule, rule.subject, rule.day, excess, weight, "open beyond staffing capacity")]
