"""Maximum and minimum consecutive working days, across the boundary with the history.

Runs are counted on local days. See ``sequences`` for which runs are judged at the edges of
the horizon: unknown days always get the benefit of the doubt.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.constraints.sequences import RunRule, add_max_run, add_min_run
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars

NAME = names.MAX_CONSECUTIVE_DAYS
MIN_NAME = names.MIN_CONSECUTIVE_DAYS


def add_consecutive_days(model: cp_model.CpModel, problem: RosterProblem,
                         v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        most = officer.rules.max_consecutive_days
        least = officer.rules.min_consecutive_days
        if most is None and (least is None or least.value <= 1):
            continue
        first, states = v.day_states(officer)
        if most is not None:
            rule = RunRule(
                name=NAME, scope=officer.id, subject=officer.name,
                guard=Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                            message=f"{officer.name} works at most {most.value} days in a row"),
                describe=lambda day, _, o=officer.name, n=most.value: (
                    f"{o} works more than {n} days in a row up to {day.isoformat()}"))
            penalties += add_max_run(model, v, first, states, most, rule)
        if least is not None:
            rule = RunRule(
                name=MIN_NAME, scope=officer.id, subject=officer.name,
                guard=Guard(rule=MIN_NAME, subject=officer.name, officer_ids=(officer.id,),
                            message=f"{officer.name} works at least {least.value} days in a "
                                    f"row once started"),
                describe=lambda day, length, o=officer.name, n=least.value: (
                    f"{o} works only {length} day(s) in a row from {day.isoformat()} "
                    f"({n} required)"))
            penalties += add_min_run(model, v, first, states, least, rule, of_work=True)
    return penalties
