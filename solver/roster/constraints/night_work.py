"""Night-work limits: night shifts over the horizon, nights in a row, length of a night shift.

A shift is a night shift when its template says so (``prepare.is_night_work`` derives it from
the EU definition: at least three hours between 22:00 and 06:00 local time).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.constraints.sequences import RunRule, add_max_run
from solver.roster.problem import RosterProblem
from solver.roster.variables import (
    Candidates,
    Guard,
    Penalty,
    RosterVars,
    penalty_or_constraint,
    total,
)

NAME = names.MAX_NIGHTS
CONSECUTIVE_NAME = names.MAX_CONSECUTIVE_NIGHTS
LENGTH_NAME = names.NIGHT_SHIFT_LENGTH


def add_night_work(model: cp_model.CpModel, problem: RosterProblem,
                   v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        rules = officer.rules
        nights = [s for s in v.shifts_of(officer.id) if s.night]
        if not nights:
            continue
        if rules.max_night_shifts is not None:
            limit = rules.max_night_shifts
            guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                          message=f"{officer.name} works at most {limit.value} night shift(s)")
            penalties += penalty_or_constraint(
                model, v, excess=total([v.var(officer.id, s.id) for s in nights]) - limit.value,
                upper=len(nights) - limit.value, enforcement=limit.enforcement, rule=NAME,
                scope=officer.id, subject=officer.name, day=None, guard=guard,
                message=f"{officer.name} works {{amount}} night shift(s) beyond the "
                        f"{limit.value} allowed")
        if rules.max_consecutive_nights is not None:
            limit = rules.max_consecutive_nights
            first, states = v.day_states(officer, nights=True)
            rule = RunRule(
                name=CONSECUTIVE_NAME, scope=officer.id, subject=officer.name,
                guard=Guard(rule=CONSECUTIVE_NAME, subject=officer.name,
                            officer_ids=(officer.id,),
                            message=f"{officer.name} works at most {limit.value} nights in a row"),
                describe=lambda day, _, o=officer.name, n=limit.value: (
                    f"{o} works more than {n} nights in a row up to {day.isoformat()}"))
            penalties += add_max_run(model, v, first, states, limit, rule)
        if rules.max_night_shift_minutes is not None:
            limit = rules.max_night_shift_minutes
            too_long = [s for s in nights if s.minutes > limit.value]
            guard = Guard(rule=LENGTH_NAME, subject=officer.name, officer_ids=(officer.id,),
                          message=f"{officer.name} works night shifts of at most "
                                  f"{limit.value // 60} h")
            if limit.enforcement.hard:
                v.forbid([v.var(officer.id, s.id) for s in too_long], LENGTH_NAME, officer.id,
                         guard)
                continue
            for shift in too_long:
                penalties.append(Penalty(
                    LENGTH_NAME, officer.name, shift.day, v.var(officer.id, shift.id),
                    limit.enforcement.weight,
                    f"{officer.name} works the {shift.minutes // 60} h night "
                    f"{problem.shift_label(shift)} (at most {limit.value // 60} h)"))
    return penalties


def excluded(problem: RosterProblem, candidates: Candidates) -> set[tuple[str, str]]:
    """Night shifts too long for an officer under a hard limit, left out of the model."""
    return {(o.id, s.id) for o in problem.officers
            if o.rules.max_night_shift_minutes is not None
            and o.rules.max_night_shift_minutes.enforcement.hard
            for s in candidates(o)
            if s.night and s.minutes > o.rules.max_night_shift_minutes.value}
