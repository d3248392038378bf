"""Average weekly hours over a reference period."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.roster.problem import AverageHours
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

FORTY_HOURS = 40 * 60


def test_six_eight_hour_days_in_one_week_exceed_forty_hours():
    amani = officer("amani", average_hours=AverageHours(max_minutes_per_week=FORTY_HOURS,
                                                        reference_days=7))
    assert_infeasible(make_problem([amani], days=14, shift_cover=cover(EARLY, range(6))))


def test_the_average_over_two_weeks_allows_a_long_week():
    amani = officer("amani", average_hours=AverageHours(max_minutes_per_week=FORTY_HOURS,
                                                        reference_days=14))
    problem = make_problem([amani], days=14, shift_cover=cover(EARLY, range(6)))
    assert solve_checked(problem).status == "optimal"


def test_a_soft_limit_pays_per_minute_over_in_each_window():
    rule = AverageHours(max_minutes_per_week=FORTY_HOURS, reference_days=7,
                        enforcement=Enforcement.soft(1))
    # Days 0-5 worked: the window of days 0-6 holds 48 h (480 minutes over); the later
    # windows hold at most 40 h.
    problem = make_problem([officer("amani", average_hours=rule)], days=14,
                           shift_cover=cover(EARLY, range(6)))
    assert_costs(problem, 480, names.AVERAGE_HOURS)


def test_the_history_counts_in_the_reference_period():
    history = tuple(past_shift("amani", EARLY, OFFICE, day(d)) for d in range(-5, 0))
    amani = officer("amani", average_hours=AverageHours(max_minutes_per_week=FORTY_HOURS,
                                                        reference_days=7))
    problem = make_problem([amani], history=history, history_days=6,
                           shift_cover=cover(EARLY, [0]))
    assert_infeasible(problem)
