"""Shift on and off requests."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import ShiftRequest
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    LATE,
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


def test_the_cheaper_off_request_is_the_one_broken():
    requests = (ShiftRequest(officer_id="amani", day=day(1), kind="off",
                             enforcement=Enforcement.soft(2)),
                ShiftRequest(officer_id="baraka", day=day(1), kind="off",
                             enforcement=Enforcement.soft(3)))
    problem = make_problem([officer("amani"), officer("baraka")],
                           shift_cover=cover(EARLY, [1]), requests=requests)
    solution = assert_costs(problem, 2, names.REQUESTS)
    assert works(solution, "amani") == {sid(EARLY, 1)}


def test_an_on_request_for_a_shift_type_is_met_only_by_that_type():
    request = ShiftRequest(officer_id="amani", day=day(3), kind="on", template_id="late",
                           enforcement=Enforcement.soft(4))
    # Amani must work the early shift of day 3 (the only one who can), so the late one is lost.
    problem = make_problem([officer("amani")], templates=(EARLY, LATE),
                           shift_cover=cover(EARLY, [3]), requests=(request,))
    assert_costs(problem, 4, names.REQUESTS)


def test_an_on_request_is_granted_when_free():
    request = ShiftRequest(officer_id="amani", day=day(3), kind="on", template_id="late")
    solution = assert_costs(make_problem([officer("amani")], templates=(EARLY, LATE),
                                         requests=(request,)), 0)
    assert works(solution, "amani") == {sid(LATE, 3)}


def test_a_hard_off_request_is_respected():
    request = ShiftRequest(officer_id="amani", day=day(1), kind="off", enforcement=Enforcement())
    assert_infeasible(make_problem([officer("amani")], shift_cover=cover(EARLY, [1]),
                                   requests=(request,)))
    assert solve_checked(make_problem([officer("amani")], requests=(request,))).status == "optimal"
