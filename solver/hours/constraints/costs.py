"""What opening costs: staff hours (crew x open hours at the agency's officer-hour cost) and
the out-of-hours premium (RKC Standard 3.2) for every officer-hour open outside the regular
hours of the day, per office and local day."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import plan_range, weighted_count
from solver.hours.penalties import Penalty, per_hour
from solver.hours.problem import HoursProblem
from solver.hours.variables import HoursVars

NAME = "Staff hours and out-of-hours premium"


def add_costs(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for office in problem.offices:
        row = vars.open[office.id]
        regular = {
            slot for window in problem.regular_windows[office.id]
            for slot in plan_range(problem, window.start, window.end)
        }
        for day in problem.office_days[office.id]:
            slots = range(day.first_slot, day.end_slot)
            if office.officer_hour_cost and slots:
                penalties.append(per_hour(
                    names.STAFF_HOURS, office.name, day.day, weighted_count(row[s] for s in slots),
                    office.crew * office.officer_hour_cost,
                    f"open with a crew of {office.crew}", unit="hours open",
                ))
            outside = [row[slot] for slot in slots if slot not in regular]
            if office.out_of_hours_premium and outside:
                penalties.append(per_hour(
                    names.OUT_OF_HOURS, office.name, day.day, weighted_count(outside),
                    office.crew * office.out_of_hours_premium,
                    f"open outside regular hours with a crew of {office.crew}",
                    unit="hours open",
                ))
    return penalties
