"""Staffing demand: officers needed per shift, or per interval of time at an office.

Per shift: ``required`` officers (holding ``skill``, if given) on that shift. Per interval:
officers holding ``skill`` whose shift at the office spans the whole interval. Shortfall is
hard, or costs its weight per missing officer (per interval); staffing above the requirement
costs ``over_weight`` per extra officer (per interval).

Intervals whose demand is met by the same shifts, with the same requirement and weights, on
the same local day, are one term of the model (weighted by how many they are): 30-minute
demand under an 8-hour shift is sixteen identical rows, and CP-SAT only needs one.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import IntervalCover, Officer, RosterProblem, Shift
from solver.roster.variables import Guard, Penalty, RosterVars, total
from solver.rules import Enforcement
from solver.timeutil import utc_to_local

UNDER_NAME = names.COVER_UNDER
OVER_NAME = names.COVER_OVER
_LONGEST_SHIFT = timedelta(hours=26)


def counts_for(officer: Officer, shift: Shift, skill: str | None) -> bool:
    return officer.agency_id == shift.agency_id and (skill is None or skill in officer.skills)


@dataclass(frozen=True, slots=True)
class _Demand:
    """One row (or a merged set of identical interval rows) of demand, ready to model."""

    literals: tuple
    required: int
    under: Enforcement
    over_weight: int
    repeat: int
    subject: str
    day: date
    scope: str
    need: str


def add_coverage(model: cp_model.CpModel, problem: RosterProblem,
                 v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for demand in [*_shift_demands(problem, v), *_interval_demands(problem, v)]:
        penalties += _add_demand(model, v, demand)
    return penalties


def _skill_words(skill: str | None) -> str:
    return f" with the {skill} skill" if skill else ""


def _shift_words(name: str) -> str:
    return name if "shift" in name.lower() else f"{name} shift"


def _officers(n: int) -> str:
    return f"{n} officer{'s' if n != 1 else ''}"


def _shift_demands(problem: RosterProblem, v: RosterVars) -> list[_Demand]:
    demands = []
    for cover in problem.shift_cover:
        shift = problem.shift(cover.shift_id)
        literals = tuple(v.var(o.id, shift.id) for o in v.staff_of(shift.agency_id)
                         if counts_for(o, shift, cover.skill) and v.has(o.id, shift.id))
        template = problem.template(shift.template_id)
        subject = f"{problem.agency(shift.agency_id).name}, {template.name}"
        demands.append(_Demand(
            literals=literals, required=cover.required, under=cover.under,
            over_weight=cover.over_weight, repeat=1, subject=subject, day=shift.day,
            scope=f"{shift.id}: {cover.skill or ''}",
            need=f"{_officers(cover.required)}{_skill_words(cover.skill)} are needed on the "
                 f"{_shift_words(template.name)} at {problem.office(shift.office_id).name}"))
    return demands


def _interval_demands(problem: RosterProblem, v: RosterVars) -> list[_Demand]:
    by_office: dict[str, list[Shift]] = defaultdict(list)
    for shift in problem.shifts:
        by_office[shift.office_id].append(shift)
    starts: dict[str, list] = {}
    for office_id, shifts in by_office.items():
        shifts.sort(key=lambda s: s.start)
        starts[office_id] = [s.start for s in shifts]
    groups: dict[tuple, list[IntervalCover]] = defaultdict(list)
    for interval in problem.interval_cover:
        office = problem.office(interval.office_id)
        local_day = utc_to_local(interval.start, office.zone).date()
        at_office = by_office[office.id]
        first = bisect.bisect_left(starts[office.id], interval.start - _LONGEST_SHIFT)
        last = bisect.bisect_right(starts[office.id], interval.start)
        spanning = tuple(s.id for s in at_office[first:last] if s.end >= interval.end)
        key = (office.id, interval.skill, local_day, spanning, interval.required,
               interval.under, interval.over_weight)
        groups[key].append(interval)
    demands = []
    for (office_id, skill, local_day, spanning, required, under, over), rows in groups.items():
        office = problem.office(office_id)
        literals = tuple(v.var(o.id, shift_id) for shift_id in spanning
                         for o in v.staff_of(problem.shift(shift_id).agency_id)
                         if counts_for(o, problem.shift(shift_id), skill)
                         and v.has(o.id, shift_id))
        first = utc_to_local(rows[0].start, office.zone)
        last = utc_to_local(rows[-1].end, office.zone)
        hours = f"{first:%H:%M}-{last:%H:%M}"
        demands.append(_Demand(
            literals=literals, required=required, under=under, over_weight=over,
            repeat=len(rows), subject=office.name, day=local_day,
            scope=f"{office_id}: {skill or ''} {local_day.isoformat()}",
            need=f"{_officers(required)}{_skill_words(skill)} are needed at {office.name} "
                 f"{hours}"))
    return demands


def _add_demand(model: cp_model.CpModel, v: RosterVars, demand: _Demand) -> list[Penalty]:
    staffed = total(demand.literals)
    available = len(demand.literals)
    penalties: list[Penalty] = []
    day = demand.day.isoformat()
    over = None
    if demand.over_weight > 0 and available > demand.required:
        over = model.new_int_var(0, available - demand.required, f"over {demand.scope}")
        penalties.append(Penalty(
            OVER_NAME, demand.subject, demand.day, demand.repeat * over, demand.over_weight,
            f"{demand.subject} on {day}: {{amount}} officer-interval(s) above demand "
            f"({demand.need})" if demand.repeat > 1 else
            f"{demand.subject} on {day}: {{amount}} officer(s) above demand ({demand.need})"))
    if demand.under.hard:
        guard = Guard(rule=UNDER_NAME, subject=demand.subject, days=(demand.day,),
                      message=f"{demand.need} on {day}", topic=demand.need)
        enforce = v.guard(UNDER_NAME, demand.scope, guard)
        if available < demand.required:
            model.add_bool_or([]).only_enforce_if(enforce)
        elif demand.required > 0:
            model.add(staffed >= demand.required).only_enforce_if(enforce)
        if over is not None:
            model.add(over >= staffed - demand.required)
        return penalties
    if demand.required > 0:
        short = model.new_int_var(0, demand.required, f"under {demand.scope}")
        if over is not None:
            model.add(staffed + short - over == demand.required)
        else:
            model.add(staffed + short >= demand.required)
        penalties.append(Penalty(
            UNDER_NAME, demand.subject, demand.day, demand.repeat * short, demand.under.weight,
            f"{demand.subject} on {day}: {{amount}} officer-interval(s) short "
            f"({demand.need})" if demand.repeat > 1 else
            f"{demand.subject} on {day}: {{amount}} officer(s) short ({demand.need})"))
    elif over is not None:
        model.add(over >= staffed)
    return penalties
