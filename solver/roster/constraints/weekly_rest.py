"""Weekly rest: in every week, one uninterrupted rest of at least so many hours.

Weeks run Monday 00:00 to Monday 00:00 on the wall clock of the officer's home zone (so a
week is 167, 168 or 169 real hours). A week is rested when some rest of the required length,
free of any shift, starts within it (it may run on into the next week). Time before the
known history and after the horizon counts as free, since nobody can say otherwise.
Soft: a weight per week without its rest.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import Officer, RosterProblem
from solver.roster.variables import Guard, Penalty, RosterVars
from solver.timeutil import local_to_utc

NAME = names.WEEKLY_REST
_LONGEST_SHIFT = timedelta(hours=26)


def weeks(problem: RosterProblem, officer: Officer) -> list[tuple[date, datetime, datetime]]:
    """The officer's weeks that overlap the horizon: local Monday, UTC start and end."""
    monday = problem.start - timedelta(days=problem.start.weekday())
    horizon_end = local_to_utc(problem.end_day + timedelta(days=1), 0, officer.zone)
    result = []
    while True:
        start = local_to_utc(monday, 0, officer.zone)
        if start >= horizon_end:
            return result
        result.append((monday, start, local_to_utc(monday + timedelta(days=7), 0, officer.zone)))
        monday += timedelta(days=7)


def add_weekly_rest(model: cp_model.CpModel, problem: RosterProblem,
                    v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        limit = officer.rules.weekly_rest_minutes
        if limit is None or limit.value == 0:
            continue
        rest = timedelta(minutes=limit.value)
        hours = f"{limit.value / 60:g} h"
        guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                      message=f"{officer.name} rests {hours} in one piece every week")
        history = v.history_of(officer.id)
        ends = sorted({s.end for s in v.shifts_of(officer.id)} | {p.end for p in history})
        for monday, week_start, week_end in weeks(problem, officer):
            candidates = [week_start] + [e for e in ends if week_start <= e < week_end]
            options = []
            always_rested = False
            for moment in dict.fromkeys(candidates):
                window_end = moment + rest
                if any(p.start < window_end and p.end > moment for p in history):
                    continue
                busy = [v.var(officer.id, s.id)
                        for s in v.shifts_starting(officer.id, moment - _LONGEST_SHIFT,
                                                   window_end)
                        if s.end > moment]
                if not busy:
                    always_rested = True
                    break
                option = model.new_bool_var(f"{officer.id} rests from {moment.isoformat()}")
                model.add_bool_and([~b for b in busy]).only_enforce_if(option)
                options.append(option)
            if always_rested:
                continue
            label = f"week of {monday.isoformat()}"
            if limit.enforcement.hard:
                model.add_bool_or(options).only_enforce_if(
                    v.guard(NAME, f"{officer.id}: {label}", guard))
                continue
            missed = model.new_bool_var(f"{officer.id} no weekly rest {label}")
            model.add_bool_or(options + [missed])
            penalties.append(Penalty(
                NAME, officer.name, monday, missed, limit.enforcement.weight,
                f"{officer.name} has no {hours} rest in the week of "
                f"{monday.isoformat()}"))
    return penalties
