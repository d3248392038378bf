"""Changes to the published roster: every assignment made or taken away costs.

Officers plan their lives around a published roster, so re-planning after a disruption weighs
each change heavily; a shift handed from one officer to another is two changes.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars, penalty_or_constraint

NAME = names.PUBLISHED_CHANGES


def add_published(model: cp_model.CpModel, problem: RosterProblem,
                  v: RosterVars) -> list[Penalty]:
    published = problem.published
    if published is None:
        return []
    penalties: list[Penalty] = []
    for officer_id, shift_id in sorted(published.assignments):
        if not v.has(officer_id, shift_id) and published.covers(problem.shift(shift_id).day):
            # A hard rule now keeps the officer off this published shift: a forced change.
            officer, shift = problem.officer(officer_id), problem.shift(shift_id)
            penalties += penalty_or_constraint(
                model, v, excess=1, upper=1, enforcement=published.change, rule=NAME,
                scope=f"{officer.id}: {shift.day.isoformat()}", subject=officer.name,
                day=shift.day,
                guard=Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                            days=(shift.day,),
                            message=f"{officer.name} keeps the published roster"),
                message=f"{officer.name} no longer works {problem.shift_label(shift)}")
    for officer in problem.officers:
        for shift in v.shifts_of(officer.id):
            if not published.covers(shift.day):
                continue
            literal = v.var(officer.id, shift.id)
            was = (officer.id, shift.id) in published.assignments
            label = problem.shift_label(shift)
            if published.change.hard:
                guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                              days=(shift.day,),
                              message=f"{officer.name} keeps the published roster")
                model.add(literal == int(was)).only_enforce_if(
                    v.guard(NAME, f"{officer.id}: {shift.day.isoformat()}", guard))
                continue
            penalties.append(Penalty(
                NAME, officer.name, shift.day, 1 - literal if was else literal,
                published.change.weight,
                f"{officer.name} no longer works {label}" if was
                else f"{officer.name} now works {label}"))
    return penalties
