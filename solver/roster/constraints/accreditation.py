"""Cross-border accreditation: working in the adjoining state's control zone needs it.

At a juxtaposed post an officer of one country works in the control zone hosted by the
other only if accredited for that country; their own country's zones are always open to them.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Candidates, Guard, Penalty, RosterVars

NAME = names.ACCREDITATION


def add_accreditation(model: cp_model.CpModel, problem: RosterProblem,
                      v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        allowed = officer.accredited_sides | {officer.side}
        foreign = [s for s in v.shifts_of(officer.id) if s.zone_side not in allowed]
        if not foreign:
            continue
        enforcement = officer.rules.accreditation
        if enforcement.hard:
            zones = ", ".join(sorted({s.zone_side for s in foreign}))
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          message=f"{officer.name} is not accredited to work in the {zones} "
                                  f"control zone")
            v.forbid([v.var(officer.id, s.id) for s in foreign], NAME, officer.id, guard)
            continue
        for shift in foreign:
            penalties.append(Penalty(
                NAME, officer.name, shift.day, v.var(officer.id, shift.id), enforcement.weight,
                f"{officer.name} works {problem.shift_label(shift)} in the {shift.zone_side} "
                f"control zone without accreditation"))
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Pairs the hard rule rules out, so the model never creates them."""
    return {(o.id, s.id) for o in problem.officers if o.rules.accreditation.hard
            for s in candidates(o) if s.zone_side not in o.accredited_sides | {o.side}}
