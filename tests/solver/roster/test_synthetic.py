"""The synthetic Rusumo-shaped post used by benchmarks: shape, time zones, and a checked solve."""

from __future__ import annotations

from collections import Counter

from solver.config import SolverConfig
from solver.roster.checker import check
from solver.roster.solve import solve, split_problem
from solver.roster.synthetic import AGENCIES, rusumo_like


def test_the_post_has_the_shape_of_rusumo():
    problem = rusumo_like(seed=1)
    assert len(problem.agencies) == 20
    assert 180 <= len(problem.officers) <= 220
    assert problem.days == 28
    assert {o.zone for o in problem.officers} == {"Africa/Kigali", "Africa/Dar_es_Salaam"}
    lengths = Counter(t.length_minutes for t in problem.templates)
    assert lengths[480] and lengths[720]
    assert any(s.zone_side == "RW" and s.agency_id == "tra" for s in problem.shifts)
    assert {h.side for h in problem.holidays} == {"RW", "TZ"}
    assert len(split_problem(problem)) == 20


def test_a_small_post_solves_and_checks():
    problem = rusumo_like(seed=2, days=7, agencies=(AGENCIES[2], AGENCIES[10]))
    solution = solve(problem, SolverConfig(time_limit_seconds=10, workers=2))
    assert solution.has_roster
    report = check(problem, solution)
    assert report.hard_violations == ()
    assert report.objective == solution.objective
