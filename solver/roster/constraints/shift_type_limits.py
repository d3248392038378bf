"""Maximum shifts of each type over the horizon (0: the officer never works that type)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import (
    Candidates,
    Guard,
    Penalty,
    RosterVars,
    penalty_or_constraint,
    total,
)

NAME = names.SHIFT_TYPE_LIMITS


def add_shift_type_limits(model: cp_model.CpModel, problem: RosterProblem,
                          v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        for entry in officer.rules.max_shifts_per_template:
            literals = v.of_template(officer.id, entry.template_id)
            limit = entry.limit
            if len(literals) <= limit.value:
                continue
            template = problem.template(entry.template_id).name
            scope = f"{officer.id}: {entry.template_id}"
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          message=f"{officer.name} works at most {limit.value} {template} "
                                  f"shift(s)")
            if limit.value == 0 and limit.enforcement.hard:
                v.forbid(literals, NAME, scope, guard)
                continue
            penalties += penalty_or_constraint(
                model, v, excess=total(literals) - limit.value, upper=len(literals) - limit.value,
                enforcement=limit.enforcement, rule=NAME, scope=scope, subject=officer.name,
                day=None, guard=guard,
                message=f"{officer.name} works {{amount}} {template} shift(s) beyond the "
                        f"{limit.value} allowed")
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Shift types an officer may never work (a hard limit of 0), left out of the model."""
    pairs = set()
    for officer in problem.officers:
        never = {e.template_id for e in officer.rules.max_shifts_per_template
                 if e.limit.value == 0 and e.limit.enforcement.hard}
        if never:
            pairs |= {(officer.id, s.id) for s in candidates(officer) if s.template_id in never}
    return pairs
