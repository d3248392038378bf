"""The independent checker catches hand-made broken plans and costs soft rules exactly; the
solver's fallback plan, when its search finds nothing in time, is costed by it."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

from solver.config import SolverConfig, SolveStats
from solver.cpsat import CpSatRun
from solver.hours import check, evaluate, names, solve
from solver.hours.baseline import aligned_reference, regular_hours_plan
from solver.hours.present import windows_from_states
from solver.hours.problem import (
    BlockRules,
    CorrelationRule,
    HoursSolution,
    OpeningWindow,
    StaffingCapacity,
)
from solver.rules import Enforcement

from .builders import (
    TR_ZONE,
    arrivals,
    config,
    flow,
    local,
    office,
    opened,
    pair,
    plan,
    problem,
    solve_and_check,
    span,
    window,
)

# ``solver.hours.solve`` as an attribute is the function the package exports, not the module.
hours_solve = importlib.import_module("solver.hours.solve")


def errors_of(post, windows) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return evaluate(post, windows).errors


def test_a_closed_mandatory_window_is_an_error() -> None:
    post = problem(office("customs-BG", mandatory=(window("08:00-12:00", label="24/7 lane"),)))
    assert errors_of(post, plan(("customs-BG", span("08:00-12:00")))) == ()
    assert errors_of(post, plan(("customs-BG", span("08:00-11:00")))) == (
        f"{names.MANDATORY}: Customs BG is closed 1 h of 24/7 lane",
    )


def test_an_open_never_open_window_is_an_error() -> None:
    post = problem(office("lab-BG", never_open=(window("20:00-06:00", label="night"),)))
    assert errors_of(post, plan(("lab-BG", span("08:00-16:00")))) == ()
    assert errors_of(post, plan(("lab-BG", span("16:00-21:30")))) == (
        f"{names.NEVER_OPEN}: Lab BG is open 1.5 h in night",
    )


def test_mismatched_joint_control_windows_are_an_error() -> None:
    post = problem(*pair(office("customs-BG"), office("customs-TR", "TR"), joint_controls=True))
    same = span("08:00-16:00")
    assert errors_of(post, plan(("customs-BG", same), ("customs-TR", same))) == ()
    # The same clock times on both sides are an hour apart in real time.
    assert errors_of(post, plan(("customs-BG", span("08:00-16:00")),
                                ("customs-TR", span("08:00-16:00", TR_ZONE)))) == (
        f"{names.JOINT_CONTROLS}: Customs BG and Customs TR are open apart 2 h",
    )


def test_soft_rules_are_costed_to_the_fraction() -> None:
    post = problem(office("customs-BG", mandatory=(window("08:00-12:00"),),
                          mandatory_rule=Enforcement.soft(7), officer_hour_cost=3, crew=3))
    report = evaluate(post, plan(("customs-BG", span("08:15-12:00"))))
    assert report.errors == ()
    assert report.costs == {names.MANDATORY: 1.75, names.STAFF_HOURS: 33.75}
    assert report.objective == 35.5


def test_block_rules_are_checked() -> None:
    post = problem(office("customs-BG", blocks=BlockRules(max_blocks_per_day=1)))
    errors = errors_of(post, plan(("customs-BG", span("08:00-09:00")),
                                  ("customs-BG", span("09:30-12:00")),
                                  ("customs-BG", span("14:00-16:00"))))
    assert [error.split(":")[0] for error in errors] == [names.MAX_BLOCKS, names.MIN_BLOCK, names.MIN_FRAGMENT]


def test_staffing_and_the_budget_are_checked() -> None:
    post = problem(office("customs-BG", crew=2, staffing=StaffingCapacity(max_open_minutes_per_day=240)),
                   staff_hours_budget=8)
    errors = errors_of(post, plan(("customs-BG", span("08:00-13:00"))))
    assert [error.split(":")[0] for error in errors] == [names.STAFFING_DAY, names.STAFF_BUDGET]


def test_malformed_windows_are_errors() -> None:
    post = problem(office("customs-BG"))
    off_grid = OpeningWindow(office_id="customs-BG", start=local("08:05"), end=local("10:00"))
    outside = OpeningWindow(office_id="customs-BG", start=post.plan_end, end=post.plan_end + timedelta(hours=2))
    unknown = OpeningWindow(office_id="nobody", start=local("08:00"), end=local("10:00"))
    overlapping = plan(("customs-BG", span("08:00-12:00")), ("customs-BG", span("11:00-14:00")))
    assert any("off the 15-minute grid" in e for e in errors_of(post, (off_grid,)))
    assert any("lies outside the plan" in e for e in errors_of(post, (outside,)))
    assert any("unknown office 'nobody'" in e for e in errors_of(post, (unknown,)))
    assert any("windows overlap" in e for e in errors_of(post, overlapping))


def test_a_solver_waiting_figure_that_differs_from_the_replay_is_an_error() -> None:
    customs = office("customs-BG")
    trucks = flow("customs-BG", arriving=arrivals(local("07:00"), [1]))
    post = problem(customs, flows=[trucks])
    solution, report = solve_and_check(post)
    tampered = HoursSolution(status=solution.status, stats=solution.stats, windows=solution.windows,
                             objective=solution.objective,
                             model_waiting_truck_hours={"general": 99.0})
    errors = check(post, tampered).errors
    assert len(errors) == 1 and errors[0].startswith(names.WAITING)


def test_the_uncoordinated_baseline_keeps_its_own_hours_and_breaks_joint_controls() -> None:
    post = problem(*pair(office("customs-BG"), office("customs-TR", "TR"), joint_controls=True))
    baseline = regular_hours_plan(post)
    assert opened(baseline, "customs-BG") == [span("08:00-16:00")]
    assert opened(baseline, "customs-TR") == [span("08:00-16:00", TR_ZONE)]
    assert [e.split(":")[0] for e in evaluate(post, baseline).errors] == [names.JOINT_CONTROLS]


def _search_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = hours_solve.run_cpsat

    def nothing(model, config: SolverConfig, *, engine: str, **kwargs):  # type: ignore[no-untyped-def]
        if engine != "hours":
            return real(model, config, engine=engine, **kwargs)
        stats = SolveStats(engine=engine, status="unknown", objective=None, best_bound=None,
                           seed=config.seed, time_limit_seconds=config.time_limit_seconds,
                           workers=config.workers, wall_seconds=config.time_limit_seconds)
        # A search that ran and stopped without a plan (a solver that has been called).
        stopped = cp_model.CpSolver()
        stopped.solve(cp_model.CpModel())
        return CpSatRun(solver=stopped, stats=stats)

    monkeypatch.setattr(hours_solve, "run_cpsat", nothing)


def test_when_the_search_finds_nothing_the_cheapest_aligned_reference_hours_are_costed_by_the_checker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _search_finds_nothing(monkeypatch)
    # Each keeps 08:00-16:00 on its own clock: widened, both open 05:00-14:00 UTC; narrowed to
    # the hours they share, 06:00-13:00 UTC, which costs less and keeps the joint controls.
    post = problem(*pair(office("customs-BG", officer_hour_cost=10),
                         office("customs-TR", "TR", officer_hour_cost=10), joint_controls=True))
    solution = solve(post, config())
    report = check(post, solution)
    assert solution.status == "feasible"
    assert report.errors == ()
    shared = [(span("08:00-16:00")[0], span("08:00-16:00", TR_ZONE)[1])]
    assert opened(solution, "customs-BG") == opened(solution, "customs-TR") == shared
    assert solution.objective == report.objective == 2 * 7 * 10
    assert {cost.rule: cost.cost for cost in solution.costs} == {names.STAFF_HOURS: 140}


def test_when_the_offices_own_hours_are_far_too_short_the_fallback_is_the_longest_legal_hours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _search_finds_nothing(monkeypatch)
    # Trucks arrive 06:00-22:00 as fast as plant health clears them: kept to its own 08:00-16:00
    # the queue never clears; open every hour it may (never at night), nobody waits.
    night = (window("00:00-06:00", label="night"), window("22:00-24:00", label="night"))
    post = problem(
        office("phyto-BG", officer_hour_cost=10, never_open=night),
        flows=[flow("phyto-BG", arriving=arrivals(local("06:00"), [5.0] * 64), throughput=20,
                    waiting_cost=40)],
    )
    solution = solve(post, config())
    report = check(post, solution)
    assert report.errors == ()
    assert opened(solution, "phyto-BG") == [span("06:00-22:00")]
    assert solution.objective == report.objective == 16 * 10
    assert evaluate(post, regular_hours_plan(post)).objective > 100 * solution.objective


def test_narrowed_hours_close_both_counterparts_wherever_either_must_close() -> None:
    # Bound to overlap every day, the Bulgarian desk may not open at night: the longest hours
    # both can keep are the Bulgarian desk's, on both sides. (The grid starts at Istanbul's
    # midnight, in the last hour of the Bulgarian desk's previous night.)
    night = tuple(window(text, day=day, label="night")
                  for text, day in (("22:00-24:00", -1), ("00:00-06:00", 0), ("22:00-24:00", 0)))
    overlap = CorrelationRule(min_overlap_minutes=180)
    post = problem(*pair(office("food-BG", never_open=night), office("food-TR", "TR"), correlation=overlap))
    narrowed = aligned_reference(post, how="narrow", hours="longest")
    assert narrowed["food-BG"] == narrowed["food-TR"]
    assert opened(windows_from_states(post, narrowed), "food-TR") == [span("06:00-22:00")]
    assert evaluate(post, windows_from_states(post, narrowed)).errors == ()


def test_no_fallback_plan_when_the_reference_hours_break_a_hard_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _search_finds_nothing(monkeypatch)
    post = problem(office("customs-BG", staffing=StaffingCapacity(max_open_minutes_per_day=240)))
    solution = solve(post, config())
    assert solution.status == "unknown"
    assert solution.windows == () and solution.objective is None
