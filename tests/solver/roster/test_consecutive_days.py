"""Maximum and minimum consecutive working days, and the edges of the horizon."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.roster.problem import Limit, Pin
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
    sid,
    solve_checked,
)


def test_a_run_longer_than_the_maximum_is_infeasible():
    amani = officer("amani", max_consecutive_days=Limit(value=3))
    assert_infeasible(make_problem([amani], shift_cover=cover(EARLY, range(4))))
    assert solve_checked(make_problem([amani], shift_cover=cover(EARLY, [0, 1, 2, 4, 5, 6]))
                         ).status == "optimal"


def test_a_soft_maximum_pays_per_day_beyond():
    amani = officer("amani", max_consecutive_days=Limit(value=3,
                                                        enforcement=Enforcement.soft(10)))
    assert_costs(make_problem([amani], shift_cover=cover(EARLY, range(5))), 20,
                 names.MAX_CONSECUTIVE_DAYS)


def test_the_history_counts_towards_the_maximum():
    history = tuple(past_shift("amani", EARLY, OFFICE, day(d)) for d in (-2, -1))
    amani = officer("amani", max_consecutive_days=Limit(value=3))
    problem = make_problem([amani], shift_cover=cover(EARLY, [0, 1]), history=history,
                           history_days=2)
    assert_infeasible(problem)


def single_day_pinned(**extra):  # type: ignore[no-untyped-def]
    amani = officer("amani", min_consecutive_days=Limit(value=3))
    pins = (Pin(officer_id="amani", shift_id=sid(EARLY, 2)),
            Pin(officer_id="amani", shift_id=sid(EARLY, 1), assigned=False),
            Pin(officer_id="amani", shift_id=sid(EARLY, 3), assigned=False))
    return make_problem([amani], pins=pins, **extra)


def test_a_run_shorter_than_the_minimum_is_infeasible():
    assert_infeasible(single_day_pinned())


def test_runs_touching_an_unknown_start_are_not_judged():
    amani = officer("amani", min_consecutive_days=Limit(value=3))
    pins = (Pin(officer_id="amani", shift_id=sid(EARLY, 0)),
            Pin(officer_id="amani", shift_id=sid(EARLY, 1), assigned=False))
    assert solve_checked(make_problem([amani], pins=pins)).status == "optimal"
    # With two days of history (no shifts in them), day 0 starts a run that is judged.
    assert_infeasible(make_problem([amani], pins=pins, history_days=2))


def test_runs_touching_the_end_are_not_judged():
    amani = officer("amani", min_consecutive_days=Limit(value=3))
    pins = (Pin(officer_id="amani", shift_id=sid(EARLY, 5), assigned=False),
            Pin(officer_id="amani", shift_id=sid(EARLY, 6)))
    assert solve_checked(make_problem([amani], pins=pins)).status == "optimal"


def test_a_soft_minimum_pays_per_missing_day():
    amani = officer("amani", min_consecutive_days=Limit(value=3,
                                                        enforcement=Enforcement.soft(5)))
    pins = (Pin(officer_id="amani", shift_id=sid(EARLY, 2)),
            Pin(officer_id="amani", shift_id=sid(EARLY, 1), assigned=False),
            Pin(officer_id="amani", shift_id=sid(EARLY, 3), assigned=False))
    assert_costs(make_problem([amani], pins=pins), 10, names.MIN_CONSECUTIVE_DAYS)
