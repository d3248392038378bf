"""The roster built officer by officer, the start of very large parts: every officer's own
hard rules hold by construction, and the part keeps it when the search finds nothing better."""

from __future__ import annotations

import dataclasses
import importlib
from types import SimpleNamespace

import pytest

from solver.config import SolverConfig
from solver.roster import names
from solver.roster.checker import check_assignments
from solver.roster.construct import construct
from solver.roster.prepare import absence_for_days, interval_cover
from solver.roster.problem import Limit, MinutesWindow, ShiftRequest
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    LATE,
    OFFICE,
    START,
    cover,
    day,
    make_problem,
    officer,
    sid,
    solve_checked,
)

roster_solve = importlib.import_module("solver.roster.solve")
construct_module = importlib.import_module("solver.roster.construct")


def _tight_post():  # type: ignore[no-untyped-def]
    """Four weeks, three officers each held to 18-19 shifts, runs of two to five days and two
    days off at least; demand (soft) for two officers on both shifts every day."""
    window = (MinutesWindow(first_day=day(0), last_day=day(27), min_minutes=Limit(value=18 * 480),
                            max_minutes=Limit(value=19 * 480)),)
    officers = [
        officer(name, working_time=window, max_consecutive_days=Limit(value=5),
                min_consecutive_days=Limit(value=2), min_consecutive_days_off=Limit(value=2))
        for name in ("amani", "baraka", "chausiku")
    ]
    return make_problem(officers, templates=(EARLY, LATE), days=28,
                        shift_cover=cover(EARLY, range(28), required=2, under=Enforcement.soft(100))
                        + cover(LATE, range(28), required=2, under=Enforcement.soft(100)))


def test_the_constructed_roster_keeps_every_officers_hard_rules() -> None:
    problem = _tight_post()
    roster = construct(problem, SolverConfig(time_limit_seconds=10, workers=2, seed=1), 5.0)
    assert roster is not None
    report = check_assignments(problem, roster)
    assert report.hard_violations == ()
    for name in ("amani", "baraka", "chausiku"):
        assert 18 <= sum(1 for officer_id, _ in roster if officer_id == name) <= 19


def test_a_large_part_keeps_its_constructed_roster_when_the_search_finds_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every part counts as large; the CP-SAT runs and the search after them find nothing.
    monkeypatch.setattr(roster_solve, "CONSTRUCT_MIN_VARIABLES", 0)
    monkeypatch.setattr(roster_solve, "_run_full", lambda *args, **kwargs: None)
    monkeypatch.setattr(roster_solve, "improve", lambda *args, **kwargs: None)
    problem = _tight_post()
    solution = solve_checked(problem, seconds=5.0)
    assert solution.has_roster
    pairs = {(a.officer_id, a.shift_id) for a in solution.assignments}
    assert check_assignments(problem, pairs).hard_violations == ()


def _built(problem):  # type: ignore[no-untyped-def]
    roster = construct(problem, SolverConfig(time_limit_seconds=10, workers=2, seed=1), 2.0)
    assert roster is not None
    return roster, check_assignments(problem, roster)


def test_each_officer_serves_what_the_officers_before_left_open() -> None:
    # Two officers, one early and one late officer needed every day, a cost for a second
    # officer on a shift: each officer on their own serves any day's open shift as well as the
    # other, so only demand the first one served, counted as served, sends the second to the
    # other shift on all seven days.
    soft = Enforcement.soft(100)
    problem = make_problem(
        [officer("amani"), officer("baraka")], templates=(EARLY, LATE), days=7,
        shift_cover=cover(EARLY, range(7), under=soft, over_weight=10)
        + cover(LATE, range(7), under=soft, over_weight=10))
    roster, report = _built(problem)
    assert report.objective == 0
    assert len(roster) == 14


def test_interval_demand_is_served_through_whichever_shift_spans_it() -> None:
    # One officer needed from 06:00 to 22:00: the early and the late shift each span half of
    # it, and an interval served by the first officer's shift is served for the second too.
    def needs_one_all_day(_day, minute):  # type: ignore[no-untyped-def]
        return 1 if 6 * 60 <= minute < 22 * 60 else 0

    demand = interval_cover(OFFICE, None, START, 7, needs_one_all_day,
                            under=Enforcement.soft(10), over_weight=1)
    problem = make_problem([officer("amani"), officer("baraka")], templates=(EARLY, LATE),
                           days=7, interval_cover=demand)
    roster, report = _built(problem)
    assert report.objective == 0
    assert {shift for _, shift in roster} == {sid(t, d) for t in (EARLY, LATE) for d in range(7)}


def test_hard_demand_is_served_first_but_never_refuses_a_roster() -> None:
    # Two officers are needed early on Monday, hard, and there is one: the construction still
    # builds a roster (the search after it says what cannot be met), with Monday's early shift
    # staffed ahead of the soft demand on the late one.
    problem = make_problem(
        [officer("amani", max_consecutive_days=Limit(value=1))], templates=(EARLY, LATE),
        days=1, shift_cover=cover(EARLY, [0], required=2)
        + cover(LATE, [0], under=Enforcement.soft(1000)))
    roster, report = _built(problem)
    assert roster == {("amani", sid(EARLY, 0))}
    assert {v.rule for v in report.hard_violations} == {names.COVER_UNDER}


def test_a_later_pass_lets_an_officer_who_chose_first_make_room() -> None:
    # Amani chooses first and takes Monday, which she asked for; Baraka, on leave on Tuesday,
    # must still work one shift, so he doubles Monday and Tuesday goes uncovered. Planned
    # again with Baraka's Monday in place, Amani moves to Tuesday.
    one_shift = (MinutesWindow(first_day=day(0), last_day=day(1), max_minutes=Limit(value=480)),)
    at_least_one = (MinutesWindow(first_day=day(0), last_day=day(1),
                                  min_minutes=Limit(value=480)),)
    amani = officer("amani", working_time=one_shift)
    baraka = officer("baraka", working_time=at_least_one)
    problem = make_problem(
        [amani, baraka], days=2,
        shift_cover=cover(EARLY, range(2), under=Enforcement.soft(100), over_weight=10),
        requests=(ShiftRequest(officer_id="amani", day=day(0), kind="on"),),
        absences=(absence_for_days(baraka, day(1), day(1)),))
    one_pass = construct(problem, SolverConfig(workers=2, seed=1), 0.0)
    assert one_pass == {("amani", sid(EARLY, 0)), ("baraka", sid(EARLY, 0))}
    roster, report = _built(problem)
    assert roster == {("amani", sid(EARLY, 1)), ("baraka", sid(EARLY, 0))}
    assert report.feasible and report.objective == 1  # Amani's request, unmet



def _scarce_weekends(max_weekends: int = 1):  # type: ignore[no-untyped-def]
    """Two weeks; Amani and Baraka work two shifts a week and at most ``max_weekends``
    weekend(s); one officer is needed on each Friday (weight 110) and each weekend day (100)."""
    weekly = tuple(MinutesWindow(first_day=day(first), last_day=day(first + 6),
                                 min_minutes=Limit(value=960), max_minutes=Limit(value=960))
                   for first in (0, 7))
    staff = [officer(name, working_time=weekly, max_weekends=Limit(value=max_weekends))
             for name in ("amani", "baraka")]
    return make_problem(staff, days=14,
                        shift_cover=cover(EARLY, [4, 11], under=Enforcement.soft(110))
                        + cover(EARLY, [5, 6, 12, 13], under=Enforcement.soft(100)))


def test_where_weekends_are_scarce_the_first_pass_takes_them_whole(monkeypatch) -> None:
    # The four weekend days need both officers' whole allowance. Each officer's exact best
    # reply is a Friday and a weekend day in one week (210), which spends a weekend of the
    # allowance on one day: whoever comes second can then take one weekend whole, and a day
    # of the other goes short. Held to whole weekends, each takes a different one.
    problem = _scarce_weekends()
    assert construct_module.weekends_scarce(problem)
    config = SolverConfig(workers=2, seed=1)
    roster = construct(problem, config, 0.0)
    assert roster is not None
    report = check_assignments(problem, roster)
    assert report.feasible and report.objective == 0
    for name in ("amani", "baraka"):
        worked = {problem.day_index(problem.shift(shift).day) for o, shift in roster if o == name}
        assert worked & {5, 6, 12, 13} in ({5, 6}, {12, 13})
    monkeypatch.setattr(construct_module, "SCARCE_WEEKENDS_SHARE", 2.0)
    free = construct(problem, config, 0.0)
    assert free is not None
    assert check_assignments(problem, free).objective >= 100


def test_weekends_are_scarce_only_when_weekend_demand_takes_most_of_the_allowance() -> None:
    assert construct_module.weekends_scarce(_scarce_weekends(1))  # 4 days needed of 4
    assert not construct_module.weekends_scarce(_scarce_weekends(2))  # 4 of 8
    assert not construct_module.weekends_scarce(dataclasses.replace(
        _scarce_weekends(1), officers=tuple(
            dataclasses.replace(o, rules=dataclasses.replace(o.rules, max_weekends=None))
            for o in _scarce_weekends(1).officers)))  # no limit at all


def test_a_built_roster_of_alike_officers_is_handed_round_before_the_model_takes_it(monkeypatch):
    # The roster built officer by officer knows nothing of the model's order among alike
    # officers (heaviest first): built with the second of two alike officers on the one shift
    # needed, it is optimal, so nothing the search finds replaces it, and the model, fixed to
    # it for the polish, would refuse it unless it is handed round first.
    staff = [officer("amani"), officer("baraka")]
    demand = interval_cover(OFFICE, None, START, 1,
                            lambda d, minute: 1 if 6 * 60 <= minute < 14 * 60 else 0)
    problem = make_problem(staff, days=1, interval_cover=demand)
    monkeypatch.setattr(roster_solve, "INTERVAL_CONSTRUCT_MIN_VARIABLES", 1)
    monkeypatch.setattr(roster_solve, "construct",
                        lambda *args, **kwargs: {("baraka", sid(EARLY, 0))})
    solution = solve_checked(problem)
    assert solution.objective == 0
    assert {(a.officer_id, a.shift_id) for a in solution.assignments} == {("amani", sid(EARLY, 0))}


@pytest.mark.parametrize(("interval", "size", "windowed", "share"), [
    (False, 1_999, False, None),
    (False, 2_000, False, roster_solve.SMALL_CONSTRUCTION_SHARE),
    (False, 19_999, False, roster_solve.SMALL_CONSTRUCTION_SHARE),
    (False, 20_000, False, roster_solve.CONSTRUCTION_SHARE),
    (False, 300_000, True, roster_solve.WINDOWED_CONSTRUCTION_SHARE),
    (True, 3_999, False, None),
    (True, 4_000, False, roster_solve.INTERVAL_CONSTRUCTION_SHARE),
])
def test_which_parts_start_from_a_built_roster_and_with_what_share(interval, size, windowed,
                                                                   share):
    # Small parts CP-SAT starts itself; the year-long searched by windows give it most.
    part = SimpleNamespace(problem=SimpleNamespace(interval_cover=(1,) if interval else ()),
                           size=size)
    assert roster_solve._construction_share(part, windowed) == share


@pytest.mark.parametrize(("deterministic", "relaxation_from", "full_runs"), [
    (False, 1, 0),          # built, and bounded by the relaxation: straight to the search
    (True, 1, 1),           # deterministic runs have no relaxation: CP-SAT's run bounds it
    (False, 10_000, 1),     # too small for the relaxation: CP-SAT's run bounds it
])
def test_a_built_roster_the_relaxation_bounds_goes_straight_to_the_search(
        monkeypatch, deterministic, relaxation_from, full_runs):
    # On Rusumo's customs parts the first full run took a tenth of the share and came back
    # with the built roster and no bound; the relaxation's thread bounds those parts instead.
    staff = [officer("amani"), officer("baraka")]
    demand = interval_cover(OFFICE, None, START, 1,
                            lambda d, minute: 1 if 6 * 60 <= minute < 14 * 60 else 0)
    problem = make_problem(staff, days=1, interval_cover=demand)
    monkeypatch.setattr(roster_solve, "INTERVAL_CONSTRUCT_MIN_VARIABLES", 1)
    monkeypatch.setattr(roster_solve, "RELAXATION_MIN_VARIABLES", relaxation_from)
    monkeypatch.setattr(roster_solve, "construct",
                        lambda *args, **kwargs: {("amani", sid(EARLY, 0))})
    full: list[float] = []
    searched: list[float] = []
    monkeypatch.setattr(roster_solve, "_run_full", lambda part, seconds, *args: full.append(seconds))
    monkeypatch.setattr(roster_solve, "improve",
                        lambda part, seconds, *args, **kwargs: searched.append(seconds))
    part = roster_solve.Part(problem=problem, built=roster_solve.build_model(problem))
    config = SolverConfig(time_limit_seconds=10, workers=1, seed=1, deterministic=deterministic)
    roster_solve._optimise(part, 0.6, config, roster_solve._Progress([part], 0.0, None))
    assert len(full) == full_runs
    # The built roster is the part's roster either way, and the search starts from it.
    assert part.values is not None and part.values[("amani", sid(EARLY, 0))]
    assert part.objective == check_assignments(problem, frozenset({("amani", sid(EARLY, 0))})).objective
    assert searched
