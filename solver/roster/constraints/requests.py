"""Shift on and off requests: an officer asks to work, or not to work, a day or a shift type.

An on-request is met only by working (that shift type, if named) on the day; an
off-request is broken by working it. Soft by default, at the request's weight.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars

NAME = names.REQUESTS


def add_requests(model: cp_model.CpModel, problem: RosterProblem,
                 v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for number, request in enumerate(problem.requests):
        officer = problem.officer(request.officer_id)
        index = problem.day_index(request.day)
        if request.template_id is None:
            literal = v.works(officer.id, index)
            what = "any shift"
        else:
            matching = [v.var(officer.id, s.id) for s in v.on_day(officer.id, index)
                        if s.template_id == request.template_id]
            literal = v.any_of(matching, f"request {number}")
            what = problem.template(request.template_id).name
        day = request.day.isoformat()
        wanted = request.kind == "on"
        if request.enforcement.hard:
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          days=(request.day,),
                          message=f"{officer.name} {'works' if wanted else 'is off'} "
                                  f"{what} on {day} (requested)")
            model.add(literal == int(wanted)).only_enforce_if(
                v.guard(NAME, f"request {number}", guard))
            continue
        message = (f"{officer.name} asked to work {what} on {day} and does not" if wanted
                   else f"{officer.name} asked not to work {what} on {day} and does")
        penalties.append(Penalty(NAME, officer.name, request.day,
                                 1 - literal if wanted else literal,
                                 request.enforcement.weight, message))
    return penalties

