"""Forbidden shift successions on consecutive days, including from the history."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.roster.problem import Succession
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
)

NIGHT_THEN_EARLY = Succession(first_template="night", second_template="early")


def test_night_then_early_is_forbidden():
    amani = officer("amani", forbidden_successions=(NIGHT_THEN_EARLY,))
    problem = make_problem([amani], templates=(EARLY, NIGHT),
                           shift_cover=cover(NIGHT, [0]) + cover(EARLY, [1]))
    assert_infeasible(problem)


def test_the_reverse_order_is_allowed():
    amani = officer("amani", forbidden_successions=(NIGHT_THEN_EARLY,))
    problem = make_problem([amani], templates=(EARLY, NIGHT),
                           shift_cover=cover(EARLY, [0]) + cover(NIGHT, [1]))
    assert solve_checked(problem).status == "optimal"


def test_several_forbidden_pairs_share_one_encoding():
    rules = (NIGHT_THEN_EARLY, Succession(first_template="night", second_template="late"),
             Succession(first_template="late", second_template="early"))
    amani = officer("amani", forbidden_successions=rules)
    for first, second in ((NIGHT, LATE), (LATE, EARLY), (NIGHT, EARLY)):
        problem = make_problem([amani], templates=(EARLY, LATE, NIGHT),
                               shift_cover=cover(first, [2]) + cover(second, [3]))
        assert_infeasible(problem)
    allowed = make_problem([amani], templates=(EARLY, LATE, NIGHT),
                           shift_cover=cover(EARLY, [2]) + cover(LATE, [3]))
    assert solve_checked(allowed).status == "optimal"


def test_soft_succession_pays_per_occurrence():
    soft = Succession(first_template="night", second_template="early",
                      enforcement=Enforcement.soft(4))
    problem = make_problem([officer("amani", forbidden_successions=(soft,))],
                           templates=(EARLY, NIGHT),
                           shift_cover=cover(NIGHT, [0, 3]) + cover(EARLY, [1, 4]))
    assert_costs(problem, 8, names.SUCCESSIONS)


def test_a_night_of_the_history_forbids_an_early_first_day():
    history = (past_shift("amani", NIGHT, OFFICE, day(-1)),)
    amani = officer("amani", forbidden_successions=(NIGHT_THEN_EARLY,))
    problem = make_problem([amani], templates=(EARLY, NIGHT), shift_cover=cover(EARLY, [0]),
                           history=history, history_days=1)
    assert_infeasible(problem)
    assert solve_checked(make_problem([amani], templates=(EARLY, NIGHT),
                                      shift_cover=cover(EARLY, [0]))).status == "optimal"
