"""Pinned shifts: a planner's fixed decisions."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Pin, ShiftRequest
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    sid,
    solve_checked,
    works,
)


def test_a_pinned_shift_is_worked_even_without_demand():
    problem = make_problem([officer("amani")], pins=(Pin(officer_id="amani",
                                                         shift_id=sid(EARLY, 3)),))
    solution = solve_checked(problem)
    assert works(solution, "amani") == {sid(EARLY, 3)}


def test_pinned_off_against_hard_demand_is_infeasible():
    problem = make_problem([officer("amani")], shift_cover=cover(EARLY, [2]),
                           pins=(Pin(officer_id="amani", shift_id=sid(EARLY, 2),
                                     assigned=False),))
    assert_infeasible(problem)


def test_a_soft_pin_gives_way_to_a_heavier_request():
    pin = Pin(officer_id="amani", shift_id=sid(EARLY, 2), enforcement=Enforcement.soft(3))
    request = ShiftRequest(officer_id="amani", day=day(2), kind="off",
                           enforcement=Enforcement.soft(5))
    assert_costs(make_problem([officer("amani")], pins=(pin,), requests=(request,)), 3,
                 names.PINS)
