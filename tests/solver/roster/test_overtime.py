"""Overtime beyond the regular week."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Overtime
from solver.rules import Enforcement

from .conftest import EARLY, assert_costs, assert_infeasible, cover, make_problem, officer, works


def test_a_sixth_shift_is_overtime():
    amani = officer("amani", overtime=Overtime(regular_minutes_per_week=40 * 60,
                                               enforcement=Enforcement.soft(2)))
    assert_costs(make_problem([amani], shift_cover=cover(EARLY, range(6))), 2 * 480,
                 names.OVERTIME)


def test_overtime_goes_to_whoever_is_cheaper():
    regular = Overtime(regular_minutes_per_week=40 * 60, enforcement=Enforcement.soft(2))
    problem = make_problem([officer("amani", overtime=regular), officer("baraka")],
                           shift_cover=cover(EARLY, range(7)))
    solution = assert_costs(problem, 0)
    assert len(works(solution, "amani")) <= 5


def test_a_shorter_last_week_has_a_smaller_allowance():
    amani = officer("amani", overtime=Overtime(regular_minutes_per_week=40 * 60,
                                               enforcement=Enforcement.soft(1)))
    # 9 days: the second week has 2 days and 40 h * 2/7 = 685 minutes of regular time.
    problem = make_problem([amani], days=9, shift_cover=cover(EARLY, [7, 8]))
    assert_costs(problem, 960 - 685, names.OVERTIME)


def test_hard_overtime_means_none():
    amani = officer("amani", overtime=Overtime(regular_minutes_per_week=40 * 60,
                                               enforcement=Enforcement()))
    assert_infeasible(make_problem([amani], shift_cover=cover(EARLY, range(6))))
