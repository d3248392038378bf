"""The roster built officer by officer, the start of very large parts: every officer's own
hard rules hold by construction, and the part keeps it when the search finds nothing better."""

from __future__ import annotations

import importlib

import pytest

from solver.config import SolverConfig
from solver.roster.checker import check_assignments
from solver.roster.construct import construct
from solver.roster.problem import Limit, MinutesWindow
from solver.rules import Enforcement

from .conftest import EARLY, LATE, cover, day, make_problem, officer, solve_checked

roster_solve = importlib.import_module("solver.roster.solve")


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
