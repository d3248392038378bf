"""Staffing demand per shift and per 30-minute interval, with skills and weights."""

from __future__ import annotations

import importlib
import time

from solver.config import SolverConfig
from solver.relaxation import linear_relaxation_bound
from solver.roster import names
from solver.roster.checker import check_assignments
from solver.roster.model import build_model
from solver.roster.prepare import interval_cover
from solver.roster.problem import Pin, ShiftRequest
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    LATE,
    OFFICE,
    START,
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

# The module, not the ``solve`` function the package exports under the same name.
engine = importlib.import_module("solver.roster.solve")


def test_hard_demand_beyond_the_staff_is_infeasible():
    assert_infeasible(make_problem([officer("amani")], shift_cover=cover(EARLY, [0], required=2)))


def test_soft_shortfall_pays_per_missing_officer():
    problem = make_problem([officer("amani")],
                           shift_cover=cover(EARLY, [0, 1], required=3,
                                             under=Enforcement.soft(100)))
    assert_costs(problem, 400, names.COVER_UNDER)


def test_only_officers_with_the_skill_count():
    problem = make_problem([officer("amani", skills={"scanner"}), officer("baraka"),
                            officer("chausiku")],
                           shift_cover=cover(EARLY, [0], required=2, skill="scanner",
                                             under=Enforcement.soft(100)))
    assert_costs(problem, 100, names.COVER_UNDER)


def test_overstaffing_pays_its_weight():
    problem = make_problem([officer("amani"), officer("baraka")],
                           shift_cover=cover(EARLY, [0], required=1, over_weight=3),
                           pins=(Pin(officer_id="amani", shift_id=sid(EARLY, 0)),
                                 Pin(officer_id="baraka", shift_id=sid(EARLY, 0))))
    assert_costs(problem, 3, names.COVER_OVER)


def test_interval_demand_is_met_by_a_shift_spanning_it():
    def needs_one_in_the_morning(day, minute):  # type: ignore[no-untyped-def]
        return 1 if day == START and 8 * 60 <= minute < 12 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_one_in_the_morning)
    assert len(demand) == 8
    solution = assert_costs(make_problem([officer("amani")], templates=(EARLY, LATE),
                                         interval_cover=demand), 0)
    assert works(solution, "amani") == {sid(EARLY, 0)}


def test_interval_shortfall_pays_per_officer_and_interval():
    def needs_two_at_dawn(day, minute):  # type: ignore[no-untyped-def]
        return 2 if day == START and 6 * 60 <= minute < 8 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_two_at_dawn,
                            under=Enforcement.soft(10))
    # One officer covers 06:00-08:00 (four intervals); the second officer is missing in each.
    assert_costs(make_problem([officer("amani")], interval_cover=demand), 40, names.COVER_UNDER)


def test_an_interval_not_spanned_by_any_shift_cannot_be_covered():
    def needs_one_before_dawn(day, minute):  # type: ignore[no-untyped-def]
        return 1 if day == START and 5 * 60 + 30 <= minute < 6 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_one_before_dawn)
    assert_infeasible(make_problem([officer("amani")], interval_cover=demand))


def test_interval_over_cover_counts_every_interval():
    def needs_nobody(day, minute):  # type: ignore[no-untyped-def]
        return 0

    demand = interval_cover(OFFICE, None, START, 1, needs_nobody, over_weight=1)
    problem = make_problem([officer("amani")], days=1, interval_cover=demand,
                           pins=(Pin(officer_id="amani", shift_id=sid(EARLY, 0)),))
    solution = solve_checked(problem)
    assert solution.objective == 16  # eight hours of half-hours


def test_the_linear_relaxation_proves_a_forced_interval_shortfall():
    # Two officers needed at dawn and one on the staff: the relaxation alone proves the 40
    # that the roster pays, as it proves Rusumo's customs rosters where CP-SAT's bound stalls.
    def needs_two_at_dawn(day, minute):  # type: ignore[no-untyped-def]
        return 2 if day == START and 6 * 60 <= minute < 8 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_two_at_dawn,
                            under=Enforcement.soft(10))
    problem = make_problem([officer("amani")], interval_cover=demand)
    solution = assert_costs(problem, 40, names.COVER_UNDER)
    result = linear_relaxation_bound(build_model(problem).model, seconds=10)
    assert result.bound is not None
    assert 40 - 1e-3 <= result.bound <= solution.objective


def forced_dawn_shortfall():  # type: ignore[no-untyped-def]
    def needs_two_at_dawn(day, minute):  # type: ignore[no-untyped-def]
        return 2 if day == START and 6 * 60 <= minute < 8 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_two_at_dawn,
                            under=Enforcement.soft(10))
    return make_problem([officer("amani")], interval_cover=demand)


def test_the_engine_proves_a_part_with_demand_per_interval_by_its_relaxation(monkeypatch):
    # The thread the engine runs beside the search: its bound alone, with no search at all,
    # proves the roster that pays the forced 40 optimal.
    monkeypatch.setattr(engine, "RELAXATION_MIN_VARIABLES", 1)
    problem = forced_dawn_shortfall()
    part = engine.Part(problem=problem, built=engine.build_model(problem))
    bounds = engine._RelaxationBounds([part], deadline=time.monotonic() + 10)
    bounds.apply()
    assert part.bound == 40
    roster = assert_costs(problem, 40, names.COVER_UNDER)
    part.offer({key: False for key in part.built.vars.x}, roster.objective)
    assert part.status == "optimal"


def test_only_parts_with_demand_per_interval_of_the_chosen_sizes_get_a_relaxation(monkeypatch):
    problem = forced_dawn_shortfall()
    part = engine.Part(problem=problem, built=engine.build_model(problem))
    monkeypatch.setattr(engine, "RELAXATION_MIN_VARIABLES", part.size + 1)
    assert not engine._RelaxationBounds([part], deadline=time.monotonic() + 10).pending
    monkeypatch.setattr(engine, "RELAXATION_MIN_VARIABLES", 1)
    per_shift = make_problem([officer("amani")], shift_cover=cover(EARLY, [0], required=2))
    shift_part = engine.Part(problem=per_shift, built=engine.build_model(per_shift))
    assert [p for p, _ in engine._RelaxationBounds([part, shift_part],
                                                   deadline=time.monotonic() + 10).pending] == [part]


def _progress(part):  # type: ignore[no-untyped-def]
    return engine._Progress([part], time.monotonic(), None)


def test_asked_for_fewer_officers_missing_the_engine_finds_a_roster_that_has_them():
    # Nobody working leaves both days short; asked for fewer missing, CP-SAT puts amani on
    # them, at the cost of her wish for day 1 off, far less than a missing officer.
    problem = make_problem([officer("amani")],
                           shift_cover=cover(EARLY, [0, 1], under=Enforcement.soft(100)),
                           requests=(ShiftRequest(officer_id="amani", day=day(1), kind="off",
                                                  enforcement=Enforcement.soft(3)),))
    part = engine.Part(problem=problem, built=engine.build_model(problem))
    part.offer({key: False for key in part.built.vars.x},
               check_assignments(problem, frozenset()).objective)
    assert part.objective == 200
    assert engine._fewer_missing(part, 10.0, SolverConfig(workers=1, seed=1), _progress(part))
    assert part.values is not None
    checked = check_assignments(problem, frozenset(k for k, on in part.values.items() if on))
    assert checked.feasible
    assert part.objective == checked.objective == 3
    # What a run held to fewer missing proves bounds that run, not the part.
    assert part.bound is None
    # Nobody is missing now: no more time is worth asking for.
    assert not engine._fewer_missing(part, 10.0, SolverConfig(workers=1, seed=1),
                                     _progress(part))


def test_where_no_roster_has_fewer_officers_missing_one_run_says_so_and_the_roster_stands():
    problem = make_problem([officer("amani")],
                           shift_cover=cover(EARLY, [0], required=2, under=Enforcement.soft(100)))
    part = engine.Part(problem=problem, built=engine.build_model(problem))
    works_day_0 = {key: True for key in part.built.vars.x}
    part.offer(works_day_0, check_assignments(problem, frozenset(works_day_0)).objective)
    assert part.objective == 100
    assert not engine._fewer_missing(part, 30.0, SolverConfig(workers=1, seed=1),
                                     _progress(part))
    assert part.objective == 100 and part.values == works_day_0
    assert [run.status for run in part.runs] == ["infeasible"]
