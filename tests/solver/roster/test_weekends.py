"""Maximum weekends worked, with the country's weekend days."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.roster.problem import Limit
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    OFFICE,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    solve_checked,
)

SATURDAYS = [5, 12]
SUNDAYS = [6, 13]


def test_two_weekends_against_a_limit_of_one():
    amani = officer("amani", max_weekends=Limit(value=1))
    assert_infeasible(make_problem([amani], days=14, shift_cover=cover(EARLY, SATURDAYS)))


def test_both_days_of_one_weekend_count_once():
    amani = officer("amani", max_weekends=Limit(value=1))
    problem = make_problem([amani], days=14, shift_cover=cover(EARLY, [5, 6]))
    assert solve_checked(problem).status == "optimal"


def test_a_friday_saturday_weekend():
    amani = officer("amani", max_weekends=Limit(value=1), weekend_days=frozenset({4, 5}))
    fridays = [4, 11]
    assert_infeasible(make_problem([amani], days=14, shift_cover=cover(EARLY, fridays)))
    assert solve_checked(make_problem([amani], days=14, shift_cover=cover(EARLY, SUNDAYS))
                         ).status == "optimal"


def test_a_soft_limit_pays_per_extra_weekend():
    amani = officer("amani", max_weekends=Limit(value=0, enforcement=Enforcement.soft(9)))
    assert_costs(make_problem([amani], days=14, shift_cover=cover(EARLY, SUNDAYS)), 18,
                 names.WEEKENDS)


def test_a_weekend_begun_in_the_history_counts():
    # The horizon starts on a Sunday; Saturday, worked, is in the history.
    start = day(6)
    history = (past_shift("amani", EARLY, OFFICE, day(5)),)
    amani = officer("amani", max_weekends=Limit(value=1))
    problem = make_problem([amani], start=start, days=8, history=history, history_days=1,
                           shift_cover=cover(EARLY, [6], start=start))
    assert_infeasible(problem)
