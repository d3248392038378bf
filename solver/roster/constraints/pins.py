"""Pinned shifts: a planner's fixed decisions, that the officer works a shift or does not."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Candidates, Guard, Penalty, RosterVars, penalty_or_constraint

NAME = names.PINS


def add_pins(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for number, pin in enumerate(problem.pins):
        officer = problem.officer(pin.officer_id)
        shift = problem.shift(pin.shift_id)
        label = problem.shift_label(shift)
        wording = "works" if pin.assigned else "does not work"
        if not v.has(officer.id, shift.id):
            # Another hard rule (leave, a missing skill...) already keeps the officer off it.
            if pin.assigned:
                guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                              days=(shift.day,),
                              message=f"{officer.name} {wording} {label} (pinned)")
                penalties += penalty_or_constraint(
                    model, v, excess=1, upper=1, enforcement=pin.enforcement, rule=NAME,
                    scope=f"pin {number}", subject=officer.name, day=shift.day, guard=guard,
                    message=f"{officer.name} was pinned so that they {wording} {label}")
            continue
        literal = v.var(officer.id, shift.id)
        if pin.enforcement.hard:
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          days=(shift.day,), message=f"{officer.name} {wording} {label} (pinned)")
            model.add(literal == int(pin.assigned)).only_enforce_if(
                v.guard(NAME, f"pin {number}", guard))
            continue
        penalties.append(Penalty(
            NAME, officer.name, shift.day, 1 - literal if pin.assigned else literal,
            pin.enforcement.weight, f"{officer.name} was pinned so that they {wording} {label}"))
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Shifts an officer is pinned off (hard), left out of the model."""
    return {(p.officer_id, p.shift_id) for p in problem.pins
            if not p.assigned and p.enforcement.hard}
