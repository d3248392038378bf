"""Tiny opening-hours problems and the one way tests solve them: always through the checker.

The default post is Kapitan Andreevo in miniature: Bulgaria (Europe/Sofia, UTC+2 in
January) and Türkiye (Europe/Istanbul, UTC+3), one to three offices, one or two local days
from Tuesday 14 January 2025, and at most one cargo flow. Times in tests are local
wall-clock times of a zone (``local("08:00", BG_ZONE)``), so a test reads the way an
office's timetable does; the engine and these helpers turn them into UTC.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from solver.config import SolverConfig
from solver.hours import check, solve
from solver.hours.checker import CheckReport
from solver.hours.problem import (
    AgencyCheck,
    ArrivalCount,
    CargoFlow,
    HoursProblem,
    HoursSolution,
    LocalWindow,
    Office,
    OpeningWindow,
    Side,
    TimeWindow,
    WeeklyHours,
)
from solver.rules import Violation
from solver.timeutil import local_to_utc

DAY = date(2025, 1, 14)  # a Tuesday, no holiday on either side
BG_ZONE = "Europe/Sofia"
TR_ZONE = "Europe/Istanbul"
BG = Side(code="BG", name="Bulgaria")
TR = Side(code="TR", name="Türkiye")
SIDES = (BG, TR)
ZONE_OF_SIDE = {"BG": BG_ZONE, "TR": TR_ZONE}
POST = "Kapitan Andreevo / Kapikule"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def local(clock: str, zone: str = BG_ZONE, day: int = 0, first_day: date = DAY) -> datetime:
    """The UTC instant of ``clock`` ("08:30", "24:00") on local day ``day`` after ``first_day``."""
    return local_to_utc(first_day + timedelta(days=day), _minutes(clock), zone)


def span(text: str, zone: str = BG_ZONE, day: int = 0, first_day: date = DAY) -> tuple[datetime, datetime]:
    """``"08:00-12:00"`` on local day ``day`` as UTC instants; an end at or before the start
    is on the next day."""
    window = LocalWindow.parse(text)
    start_day = first_day + timedelta(days=day)
    return (
        local_to_utc(start_day, window.start_minute, zone),
        local_to_utc(start_day, window.end_minute, zone),
    )


def window(text: str, zone: str = BG_ZONE, day: int = 0, *, label: str = "",
           first_day: date = DAY) -> TimeWindow:
    start, end = span(text, zone, day, first_day)
    return TimeWindow(start=start, end=end, label=label)


def hours(*texts: str) -> WeeklyHours:
    """The same regular hours every day, closed on holidays."""
    return WeeklyHours.every_day(*(LocalWindow.parse(text) for text in texts))


def office(ident: str, side: str = "BG", *, regular: str | None = "08:00-16:00",
           zone: str | None = None, **fields: object) -> Office:
    """An office of agency ``ident`` on ``side``; ``fields`` are ``Office`` fields.

    ``ident`` doubles as the name ("customs-BG" is named "Customs BG"), so explanations and
    checker messages can be matched against ``office.name``.
    """
    agency, _, host = ident.partition("-")
    return Office(
        id=ident,
        name=f"{agency.capitalize()} {host or side}",
        agency_id=f"{agency}-{side}",
        agency_kind=agency,
        agency_name=f"{agency.capitalize()} {side}",
        side=side,
        zone=zone or ZONE_OF_SIDE[side],
        regular_hours=hours(regular) if regular else WeeklyHours.every_day(),
        **fields,  # type: ignore[arg-type]
    )


def pair(first: Office, second: Office, **shared: object) -> tuple[Office, Office]:
    """Two counterpart offices across the border, with ``shared`` fields set on both."""
    return (
        dataclasses.replace(first, counterpart_id=second.id, **shared),  # type: ignore[arg-type]
        dataclasses.replace(second, counterpart_id=first.id, **shared),  # type: ignore[arg-type]
    )


def arrivals(start: datetime, trucks_per_slot: Iterable[float]) -> tuple[ArrivalCount, ...]:
    """Consecutive quarter-hour counts from ``start``."""
    quarter = timedelta(minutes=15)
    return tuple(
        ArrivalCount(start=start + index * quarter, end=start + (index + 1) * quarter, trucks=count)
        for index, count in enumerate(trucks_per_slot)
        if count > 0
    )


def flow(*office_ids: str, arriving: tuple[ArrivalCount, ...] = (), throughput: float = 40.0,
         waiting_cost: int = 10, exit_side: str = "TR", entry_side: str = "BG",
         ident: str = "general", **fields: object) -> CargoFlow:
    """General cargo entering Bulgaria, checked by ``office_ids``, each clearing
    ``throughput`` trucks an hour while open."""
    return CargoFlow(
        id=ident,
        category=ident,
        exit_side=exit_side,
        entry_side=entry_side,
        checks=tuple(AgencyCheck(office_id=o, throughput_per_hour=throughput) for o in office_ids),
        arrivals=arriving,
        waiting_cost_per_truck_hour=waiting_cost,
        **fields,  # type: ignore[arg-type]
    )


def problem(*offices: Office, days: int = 1, flows: Iterable[CargoFlow] = (),
            sides: tuple[Side, ...] = SIDES, first_day: date = DAY, runout_hours: int = 12,
            **fields: object) -> HoursProblem:
    """The post over ``days`` local days; ``fields`` are other ``HoursProblem`` fields. A
    twelve-hour run-out reaches the next morning's regular hours."""
    return HoursProblem(
        post=POST,
        first_day=first_day,
        days=days,
        sides=sides,
        offices=tuple(offices),
        flows=tuple(flows),
        runout_hours=runout_hours,
        **fields,  # type: ignore[arg-type]
    )


def config(time_limit: float = 10) -> SolverConfig:
    return SolverConfig(time_limit_seconds=time_limit, workers=2, seed=1)


def solve_and_check(problem: HoursProblem, time_limit: float = 10) -> tuple[HoursSolution, CheckReport]:
    """Solve, then replay the plan in the independent checker: a found plan keeps every hard
    rule and the solver's objective, costs and waiting agree with the checker's."""
    solution = solve(problem, config(time_limit))
    report = check(problem, solution)
    if solution.status in ("optimal", "feasible"):
        assert report.errors == (), report.errors
        assert solution.objective is not None
        assert abs(solution.objective - report.objective) < 1e-6, (solution.objective, report.objective)
        by_rule: dict[str, float] = {}
        for cost in solution.costs:
            by_rule[cost.rule] = by_rule.get(cost.rule, 0.0) + cost.cost
        assert {rule: round(cost, 6) for rule, cost in by_rule.items() if cost} == {
            rule: round(cost, 6) for rule, cost in report.costs.items()
        }
    else:
        assert solution.windows == ()
    return solution, report


def solve_optimally(problem: HoursProblem, time_limit: float = 10) -> tuple[HoursSolution, CheckReport]:
    """Tiny problems are proven optimal well within the limit; exact answers rely on it."""
    solution, report = solve_and_check(problem, time_limit)
    assert solution.status == "optimal", solution.status
    return solution, report


def solve_infeasible(problem: HoursProblem, time_limit: float = 10) -> HoursSolution:
    solution, _ = solve_and_check(problem, time_limit)
    assert solution.status == "infeasible", solution.status
    return solution


def opened(solution: HoursSolution | Iterable[OpeningWindow], office_id: str) -> list[tuple[datetime, datetime]]:
    """An office's windows as (start, end) UTC pairs, merged where they touch."""
    windows = solution.windows if isinstance(solution, HoursSolution) else tuple(solution)
    merged: list[tuple[datetime, datetime]] = []
    for w in sorted((w for w in windows if w.office_id == office_id), key=lambda w: w.start):
        if merged and merged[-1][1] == w.start:
            merged[-1] = (merged[-1][0], w.end)
        else:
            merged.append((w.start, w.end))
    return merged


def plan(*entries: tuple[str, tuple[datetime, datetime]]) -> tuple[OpeningWindow, ...]:
    """Hand-made windows: ``plan(("customs-BG", span("08:00-12:00")), ...)``."""
    return tuple(OpeningWindow(office_id=o, start=s, end=e) for o, (s, e) in entries)


def named(explanation: Iterable[Violation], rule: str) -> list[Violation]:
    return [line for line in explanation if line.rule == rule]


def costs_of(solution: HoursSolution, rule: str) -> float:
    return sum(cost.cost for cost in solution.costs if cost.rule == rule)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
