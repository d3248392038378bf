"""Leave and absences: no shift that overlaps an absence, however little."""

from __future__ import annotations

import bisect
from datetime import timedelta

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import Candidates, Guard, Penalty, RosterVars
from solver.timeutil import utc_to_local

NAME = names.LEAVE
_LONGEST_SHIFT = timedelta(hours=26)


def add_leave(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for number, absence in enumerate(problem.absences):
        officer = problem.officer(absence.officer_id)
        clashing = [s for s in v.shifts_starting(officer.id, absence.start - _LONGEST_SHIFT,
                                                 absence.end)
                    if s.end > absence.start]
        if not clashing:
            continue
        days = tuple(sorted({s.day for s in clashing}))
        first = utc_to_local(absence.start, officer.zone).date()
        last = utc_to_local(absence.end - timedelta(microseconds=1), officer.zone).date()
        period = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        enforcement = officer.rules.leave
        if enforcement.hard:
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,), days=days,
                          message=f"{officer.name} is on {absence.reason} {period}",
                          topic=f"is on {absence.reason}")
            v.forbid([v.var(officer.id, s.id) for s in clashing], NAME,
                     f"{officer.id}: absence {number}", guard)
            continue
        for shift in clashing:
            penalties.append(Penalty(
                NAME, officer.name, shift.day, v.var(officer.id, shift.id), enforcement.weight,
                f"{officer.name} works {problem.shift_label(shift)} during {absence.reason}"))
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Pairs the hard rule rules out, so the model never creates them."""
    pairs = set()
    for absence in problem.absences:
        officer = problem.officer(absence.officer_id)
        if not officer.rules.leave.hard:
            continue
        shifts = candidates(officer)  # by start time
        first = bisect.bisect_left(shifts, absence.start - _LONGEST_SHIFT, key=lambda s: s.start)
        last = bisect.bisect_left(shifts, absence.end, key=lambda s: s.start)
        pairs |= {(officer.id, s.id) for s in shifts[first:last] if s.end > absence.start}
    return pairs
