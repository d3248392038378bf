"""Minimum consecutive days off."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Limit, Pin
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    assert_costs,
    assert_infeasible,
    make_problem,
    officer,
    sid,
    solve_checked,
)


def pins_around_a_single_day_off() -> tuple[Pin, ...]:
    return (Pin(officer_id="amani", shift_id=sid(EARLY, 1)),
            Pin(officer_id="amani", shift_id=sid(EARLY, 2), assigned=False),
            Pin(officer_id="amani", shift_id=sid(EARLY, 3)))


def test_a_single_day_off_between_shifts_is_too_short():
    amani = officer("amani", min_consecutive_days_off=Limit(value=2))
    assert_infeasible(make_problem([amani], pins=pins_around_a_single_day_off()))


def test_two_days_off_are_enough():
    amani = officer("amani", min_consecutive_days_off=Limit(value=2))
    pins = (Pin(officer_id="amani", shift_id=sid(EARLY, 1)),
            Pin(officer_id="amani", shift_id=sid(EARLY, 4)))
    assert solve_checked(make_problem([amani], pins=pins)).status == "optimal"


def test_a_soft_minimum_pays_per_missing_day_off():
    amani = officer("amani", min_consecutive_days_off=Limit(value=3,
                                                            enforcement=Enforcement.soft(4)))
    assert_costs(make_problem([amani], pins=pins_around_a_single_day_off()), 8,
                 names.MIN_DAYS_OFF)
