"""Maximum weekends worked over the horizon.

A weekend is a run of consecutive days on the officer's weekend weekdays (Saturday-Sunday,
or Friday-Saturday where that is the country's weekend); it is worked when any of its days
is. Weekends reaching into the horizon count, their history days included.
"""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import Officer, RosterProblem
from solver.roster.variables import (
    DayState,
    Guard,
    Penalty,
    RosterVars,
    day_of,
    penalty_or_constraint,
    total,
)

NAME = names.WEEKENDS


def weekends(problem: RosterProblem, officer: Officer) -> list[list[int]]:
    """Day indexes of each weekend that reaches into the horizon (history days included)."""
    groups: list[list[int]] = []
    current: list[int] = []
    for index in range(-problem.history_days, problem.days):
        if day_of(problem, index).weekday() in officer.rules.weekend_days:
            current.append(index)
            continue
        if current:
            groups.append(current)
        current = []
    if current:
        groups.append(current)
    return [g for g in groups if g[-1] >= 0]


def add_weekends(model: cp_model.CpModel, problem: RosterProblem,
                 v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        limit = officer.rules.max_weekends
        if limit is None:
            continue
        first, states = v.day_states(officer)
        worked: list[DayState] = []
        for group in weekends(problem, officer):
            members = [states[i - first] for i in group]
            if any(isinstance(m, int) and m == 1 for m in members):
                worked.append(1)
                continue
            literals = [m for m in members if not isinstance(m, int)]
            if literals:
                worked.append(v.any_of(literals, f"{officer.id} weekend {group[0]}"))
        fixed = sum(w for w in worked if isinstance(w, int))
        free = [w for w in worked if not isinstance(w, int)]
        guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                      days=tuple(_weekend_days(problem, officer)),
                      message=f"{officer.name} works at most {limit.value} weekend(s)")
        penalties += penalty_or_constraint(
            model, v, excess=total(free) + fixed - limit.value if free else fixed - limit.value,
            upper=fixed + len(free) - limit.value, enforcement=limit.enforcement, rule=NAME,
            scope=officer.id, subject=officer.name, day=None, guard=guard,
            message=f"{officer.name} works {{amount}} weekend(s) beyond the {limit.value} "
                    f"allowed")
    return penalties


def _weekend_days(problem: RosterProblem, officer: Officer) -> list[date]:
    return [day_of(problem, i) for group in weekends(problem, officer) for i in group if i >= 0]
