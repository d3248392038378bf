"""Leave and absences: no shift overlapping them."""

from __future__ import annotations

from datetime import timedelta

from solver.roster import names
from solver.roster.prepare import absence_for_days, utc
from solver.roster.problem import Absence
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
    solve_checked,
    works,
)


def test_an_officer_on_leave_cannot_cover_the_day():
    amani = officer("amani")
    problem = make_problem([amani], shift_cover=cover(EARLY, [1]),
                           absences=(absence_for_days(amani, day(1), day(1)),))
    assert_infeasible(problem)


def test_a_colleague_covers_for_the_officer_on_leave():
    amani, baraka = officer("amani"), officer("baraka")
    problem = make_problem([amani, baraka], shift_cover=cover(EARLY, range(3)),
                           absences=(absence_for_days(amani, day(0), day(2)),))
    solution = solve_checked(problem)
    assert works(solution, "amani") == set()


def test_leave_starting_at_noon_excludes_the_overlapping_early_shift():
    amani = officer("amani")
    # Dar es Salaam is UTC+3: noon local on day 1 is 09:00 UTC.
    noon = utc(day(1).year, day(1).month, day(1).day, 9)
    absence = Absence(officer_id="amani", start=noon, end=noon + timedelta(days=1))
    assert_infeasible(make_problem([amani], shift_cover=cover(EARLY, [1]), absences=(absence,)))
    before = make_problem([amani], shift_cover=cover(EARLY, [0]), absences=(absence,))
    assert solve_checked(before).status == "optimal"


def test_a_night_shift_running_into_the_leave_is_excluded():
    amani = officer("amani")
    problem = make_problem([amani], templates=(NIGHT,), shift_cover=cover(NIGHT, [0]),
                           absences=(absence_for_days(amani, day(1), day(1)),))
    assert_infeasible(problem)


def test_soft_leave_pays_per_shift():
    amani = officer("amani", leave=Enforcement.soft(50))
    problem = make_problem([amani], shift_cover=cover(EARLY, [1, 2]),
                           absences=(absence_for_days(amani, day(1), day(3)),))
    assert_costs(problem, 100, names.LEAVE)
