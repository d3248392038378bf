"""Each side's public holidays and weekends, and date-ranged hours (Ramadan hours), each in
that side's own zone and calendar.

An office set to close on its side's holidays or weekend days stays closed those whole
local days; date-ranged hours marked exclusive allow opening only within them on their days.
The regular hours of every day (holiday, override or weekday hours) also decide what counts
as out of hours; that cost lives in the cost family.
"""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import plan_range, window_rule
from solver.hours.penalties import Penalty
from solver.hours.problem import HoursOverride, HoursProblem, Office
from solver.hours.variables import HoursVars
from solver.timeutil import local_to_utc

NAME = "Holidays, weekends and date-ranged hours"


def add_calendar(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for office in problem.offices:
        side = problem.side(office.side)
        allowed_by_override = {
            override.label: override_slots(problem, office, override)
            for override in office.overrides
            if override.exclusive is not None
        }
        for day in problem.office_days[office.id]:
            start, end = problem.slot_start(day.first_slot), problem.slot_start(day.end_slot)
            closures = []
            if office.closed_on_holidays is not None and day.holiday is not None:
                closures.append((names.CLOSED_ON_HOLIDAYS, office.closed_on_holidays, day.holiday,
                                 frozenset()))
            if office.closed_on_weekends is not None and day.day.weekday() in side.weekend_days:
                closures.append((names.CLOSED_ON_WEEKENDS, office.closed_on_weekends, "weekend",
                                 frozenset()))
            override = office.override_on(day.day)
            if override is not None and override.exclusive is not None:
                closures.append((names.DATE_RANGED_HOURS, override.exclusive,
                                 f"{override.label}: open only within these hours",
                                 allowed_by_override[override.label]))
            for rule, enforcement, why, allowed in closures:
                penalties += window_rule(
                    model, problem, vars, office, rule=rule, enforcement_hard=enforcement.hard,
                    weight=enforcement.weight, start=start, end=end, open_=False, why=why,
                    excluded=allowed, day=day.day,
                )
    return penalties


def override_slots(problem: HoursProblem, office: Office, override: HoursOverride) -> frozenset[int]:
    """The plan slots within the hours of date-ranged ``override``, over all its days."""
    side = problem.side(office.side)
    slots: set[int] = set()
    day = override.first_day
    while day <= override.last_day:
        for window in override.hours.on(day, side.day_type(day)):
            start = local_to_utc(day, window.start_minute, office.zone)
            end = local_to_utc(day, window.end_minute, office.zone)
            slots.update(plan_range(problem, start, end))
        day += timedelta(days=1)
    return frozenset(slots)
