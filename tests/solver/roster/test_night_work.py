"""Night-work limits: nights over the horizon, nights in a row, length of a night shift."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Limit
from solver.rules import Enforcement

from .conftest import (
    NIGHT,
    assert_costs,
    assert_infeasible,
    cover,
    make_problem,
    officer,
    solve_checked,
    template,
)

LONG_NIGHT = template("long-night", 18, 12, night=True)


def test_more_nights_than_allowed():
    amani = officer("amani", max_night_shifts=Limit(value=2))
    assert_infeasible(make_problem([amani], templates=(NIGHT,),
                                   shift_cover=cover(NIGHT, [0, 2, 4])))


def test_nights_in_a_row():
    amani = officer("amani", max_consecutive_nights=Limit(value=2))
    assert_infeasible(make_problem([amani], templates=(NIGHT,),
                                   shift_cover=cover(NIGHT, [0, 1, 2])))
    assert solve_checked(make_problem([amani], templates=(NIGHT,),
                                      shift_cover=cover(NIGHT, [0, 1, 3, 4]))
                         ).status == "optimal"


def test_soft_nights_in_a_row_pay_per_night_beyond():
    amani = officer("amani", max_consecutive_nights=Limit(value=2,
                                                          enforcement=Enforcement.soft(3)))
    assert_costs(make_problem([amani], templates=(NIGHT,), shift_cover=cover(NIGHT, range(5))),
                 9, names.MAX_CONSECUTIVE_NIGHTS)


def test_night_shifts_longer_than_allowed():
    amani = officer("amani", max_night_shift_minutes=Limit(value=8 * 60))
    assert_infeasible(make_problem([amani], templates=(LONG_NIGHT,),
                                   shift_cover=cover(LONG_NIGHT, [0])))
    assert solve_checked(make_problem([amani], templates=(NIGHT,), shift_cover=cover(NIGHT, [0]))
                         ).status == "optimal"


def test_soft_night_count_pays_per_night():
    amani = officer("amani", max_night_shifts=Limit(value=1, enforcement=Enforcement.soft(7)))
    assert_costs(make_problem([amani], templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4])),
                 14, names.MAX_NIGHTS)
