"""Fair spread of nights, weekend shifts and holiday shifts over a group of officers."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import FairSpread, Holiday, Limit
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    NIGHT,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    works,
)


def spread(measure: str, weight: int = 10, allowed: int = 0) -> tuple[FairSpread]:
    return (FairSpread(name=f"Customs TZ {measure}", officer_ids=("amani", "baraka"),
                       measure=measure, enforcement=Enforcement.soft(weight),  # type: ignore[arg-type]
                       allowed_spread=allowed),)


def test_nights_are_shared_evenly_when_they_can_be():
    problem = make_problem([officer("amani"), officer("baraka")], templates=(NIGHT,),
                           shift_cover=cover(NIGHT, [0, 2, 4, 6]), fair_spread=spread("nights"))
    solution = assert_costs(problem, 0)
    assert len(works(solution, "amani")) == len(works(solution, "baraka")) == 2


def test_an_uneven_spread_costs_per_night_of_difference():
    problem = make_problem([officer("amani", max_night_shifts=Limit(value=1)), officer("baraka")],
                           templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4, 6]),
                           fair_spread=spread("nights"))
    assert_costs(problem, 20, names.FAIR_SPREAD)  # 3 against 1


def test_the_allowed_spread_is_free():
    problem = make_problem([officer("amani", max_night_shifts=Limit(value=1)), officer("baraka")],
                           templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4, 6]),
                           fair_spread=spread("nights", allowed=2))
    assert_costs(problem, 0)


def test_weekend_shifts_are_spread():
    problem = make_problem([officer("amani"), officer("baraka")], days=14,
                           shift_cover=cover(EARLY, [5, 6, 12, 13], required=1),
                           fair_spread=spread("weekends", weight=3))
    solution = assert_costs(problem, 0)
    assert len(works(solution, "amani")) == 2


def test_holidays_count_on_the_officers_own_calendar():
    holiday = (Holiday(side="TZ", day=day(2), name="Union Day"),)
    rwandan = officer("baraka", side="RW", zone="Africa/Kigali", accredited={"TZ"})
    # Day 2 is a holiday only for Amani's country: whoever works it, the spread is 1 or 0.
    problem = make_problem([officer("amani"), rwandan], shift_cover=cover(EARLY, [2]),
                           holidays=holiday, fair_spread=spread("holidays", weight=5))
    solution = assert_costs(problem, 0)
    assert works(solution, "baraka") == {f"early@{day(2).isoformat()}"}


def test_a_hard_spread_can_make_a_roster_impossible():
    hard = (FairSpread(name="Customs TZ nights", officer_ids=("amani", "baraka"),
                       measure="nights", enforcement=Enforcement(), allowed_spread=1),)
    problem = make_problem([officer("amani", max_night_shifts=Limit(value=1)), officer("baraka")],
                           templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4, 6]),
                           fair_spread=hard)
    assert_infeasible(problem)
