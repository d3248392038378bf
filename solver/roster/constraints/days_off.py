"""Minimum consecutive days off: once off, an officer stays off for at least so many days.

Leave days are days off like any other. Edges of the horizon as in ``sequences``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.constraints.sequences import RunRule, add_min_run
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars

NAME = names.MIN_DAYS_OFF


def add_days_off(model: cp_model.CpModel, problem: RosterProblem,
                 v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        least = officer.rules.min_consecutive_days_off
        if least is None or least.value <= 1:
            continue
        first, states = v.day_states(officer)
        rule = RunRule(
            name=NAME, scope=officer.id, subject=officer.name,
            guard=Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                        message=f"{officer.name} has at least {least.value} days off in a row"),
            describe=lambda day, length, o=officer.name, n=least.value: (
                f"{o} has only {length} day(s) off in a row from {day.isoformat()} "
                f"({n} required)"))
        penalties += add_min_run(model, v, first, states, least, rule, of_work=False)
    return penalties
