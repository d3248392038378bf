"""Weekly rest: one uninterrupted rest of the required length in every week."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Limit
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    assert_costs,
    assert_infeasible,
    cover,
    make_problem,
    officer,
    solve_checked,
)

THIRTY_FIVE_HOURS = 35 * 60


def test_working_every_day_of_a_week_leaves_no_weekly_rest():
    amani = officer("amani", weekly_rest_minutes=Limit(value=THIRTY_FIVE_HOURS))
    # Monday to the next Monday: the first week has no 35 h break.
    assert_infeasible(make_problem([amani], days=14, shift_cover=cover(EARLY, range(8))))


def test_a_day_off_gives_the_weekly_rest():
    amani = officer("amani", weekly_rest_minutes=Limit(value=THIRTY_FIVE_HOURS))
    # Early shift on Tuesday ends 14:00; next on Thursday 06:00: 40 h of rest.
    days = [0, 1, 3, 4, 5, 6, 7]
    assert solve_checked(make_problem([amani], days=14, shift_cover=cover(EARLY, days))
                         ).status == "optimal"


def test_the_rest_may_run_on_past_the_end_of_the_horizon():
    amani = officer("amani", weekly_rest_minutes=Limit(value=THIRTY_FIVE_HOURS))
    assert solve_checked(make_problem([amani], days=7, shift_cover=cover(EARLY, range(7)))
                         ).status == "optimal"


def test_a_soft_weekly_rest_pays_per_week_without_it():
    amani = officer("amani", weekly_rest_minutes=Limit(value=THIRTY_FIVE_HOURS,
                                                       enforcement=Enforcement.soft(25)))
    problem = make_problem([amani], days=14, shift_cover=cover(EARLY, range(8)))
    assert_costs(problem, 25, names.WEEKLY_REST)
