"""One shift per day (hard or soft) and no overlapping shifts (always hard)."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    LATE,
    NIGHT,
    OFFICE,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    solve_checked,
    template,
)


def test_one_shift_per_day_hard_forbids_a_double():
    problem = make_problem([officer("amani")], templates=(EARLY, LATE),
                           shift_cover=cover(EARLY, [0]) + cover(LATE, [0]))
    assert_infeasible(problem)


def test_one_shift_per_day_soft_pays_per_extra_shift():
    amani = officer("amani", one_shift_per_day=Enforcement.soft(7))
    problem = make_problem([amani], templates=(EARLY, LATE),
                           shift_cover=cover(EARLY, [0, 1]) + cover(LATE, [0, 1]))
    assert_costs(problem, 14, names.ONE_SHIFT_PER_DAY)


def test_overlapping_shifts_stay_forbidden_when_the_day_rule_is_soft():
    midday = template("midday", 10, 8)
    amani = officer("amani", one_shift_per_day=Enforcement.soft(1))
    problem = make_problem([amani], templates=(EARLY, midday),
                           shift_cover=cover(EARLY, [0]) + cover(midday, [0]))
    assert_infeasible(problem)


def test_a_night_overlaps_the_next_days_early_shift_across_midnight():
    late_night = template("late-night", 23, 8, night=True)  # 23:00-07:00 next day
    amani = officer("amani", one_shift_per_day=Enforcement.soft(1))
    problem = make_problem([amani], templates=(EARLY, late_night),
                           shift_cover=cover(late_night, [0]) + cover(EARLY, [1]))
    assert_infeasible(problem)


def test_a_shift_of_the_history_overlaps_the_first_day():
    late_night = template("late-night", 23, 8, night=True)
    history = (past_shift("amani", late_night, OFFICE, day(-1)),)
    problem = make_problem([officer("amani")], templates=(EARLY, late_night),
                           shift_cover=cover(EARLY, [0]), history=history, history_days=1)
    assert_infeasible(problem)


def test_back_to_back_shifts_on_two_days_are_allowed():
    problem = make_problem([officer("amani")], templates=(EARLY, NIGHT),
                           shift_cover=cover(NIGHT, [0]) + cover(EARLY, [2]))
    assert solve_checked(problem).status == "optimal"
