"""Skills and qualifications: a shift type may require skills the officer must hold."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Candidates, Guard, Penalty, RosterVars

NAME = names.SKILLS


def add_skills(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        lacking = [s for s in v.shifts_of(officer.id) if not s.required_skills <= officer.skills]
        if not lacking:
            continue
        missing = sorted(set().union(*(s.required_skills - officer.skills for s in lacking)))
        enforcement = officer.rules.skills
        if enforcement.hard:
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          message=f"{officer.name} lacks {', '.join(missing)}")
            v.forbid([v.var(officer.id, s.id) for s in lacking], NAME, officer.id, guard)
            continue
        for shift in lacking:
            skills = ", ".join(sorted(shift.required_skills - officer.skills))
            penalties.append(Penalty(
                NAME, officer.name, shift.day, v.var(officer.id, shift.id), enforcement.weight,
                f"{officer.name} works {problem.shift_label(shift)} without {skills}"))
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Pairs the hard rule rules out, so the model never creates them."""
    return {(o.id, s.id) for o in problem.officers if o.rules.skills.hard
            for s in candidates(o) if not s.required_skills <= o.skills}
