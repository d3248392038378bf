"""Mandatory windows (a 24/7 customs post) and windows an office can never open (a day-only
lab). Soft forms cost their weight per hour in the wrong state."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import window_rule
from solver.hours.penalties import Penalty
from solver.hours.problem import HoursProblem
from solver.hours.variables import HoursVars

NAME = "Mandatory and never-open windows"


def add_windows(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for office in problem.offices:
        musts = [(window.start, window.end, window.label or "mandatory") for window in office.mandatory]
        if office.always_open:
            musts.append((problem.grid_start, problem.plan_end, "open 24/7"))
        for start, end, why in musts:
            penalties += window_rule(
                model, problem, vars, office, rule=names.MANDATORY,
                enforcement_hard=office.mandatory_rule.hard, weight=office.mandatory_rule.weight,
                start=start, end=end, open_=True, why=why,
            )
        for window in office.never_open:
            penalties += window_rule(
                model, problem, vars, office, rule=names.NEVER_OPEN,
                enforcement_hard=office.never_open_rule.hard, weight=office.never_open_rule.weight,
                start=window.start, end=window.end, open_=False, why=window.label or "never open",
            )
    return penalties
