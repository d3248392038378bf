"""plan_batch as a whole: a busy day planned, checked, and a plan even when time runs out."""

from __future__ import annotations

from solver.config import SolverConfig
from solver.inspections import check, greedy_plan, plan_batch

from .builders import officer, problem, request, site, solve_checked


def _busy_day():  # type: ignore[no-untyped-def]
    officers = [officer(f"C{n}", "BG-CUS", [(0, 12)]) for n in range(2)]
    officers += [officer("T1", "TR-CUS", [(0, 12)]), officer("V1", "BG-VET", [(2, 10)])]
    agencies = [["BG-CUS"], ["BG-CUS", "TR-CUS"], ["BG-CUS", "BG-VET"]]
    priorities = ["regular", "perishable", "aeo", "regular", "regular"]
    requests = [
        request(
            f"R{n:02d}",
            agencies[n % 3],
            arrival=n * 0.3,
            duration=30 + 15 * (n % 4),
            priority=priorities[n % 5],
        )
        for n in range(24)
    ]
    return problem(site(officers=officers), requests, horizon=(0.0, 16.0))


def test_plan_batch_improves_on_the_greedy_plan_it_starts_from() -> None:
    instance = _busy_day()
    solution = solve_checked(instance, SolverConfig(time_limit_seconds=3, workers=1, seed=1))
    greedy = greedy_plan(instance)
    assert len(solution.inspections) >= len(greedy.inspections)
    assert solution.stats.progress, "the search reports its progress"


def test_plan_batch_returns_the_greedy_plan_when_time_runs_out_first() -> None:
    instance = _busy_day()
    # A deterministic budget too small for presolve: CP-SAT finds nothing in time.
    config = SolverConfig(time_limit_seconds=0.0001, workers=1, seed=1, deterministic=True)
    solution = plan_batch(instance, config)
    assert solution.status == "feasible"
    assert solution.stats.best_bound is None  # nothing proven: this is the greedy plan
    assert len(solution.inspections) == len(greedy_plan(instance).inspections)
    report = check(instance, solution)
    assert report.problems == ()
    assert report.objective == solution.objective
