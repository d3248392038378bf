"""Average weekly working hours over a reference period (e.g. 48 h over 17 weeks).

Windows are every run of ``reference_days`` known days (history and horizon) that reaches
into the horizon; with fewer days known, the single window of every known day, its limit
scaled to its length (rounded down to a minute). Soft: a weight per minute over, per window.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import AverageHours, RosterProblem
from solver.roster.variables import (
    Guard,
    Penalty,
    RosterVars,
    day_of,
    minutes_worked,
    penalty_or_constraint,
)

NAME = names.AVERAGE_HOURS


def average_windows(problem: RosterProblem, rule: AverageHours) -> list[tuple[int, int, int]]:
    """(first day index, last day index, minute cap) of each window the rule checks."""
    first = -problem.history_days
    known = problem.days + problem.history_days
    if known <= rule.reference_days:
        return [(first, problem.days - 1, rule.max_minutes_per_week * known // 7)]
    cap = rule.max_minutes_per_week * rule.reference_days // 7
    return [(start, start + rule.reference_days - 1, cap)
            for start in range(first, problem.days - rule.reference_days + 1)]


def add_average_hours(model: cp_model.CpModel, problem: RosterProblem,
                      v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        rule = officer.rules.average_hours
        if rule is None:
            continue
        past: dict[int, int] = defaultdict(int)
        for shift in v.history_of(officer.id):
            past[problem.day_index(shift.day)] += shift.minutes
        weekly = f"{rule.max_minutes_per_week / 60:g} h"
        for first, last, cap in average_windows(problem, rule):
            shifts = [s for s in v.shifts_of(officer.id)
                      if first <= problem.day_index(s.day) <= last]
            fixed = sum(m for d, m in past.items() if first <= d <= last)
            worked = minutes_worked(v, officer.id, shifts) + fixed
            period = (f"{day_of(problem, first).isoformat()} to "
                      f"{day_of(problem, last).isoformat()}")
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          days=tuple(sorted({s.day for s in shifts})),
                          message=f"{officer.name} averages at most {weekly} a week "
                                  f"from {period} (at most {cap / 60:g} h)",
                          topic=f"is at the {weekly} average limit")
            penalties += penalty_or_constraint(
                model, v, excess=worked - cap, upper=fixed + sum(s.minutes for s in shifts) - cap,
                enforcement=rule.enforcement, rule=NAME, scope=f"{officer.id}: {period}",
                subject=officer.name, day=day_of(problem, last), guard=guard,
                message=f"{officer.name} works {{amount}} minutes over an average of {weekly} "
                        f"a week from {period}")
    return penalties
