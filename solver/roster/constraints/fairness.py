"""Fair spread of nights, weekend shifts and holiday shifts over a group of officers.

The spread is the largest count in the group minus the smallest (counted over the horizon);
each unit above the allowed spread costs the group's weight.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import FairSpread, Officer, RosterProblem, Shift
from solver.roster.variables import Guard, Penalty, RosterVars, penalty_or_constraint, total

NAME = names.FAIR_SPREAD

MEASURE_WORDS = {"nights": "night shifts", "weekends": "weekend shifts",
                 "holidays": "public-holiday shifts"}


def counts_towards(problem: RosterProblem, group: FairSpread, officer: Officer,
                   shift: Shift) -> bool:
    if group.measure == "nights":
        return shift.night
    if group.measure == "weekends":
        return shift.day.weekday() in officer.rules.weekend_days
    return problem.is_holiday_for(officer, shift.day)


def add_fair_spread(model: cp_model.CpModel, problem: RosterProblem,
                    v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for group in problem.fair_spread:
        counts = []
        for officer_id in group.officer_ids:
            officer = problem.officer(officer_id)
            counts.append([v.var(officer.id, s.id) for s in v.shifts_of(officer.id)
                           if counts_towards(problem, group, officer, s)])
        most = max(len(c) for c in counts)
        if most <= group.allowed_spread:
            continue
        high = model.new_int_var(0, most, f"{group.name} most")
        low = model.new_int_var(0, most, f"{group.name} fewest")
        for literals in counts:
            model.add(high >= total(literals))
            model.add(low <= total(literals))
        words = MEASURE_WORDS[group.measure]
        guard = Guard(rule=NAME, subject=group.name, officer_ids=group.officer_ids,
                      message=f"{group.name}: {words} differ by at most "
                              f"{group.allowed_spread} between officers")
        penalties += penalty_or_constraint(
            model, v, excess=high - low - group.allowed_spread, upper=most - group.allowed_spread,
            enforcement=group.enforcement, rule=NAME, scope=group.name, subject=group.name,
            day=None, guard=guard,
            message=f"{group.name}: {words} are spread {{amount}} beyond the "
                    f"{group.allowed_spread} allowed between officers")
    return penalties
