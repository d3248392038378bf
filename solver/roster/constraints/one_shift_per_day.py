"""One shift per day, and never two shifts at the same time.

Overlap is physics, not policy: it is always hard and never needs explaining. Working two
shifts that start on the same local day (a back-to-back double) is a rule: hard by default,
or soft at a weight per extra shift.
"""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import (
    Guard,
    Penalty,
    RosterVars,
    day_of,
    penalty_or_constraint,
    total,
)

NAME = names.ONE_SHIFT_PER_DAY
OVERLAP_NAME = names.NO_OVERLAP

# A template lasts at most a day on the wall clock, so 25 real hours on a DST night; this
# bounds how far back a running shift can have started.
_LONGEST = timedelta(hours=26)
_TICK = timedelta(microseconds=1)


def add_one_shift_per_day(model: cp_model.CpModel, problem: RosterProblem,
                          v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        _add_no_overlap(model, v, officer.id)
        enforcement = officer.rules.one_shift_per_day
        for index in range(problem.days):
            shifts = v.on_day(officer.id, index)
            if len(shifts) < 2:
                continue
            day = day_of(problem, index)
            worked = total([v.var(officer.id, s.id) for s in shifts])
            guard = Guard(rule=NAME, subject=officer.name, days=(day,),
                          officer_ids=(officer.id,),
                          message=f"{officer.name} works at most one shift a day")
            penalties += penalty_or_constraint(
                model, v, excess=worked - 1, upper=len(shifts) - 1, enforcement=enforcement,
                rule=NAME, scope=officer.id, subject=officer.name, day=day, guard=guard,
                message=f"{officer.name} works {{amount}} extra shift(s) on {day.isoformat()}")
    return penalties


def _add_no_overlap(model: cp_model.CpModel, v: RosterVars, officer_id: str) -> None:
    """At most one of the shifts running at any start instant (the cliques of the overlaps)."""
    shifts = v.shifts_of(officer_id)
    for past in v.history_of(officer_id):
        clashing = [s for s in v.shifts_starting(officer_id, past.start - _LONGEST, past.end)
                    if s.start < past.end and past.start < s.end]
        for shift in clashing:
            model.add(v.var(officer_id, shift.id) == 0)
    previous: set[str] = set()
    for instant in sorted({s.start for s in shifts}):
        running = {s.id for s in v.shifts_starting(officer_id, instant - _LONGEST, instant)
                   if s.end > instant}
        running |= {s.id for s in v.shifts_starting(officer_id, instant, instant + _TICK)}
        same_day = len({v.problem.shift(s).day for s in running}) == 1
        if same_day and v.one_a_day_is_hard(officer_id):
            previous = running
            continue  # the one-shift-a-day clique already holds these
        if len(running) > 1 and not running <= previous:
            model.add_at_most_one(v.var(officer_id, s) for s in sorted(running))
        previous = running
