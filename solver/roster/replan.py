"""Re-planning a published roster after a disruption, changing as little as possible.

Officers plan their lives around the published roster, so the new roster keeps every day
before the disruption exactly as published (pinned), keeps every hard rule, and pays the
published roster's change weight for each assignment it makes or takes away from then on.
The weight is far above any other cost, so the solver changes only what the disruption
forces; the diff says who, which days and what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from solver.config import SolverConfig
from solver.roster.prepare import absence_for_days
from solver.roster.problem import (
    IntervalCover,
    Pin,
    RosterProblem,
    RosterSolution,
    ShiftCover,
)
from solver.roster.solve import solve


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerUnavailable:
    """An officer cannot work from ``first_day`` (to ``last_day``, or the horizon's end)."""

    officer_id: str
    first_day: date
    last_day: date | None = None
    reason: str = "sick leave"


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandChange:
    """New demand from ``first_day`` on (a traffic surge): these rows replace the rows for the
    same shift and skill, or the same office, skill and interval."""

    first_day: date
    shift_cover: tuple[ShiftCover, ...] = ()
    interval_cover: tuple[IntervalCover, ...] = ()


Disruption = OfficerUnavailable | DemandChange


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignmentChange:
    """One officer's day that differs from the published roster."""

    officer_id: str
    officer_name: str
    day: date
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def message(self) -> str:
        def shown(shifts: tuple[str, ...]) -> str:
            return ", ".join(shifts) if shifts else "off"
        return (f"{self.officer_name}, {self.day.isoformat()}: {shown(self.before)} -> "
                f"{shown(self.after)}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterDiff:
    """Every officer-day that changed against the published roster, by officer and day."""

    changes: tuple[AssignmentChange, ...]

    @property
    def officer_ids(self) -> frozenset[str]:
        return frozenset(c.officer_id for c in self.changes)

    @property
    def days(self) -> frozenset[date]:
        return frozenset(c.day for c in self.changes)

    def lines(self) -> list[str]:
        return [c.message for c in self.changes]


def replan(problem: RosterProblem, disruptions: Disruption | Sequence[Disruption],
           config: SolverConfig | None = None) -> tuple[RosterSolution, RosterDiff]:
    """A new roster for ``problem`` (which carries the published roster) after ``disruptions``."""
    if problem.published is None:
        raise ValueError("re-planning needs the published roster in the problem")
    items = [disruptions] if isinstance(disruptions, OfficerUnavailable | DemandChange) \
        else list(disruptions)
    if not items:
        raise ValueError("re-planning needs at least one disruption")
    disrupted = disrupted_problem(problem, items)
    solution = solve(disrupted, config)
    return solution, diff(problem, solution)


def disrupted_problem(problem: RosterProblem, items: Sequence[Disruption]) -> RosterProblem:
    """The problem with the disruptions applied and every day before them pinned as published."""
    effective = min(item.first_day for item in items)
    absences = list(problem.absences)
    shift_cover = list(problem.shift_cover)
    interval_cover = list(problem.interval_cover)
    for item in items:
        if isinstance(item, OfficerUnavailable):
            officer = problem.officer(item.officer_id)
            absences.append(absence_for_days(officer, item.first_day,
                                             item.last_day or problem.end_day, item.reason))
            continue
        replaced = {(c.shift_id, c.skill) for c in item.shift_cover}
        shift_cover = [c for c in shift_cover if (c.shift_id, c.skill) not in replaced]
        shift_cover += item.shift_cover
        moments = {(c.office_id, c.skill, c.start) for c in item.interval_cover}
        interval_cover = [c for c in interval_cover
                          if (c.office_id, c.skill, c.start) not in moments]
        interval_cover += item.interval_cover
    published = problem.published
    assert published is not None
    pins = [pin for pin in problem.pins if problem.shift(pin.shift_id).day >= effective]
    for officer in problem.officers:
        for shift in problem.shifts:
            if (shift.day < effective and published.covers(shift.day)
                    and problem.may_staff(officer, shift)):
                pins.append(Pin(officer_id=officer.id, shift_id=shift.id,
                                assigned=(officer.id, shift.id) in published.assignments))
    return dataclasses.replace(problem, absences=tuple(absences),
                               shift_cover=tuple(shift_cover),
                               interval_cover=tuple(interval_cover), pins=tuple(pins))


def diff(problem: RosterProblem, solution: RosterSolution) -> RosterDiff:
    """Officer-days of the published period whose shifts differ in ``solution``."""
    published = problem.published
    assert published is not None
    before: dict[tuple[str, date], list[str]] = {}
    after: dict[tuple[str, date], list[str]] = {}
    for pairs, into in ((published.assignments, before), (solution.assigned_pairs(), after)):
        for officer_id, shift_id in pairs:
            shift = problem.shift(shift_id)
            if published.covers(shift.day):
                into.setdefault((officer_id, shift.day), []).append(shift_id)
    changes = []
    for key in sorted(set(before) | set(after)):
        was = tuple(sorted(before.get(key, ())))
        now = tuple(sorted(after.get(key, ())))
        if was != now:
            officer = problem.officer(key[0])
            changes.append(AssignmentChange(officer_id=officer.id, officer_name=officer.name,
                                            day=key[1], before=was, after=now))
    return RosterDiff(changes=tuple(changes))
