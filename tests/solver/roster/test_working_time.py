"""Minimum and maximum working minutes per period."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Limit, MinutesWindow
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    solve_checked,
    works,
)


def week(minimum: Limit | None = None, maximum: Limit | None = None) -> tuple[MinutesWindow]:
    return (MinutesWindow(first_day=day(0), last_day=day(6), min_minutes=minimum,
                          max_minutes=maximum),)


def test_the_minimum_makes_an_officer_work_without_demand():
    amani = officer("amani", working_time=week(minimum=Limit(value=3 * 480)))
    solution = solve_checked(make_problem([amani]))
    assert solution.status == "optimal"
    assert len(works(solution, "amani")) == 3


def test_the_maximum_caps_the_week():
    amani = officer("amani", working_time=week(maximum=Limit(value=2 * 480)))
    assert_infeasible(make_problem([amani], shift_cover=cover(EARLY, [0, 1, 2])))


def test_a_soft_maximum_pays_per_minute_over():
    amani = officer("amani", working_time=week(
        maximum=Limit(value=2 * 480, enforcement=Enforcement.soft(2))))
    problem = make_problem([amani], shift_cover=cover(EARLY, [0, 1, 2]))
    assert_costs(problem, 2 * 480, names.WORKING_TIME)


def test_a_soft_minimum_pays_per_minute_short():
    amani = officer("amani", working_time=week(
        minimum=Limit(value=3 * 480, enforcement=Enforcement.soft(1))),
        max_consecutive_days=Limit(value=1), min_consecutive_days_off=Limit(value=3))
    # At most one day in a row and three days off between: two shifts in a week at most.
    solution = assert_costs(make_problem([amani]), 480, names.WORKING_TIME)
    assert len(works(solution, "amani")) == 2
