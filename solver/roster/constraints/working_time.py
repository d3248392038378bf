"""Minimum and maximum working minutes per period (a contract's hours).

Minutes are real minutes between a shift's UTC start and end, counted on the local day the
shift starts; shifts of the history count when their day falls in the window (a week that
began before the horizon). Soft: a weight per minute short of the minimum or over the maximum.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import RosterProblem
from solver.roster.variables import (
    Guard,
    Penalty,
    RosterVars,
    minutes_worked,
    penalty_or_constraint,
)

NAME = names.WORKING_TIME


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g} h"


def add_working_time(model: cp_model.CpModel, problem: RosterProblem,
                     v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        for window in officer.rules.working_time:
            shifts = [s for s in v.shifts_of(officer.id) if window.contains(s.day)]
            past = sum(p.minutes for p in v.history_of(officer.id) if window.contains(p.day))
            worked = minutes_worked(v, officer.id, shifts) + past
            most = sum(s.minutes for s in shifts) + past
            period = f"{window.first_day.isoformat()} to {window.last_day.isoformat()}"
            days = tuple(sorted({s.day for s in shifts}))
            scope = f"{officer.id}: {period}"
            if window.min_minutes is not None:
                low = window.min_minutes
                guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                              days=days,
                              message=f"{officer.name} works at least {_hours(low.value)} "
                                      f"from {period}",
                              topic=f"is due {_hours(low.value)}")
                penalties += penalty_or_constraint(
                    model, v, excess=low.value - worked, upper=low.value,
                    enforcement=low.enforcement, rule=NAME, scope=f"{scope} min",
                    subject=officer.name, day=window.first_day, guard=guard,
                    message=f"{officer.name} works {{amount}} minutes less than the "
                            f"{_hours(low.value)} due from {period}")
            if window.max_minutes is not None:
                high = window.max_minutes
                guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                              days=days,
                              message=f"{officer.name} works at most {_hours(high.value)} "
                                      f"from {period}",
                              topic=f"is at the {_hours(high.value)} limit")
                penalties += penalty_or_constraint(
                    model, v, excess=worked - high.value, upper=most - high.value,
                    enforcement=high.enforcement, rule=NAME, scope=f"{scope} max",
                    subject=officer.name, day=window.first_day, guard=guard,
                    message=f"{officer.name} works {{amount}} minutes over the "
                            f"{_hours(high.value)} allowed from {period}")
    return penalties
