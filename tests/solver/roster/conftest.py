"""Tiny rostering problems and the one way tests solve them: always through the checker.

A problem here is one agency (Customs TZ) at one office (Rusumo, Dar es Salaam time), with
early, late and night templates, a week starting Monday 5 May 2025, and whatever officers,
demand and rules a test needs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from solver.config import SolverConfig
from solver.roster.checker import check
from solver.roster.prepare import make_shifts, shift_id
from solver.roster.problem import (
    Agency,
    Office,
    Officer,
    OfficerRules,
    RosterProblem,
    RosterSolution,
    ShiftCover,
    ShiftTemplate,
)
from solver.roster.solve import solve
from solver.rules import HARD, Enforcement

START = date(2025, 5, 5)  # a Monday
ZONE = "Africa/Dar_es_Salaam"
AGENCY = Agency(id="customs-tz", name="Customs TZ", side="TZ")
OFFICE = Office(id="rusumo-tz", name="Rusumo TZ", zone=ZONE, zone_side="TZ")


def template(ident: str, start_hour: int, hours: int, *, night: bool = False,
             office: Office = OFFICE, skills: Iterable[str] = (), start_minute: int = 0,
             agency: Agency = AGENCY) -> ShiftTemplate:
    return ShiftTemplate(id=ident, name=ident.capitalize(), agency_id=agency.id,
                         office_id=office.id, start_minute=start_hour * 60 + start_minute,
                         length_minutes=hours * 60, night=night,
                         required_skills=frozenset(skills))


EARLY = template("early", 6, 8)
LATE = template("late", 14, 8)
NIGHT = template("night", 22, 8, night=True)


def officer(ident: str, *, skills: Iterable[str] = (), side: str = "TZ", zone: str = ZONE,
            accredited: Iterable[str] = (), agency: Agency = AGENCY,
            qualification: Enforcement | None = None, **rules) -> Officer:  # type: ignore[no-untyped-def]
    """An officer; ``rules`` are ``OfficerRules`` fields, ``qualification`` its ``skills``."""
    if qualification is not None:
        rules["skills"] = qualification
    return Officer(id=ident, name=ident.capitalize(), agency_id=agency.id, side=side, zone=zone,
                   skills=frozenset(skills), accredited_sides=frozenset(accredited),
                   rules=OfficerRules(**rules))


def day(offset: int, start: date = START) -> date:
    return start + timedelta(days=offset)


def sid(template_: ShiftTemplate, offset: int, start: date = START) -> str:
    return shift_id(template_.id, day(offset, start))


def cover(template_: ShiftTemplate, days: Iterable[int], required: int = 1, *,
          under: Enforcement = HARD, over_weight: int = 0, skill: str | None = None,
          start: date = START) -> tuple[ShiftCover, ...]:
    return tuple(ShiftCover(shift_id=sid(template_, d, start), required=required, under=under,
                            over_weight=over_weight, skill=skill) for d in days)


def make_problem(officers: Iterable[Officer], *, templates: Iterable[ShiftTemplate] = (EARLY,),
                 days: int = 7, start: date = START, offices: Iterable[Office] = (OFFICE,),
                 agencies: Iterable[Agency] = (AGENCY,), **extra) -> RosterProblem:  # type: ignore[no-untyped-def]
    templates = tuple(templates)
    offices = tuple(offices)
    return RosterProblem(
        name="test", start=start, days=days, agencies=tuple(agencies), offices=offices,
        templates=templates, shifts=make_shifts(templates, offices, start, days),
        officers=tuple(officers), **extra)


def solve_checked(problem: RosterProblem, seconds: float = 10.0) -> RosterSolution:
    """Solve, then require the checker to agree: no hard violation, same objective and costs."""
    solution = solve(problem, SolverConfig(time_limit_seconds=seconds, workers=2, seed=1))
    report = check(problem, solution)
    if solution.has_roster:
        assert report.hard_violations == (), report.hard_violations
        assert report.objective == solution.objective
        assert report.cost_by_rule() == {r: int(c) for r, c in solution.cost_by_rule().items()}
    return solution


def assert_infeasible(problem: RosterProblem) -> RosterSolution:
    solution = solve_checked(problem)
    assert solution.status == "infeasible"
    return solution


def assert_costs(problem: RosterProblem, expected: int, rule: str | None = None) -> RosterSolution:
    """Optimal, at exactly ``expected`` (all of it paid to ``rule``, if given)."""
    solution = solve_checked(problem)
    assert solution.status == "optimal", solution.status
    assert solution.objective == expected
    if rule is not None:
        assert solution.cost_by_rule() == ({rule: expected} if expected else {})
    return solution


def works(solution: RosterSolution, officer_id: str) -> set[str]:
    return {a.shift_id for a in solution.assignments if a.officer_id == officer_id}


@pytest.fixture
def replace():  # type: ignore[no-untyped-def]
    return dataclasses.replace
