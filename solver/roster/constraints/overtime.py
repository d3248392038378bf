"""Overtime: minutes beyond the regular week cost, per minute (hard: no overtime at all).

Weeks are 7-day blocks from the first day of the horizon; a shorter last block has a
proportionally smaller regular allowance, rounded down.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import Overtime, RosterProblem
from solver.roster.variables import (
    Guard,
    Penalty,
    RosterVars,
    day_of,
    minutes_worked,
    penalty_or_constraint,
)

NAME = names.OVERTIME


def overtime_weeks(problem: RosterProblem, rule: Overtime) -> list[tuple[int, int, int]]:
    """(first day index, last day index, regular minutes) of each week of the horizon."""
    weeks = []
    for first in range(0, problem.days, 7):
        last = min(first + 6, problem.days - 1)
        weeks.append((first, last, rule.regular_minutes_per_week * (last - first + 1) // 7))
    return weeks


def add_overtime(model: cp_model.CpModel, problem: RosterProblem,
                 v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        rule = officer.rules.overtime
        if rule is None:
            continue
        for first, last, regular in overtime_weeks(problem, rule):
            shifts = [s for s in v.shifts_of(officer.id)
                      if first <= problem.day_index(s.day) <= last]
            worked = minutes_worked(v, officer.id, shifts)
            start = day_of(problem, first)
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          days=tuple(sorted({s.day for s in shifts})),
                          message=f"{officer.name} works no overtime beyond {regular / 60:g} h "
                                  f"in the week of {start.isoformat()}")
            penalties += penalty_or_constraint(
                model, v, excess=worked - regular,
                upper=sum(s.minutes for s in shifts) - regular, enforcement=rule.enforcement,
                rule=NAME, scope=f"{officer.id}: week {first // 7}", subject=officer.name,
                day=start, guard=guard,
                message=f"{officer.name} works {{amount}} minutes of overtime in the week of "
                        f"{start.isoformat()}")
    return penalties
