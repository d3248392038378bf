"""The relaxation over officers' rosters (column generation): the bound it proves holds, it is
exact where each roster's cost is linear in its shifts, and the roster dived from it keeps
every hard rule, interchangeable officers included."""

from __future__ import annotations

import dataclasses
import importlib
import math
from types import SimpleNamespace

import pytest

from solver.config import SolverConfig
from solver.roster.checker import check_assignments
from solver.roster.columns import applies, column_start
from solver.roster.model import build_model
from solver.roster.prepare import interval_cover
from solver.roster.problem import FairSpread, Limit, MinutesWindow, TemplateLimit
from solver.rules import Enforcement

from .conftest import EARLY, LATE, OFFICE, cover, day, make_problem, officer, sid, solve_checked

roster_solve = importlib.import_module("solver.roster.solve")
columns_module = importlib.import_module("solver.roster.columns")
CONFIG = SolverConfig(time_limit_seconds=10, workers=2, seed=1)


def _isolated_days():  # type: ignore[no-untyped-def]
    """One officer, runs of at least two days (the horizon's ends excepted), demand on days
    0, 2 and 4 only: at best days 0, 2, 3 and 4, one officer too many on day 3."""
    return make_problem(
        [officer("amani", min_consecutive_days=Limit(value=2))], days=5,
        shift_cover=cover(EARLY, (0, 2, 4), under=Enforcement.soft(100), over_weight=1)
        + cover(EARLY, (1, 3), required=0, under=Enforcement.soft(100), over_weight=1))


def test_the_bound_over_rosters_is_exact_where_demand_costs_are_linear() -> None:
    problem = _isolated_days()
    start = column_start(problem, CONFIG, 5.0)
    solution = solve_checked(problem)
    assert solution.status == "optimal" and solution.objective == 1
    assert start is not None and start.bound is not None
    assert math.ceil(start.bound - 1e-6) == 1
    assert start.roster is not None
    assert check_assignments(problem, start.roster).objective == 1


def _scarce_nights_post():  # type: ignore[no-untyped-def]
    """Four officers over two weeks, at most three late shifts each and eleven to twelve
    shifts in all, runs of two to five days: the lates need 2 a day (28), the officers may
    work 12 of them, so 16 are missing whatever the roster."""
    window = (MinutesWindow(first_day=day(0), last_day=day(13), min_minutes=Limit(value=11 * 480),
                            max_minutes=Limit(value=12 * 480)),)
    officers = [officer(name, working_time=window, max_consecutive_days=Limit(value=5),
                        min_consecutive_days=Limit(value=2),
                        max_shifts_per_template=(TemplateLimit(template_id=LATE.id,
                                                               limit=Limit(value=3)),))
                for name in ("amani", "baraka", "chausiku", "dalila")]
    soft = Enforcement.soft(100)
    return make_problem(officers, templates=(EARLY, LATE), days=14,
                        shift_cover=cover(EARLY, range(14), required=2, under=soft, over_weight=1)
                        + cover(LATE, range(14), required=2, under=soft, over_weight=1))


def test_the_bound_holds_and_the_dived_roster_keeps_every_hard_rule() -> None:
    """The four officers are alike in every respect, so the model orders their rosters: a
    dived roster that fixed one of them out of that order would leave CP-SAT nothing."""
    problem = _scarce_nights_post()
    start = column_start(problem, CONFIG, 8.0)
    solution = solve_checked(problem, 20.0)
    assert start is not None and start.bound is not None and start.roster is not None
    report = check_assignments(problem, start.roster)
    assert report.hard_violations == ()
    assert start.bound <= solution.objective
    assert start.bound <= report.objective
    # 16 lates missing at 100 each: the relaxation over rosters sees all of it.
    assert start.bound >= 1600 - 1e-6


def test_an_officer_whose_own_rules_allow_no_roster_leaves_no_start() -> None:
    window = (MinutesWindow(first_day=day(0), last_day=day(6), min_minutes=Limit(value=8 * 480),
                            max_minutes=Limit(value=8 * 480)),)
    problem = make_problem([officer("amani", working_time=window)], days=7,
                           shift_cover=cover(EARLY, range(7), under=Enforcement.soft(100)))
    assert column_start(problem, CONFIG, 3.0) is None


def test_only_parts_joined_by_priced_shift_demand_alone_are_relaxed_over_rosters() -> None:
    problem = _scarce_nights_post()
    assert applies(problem)
    assert not applies(dataclasses.replace(problem, shift_cover=cover(EARLY, range(14))))
    assert not applies(dataclasses.replace(problem, fair_spread=(FairSpread(
        name="nights", officer_ids=("amani", "baraka"), measure="nights",
        enforcement=Enforcement.soft(1)),)))
    intervals = interval_cover(OFFICE, None, day(0), 1, lambda _day, _minute: 1,
                               under=Enforcement.soft(100))
    assert not applies(dataclasses.replace(problem, interval_cover=intervals))


@pytest.mark.parametrize("deterministic", [False, True])
def test_a_part_starts_from_the_rosters_relaxation_unless_the_run_is_deterministic(
        monkeypatch: pytest.MonkeyPatch, deterministic: bool) -> None:
    problem = _scarce_nights_post()
    monkeypatch.setattr(roster_solve, "COLUMNS_MIN_VARIABLES", 1)
    calls = []
    original = roster_solve.columns.column_start

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = original(*args, **kwargs)
        calls.append(start)
        return start

    monkeypatch.setattr(roster_solve.columns, "column_start", spy)
    solution = roster_solve.solve(problem, dataclasses.replace(
        CONFIG, time_limit_seconds=10, deterministic=deterministic))
    report = check_assignments(problem, frozenset(
        (a.officer_id, a.shift_id) for a in solution.assignments))
    assert report.hard_violations == () and report.objective == solution.objective
    if deterministic:
        assert calls == []
    else:
        assert len(calls) == 1 and calls[0] is not None
        assert solution.best_bound is not None
        assert solution.best_bound >= math.ceil(calls[0].bound - 1e-6)


def test_fixed_rosters_of_alike_officers_are_handed_round_into_the_models_order() -> None:
    """The model orders alike officers by minutes worked, heaviest first; the dive knows
    nothing of that order, so rosters it fixed lighter first must be handed round, or
    CP-SAT is left with no roster at all."""
    problem = make_problem([officer("amani"), officer("baraka")], days=7,
                           shift_cover=cover(EARLY, range(7), under=Enforcement.soft(100)))
    light = frozenset(sid(EARLY, d) for d in (0, 1))
    heavy = frozenset(sid(EARLY, d) for d in (2, 3, 4, 5))
    dived = SimpleNamespace(
        fixed={"amani": 0, "baraka": 0},
        leading_columns=lambda _master: {"amani": light, "baraka": heavy},
        support=lambda _master: {("amani", s) for s in light} | {("baraka", s) for s in heavy})
    roster = columns_module._complete(build_model(problem), dived, None, CONFIG, 2.0)
    assert roster is not None
    assert {s for o, s in roster if o == "amani"} == heavy
    assert {s for o, s in roster if o == "baraka"} == light


def test_an_officer_who_serves_no_demand_still_gets_a_roster_in_the_master() -> None:
    """Baraka is on no shift anyone needs: his best roster saves nothing, yet the master
    needs one roster of his to be solved at all."""
    problem = make_problem([officer("amani"), officer("baraka", max_shifts_per_template=(
        TemplateLimit(template_id=EARLY.id, limit=Limit(value=0)),))], templates=(EARLY, LATE),
        days=7, shift_cover=cover(EARLY, range(7), under=Enforcement.soft(100)))
    start = column_start(problem, CONFIG, 3.0)
    assert start is not None and start.roster is not None
    assert check_assignments(problem, start.roster).hard_violations == ()


def test_a_dive_whose_fixes_cost_more_gives_way_to_the_roster_from_the_relaxation_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The dived roster proven the best its fixes allow with time to spare, CP-SAT tries again
    from the relaxation without the fixes, and the cheaper roster is the start."""
    problem = _scarce_nights_post()
    complete = columns_module._complete
    seen_fixed = []

    def fixes_cost_more(built, generation, master, config, seconds):  # type: ignore[no-untyped-def]
        seen_fixed.append(bool(generation.fixed))
        roster = complete(built, generation, master, config, seconds)
        # Dived: every officer off on the first day as well, so the dive's roster costs more.
        return frozenset(key for key in roster if key[1] != sid(EARLY, 0)) if (
            generation.fixed) else roster

    monkeypatch.setattr(columns_module, "_complete", fixes_cost_more)
    start = column_start(problem, CONFIG, 8.0)
    assert seen_fixed == [True, False]
    assert start is not None and start.roster is not None
    assert sid(EARLY, 0) in {shift for _, shift in start.roster}
    assert check_assignments(problem, start.roster).hard_violations == ()
