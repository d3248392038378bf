"""Minimum rest between the end of one shift and the start of the next, in real time.

Rest is measured between UTC instants, so it holds across midnight, across a DST change and
between offices on different time zones; the history's last shifts count against the first
days of the horizon. Soft: a weight per pair of shifts too close together.
"""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars

NAME = names.MIN_REST


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes % 60 else f"{minutes // 60} h"


def add_min_rest(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        limit = officer.rules.min_rest_minutes
        if limit is None or limit.value == 0:
            continue
        rest = timedelta(minutes=limit.value)
        guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                      message=f"{officer.name} needs {_hours(limit.value)} between shifts")
        earlier = [(s.end, s.id, v.var(officer.id, s.id), problem.shift_label(s))
                   for s in v.shifts_of(officer.id)]
        earlier += [(p.end, None, None, f"the shift worked on {p.day.isoformat()}")
                    for p in v.history_of(officer.id)]
        for end, _, first, first_label in earlier:
            for later in v.shifts_starting(officer.id, end, end + rest):
                second = v.var(officer.id, later.id)
                gap = int((later.start - end).total_seconds() // 60)
                pair = [first, second] if first is not None else [second]
                if limit.enforcement.hard:
                    v.forbid_together(pair, NAME, officer.id, guard)
                    continue
                paid = model.new_bool_var(f"{NAME}: {officer.id} {later.id}")
                model.add_bool_or([~lit for lit in pair] + [paid])
                penalties.append(Penalty(
                    NAME, officer.name, later.day, paid, limit.enforcement.weight,
                    f"{officer.name} rests only {_hours(gap)} between {first_label} and "
                    f"{problem.shift_label(later)} ({_hours(limit.value)} required)"))
    return penalties

