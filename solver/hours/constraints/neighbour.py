"""What the neighbouring administration published for its own side (closures and reduced
hours, read from its iCalendar feed) binds that side's offices."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import plan_range, window_rule
from solver.hours.penalties import Penalty
from solver.hours.problem import HoursProblem
from solver.hours.variables import HoursVars

NAME = "Neighbour's published closures and reduced hours"


def add_neighbour(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for closure in problem.neighbour_closures:
        allowed = frozenset(
            slot for window in closure.open_windows
            for slot in plan_range(problem, window.start, window.end)
        )
        rule = names.NEIGHBOUR_REDUCED if closure.reduced else names.NEIGHBOUR_CLOSURE
        for office in problem.offices:
            if not closure.applies_to(office):
                continue
            penalties += window_rule(
                model, problem, vars, office, rule=rule,
                enforcement_hard=closure.enforcement.hard, weight=closure.enforcement.weight,
                start=closure.start, end=closure.end, open_=False, why=closure.label,
                excluded=allowed,
            )
    return penalties
