"""Problems split into parts that no rule connects, solved one by one: the split loses nothing,
each part's windows pass the checker, and the objectives add up to the checker's."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

from solver.hours import check, names, solve
from solver.hours.build import build_model
from solver.hours.decompose import parts
from solver.hours.penalties import OBJECTIVE_SCALE
from solver.hours.problem import (
    AgencyCheck,
    CorrelationRule,
    HoursProblem,
    HoursSolution,
    StaffingCapacity,
)
from solver.rules import Enforcement

from .builders import (
    TR_ZONE,
    arrivals,
    config,
    flow,
    local,
    named,
    office,
    opened,
    pair,
    problem,
    solve_and_check,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)


def border_post(**fields: object):  # type: ignore[no-untyped-def]
    """Police 24/7 on both sides (constant), customs with joint controls, plant health with
    correlated hours, and produce trucks that need customs and plant health."""
    police = [office(f"police-{side}", side, always_open=True, crew=2, officer_hour_cost=5)
              for side in ("BG", "TR")]
    customs = pair(
        office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-12:00"),)),
        office("customs-TR", "TR", officer_hour_cost=10, mandatory=(window("14:00-16:00", TR_ZONE),)),
        joint_controls=True,
    )
    plant = pair(
        office("plant-BG", officer_hour_cost=8, mandatory=(window("09:00-13:00"),)),
        office("plant-TR", "TR", officer_hour_cost=8),
        correlation=CorrelationRule(min_overlap_minutes=120),
    )
    general = flow("police-BG", "customs-BG", arriving=arrivals(local("13:00"), [2, 2, 2, 2]),
                   waiting_cost=30)
    return problem(*police, *customs, *plant, flows=[general], **fields)


def test_the_post_splits_into_its_rule_connected_groups_and_the_constant_offices() -> None:
    split = parts(border_post())
    assert [sorted(part.offices) for part in split] == [
        ["customs-BG", "customs-TR"], ["plant-BG", "plant-TR"], ["police-BG", "police-TR"],
    ]


def _whole_optimum(post: HoursProblem) -> float:
    """The optimum of the post as one CP-SAT model, no split."""
    built = build_model(post)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return solver.objective_value / OBJECTIVE_SCALE


def test_the_split_gives_the_optimum_of_the_whole() -> None:
    post = border_post()
    split, split_report = solve_optimally(post)
    assert len(split.parts) == 3
    assert split.objective == split_report.objective == _whole_optimum(post)
    assert split.best_bound == split.objective


def _budget_used(post: HoursProblem, solution: HoursSolution) -> float:
    return sum(
        next(o.crew for o in post.offices if o.id == w.office_id) * (w.end - w.start).total_seconds() / 3600
        for w in solution.windows
    )


def test_a_budget_the_unbudgeted_optimum_keeps_leaves_the_split_and_its_proof_whole() -> None:
    unbudgeted, _ = solve_optimally(border_post())
    post = border_post(staff_hours_budget=int(_budget_used(border_post(), unbudgeted)))
    solution, report = solve_optimally(post)
    assert report.errors == () and len(solution.parts) == 3
    assert _budget_used(post, solution) <= post.staff_hours_budget
    assert solution.objective == solution.best_bound == unbudgeted.objective


def two_checks_post(**fields: object):  # type: ignore[no-untyped-def]
    """Police 24/7 (constant) and two single-officer offices, each the only decider of one
    flow's queue: chemicals wait at 200 a truck-hour for the laboratory, produce at 20 for
    plant health. Both arrive at midday; both offices' own hours are an early hour too short
    to open (so their lean plan is closed)."""
    police = office("police-BG", always_open=True, crew=2, officer_hour_cost=5)
    lab = office("lab-BG", regular="08:00-09:00", officer_hour_cost=10)
    plant = office("plant-BG", regular="08:00-09:00", officer_hour_cost=10)
    chemicals = flow("police-BG", "lab-BG", ident="chemicals", waiting_cost=200,
                     arriving=arrivals(local("12:00"), [2] * 8))
    produce = flow("police-BG", "plant-BG", ident="produce", waiting_cost=20,
                   arriving=arrivals(local("12:00"), [2] * 8))
    return problem(police, lab, plant, flows=[chemicals, produce], **fields)


def test_a_budget_goes_first_where_an_officer_hour_saves_most() -> None:
    unbudgeted, _ = solve_optimally(two_checks_post())
    # The police's 48 officer-hours and one office's two hours at midday; not both.
    post = two_checks_post(staff_hours_budget=51)
    assert _budget_used(post, unbudgeted) == 52
    solution, report = solve_and_check(post)
    assert solution.status == "feasible" and report.errors == () and len(solution.parts) == 3
    assert _budget_used(post, solution) <= 51
    assert opened(solution, "lab-BG") == [span("12:00-14:00")]
    assert sum((end - start for start, end in opened(solution, "plant-BG")), timedelta()) <= timedelta(hours=1)
    # As good as the whole problem solved with the budget, and the unbudgeted optimum,
    # which the budget can only make dearer, is its bound.
    assert solution.objective == _whole_optimum(post)
    assert solution.best_bound == unbudgeted.objective


@pytest.mark.parametrize(("weight", "expected"), [(1, 280.0 + 1), (10_000, 3_540.0)])
def test_a_soft_budget_is_shared_unless_paying_for_the_overrun_costs_less(weight: int, expected: float) -> None:
    post = two_checks_post(staff_hours_budget=51, staff_budget_rule=Enforcement.soft(weight))
    solution, report = solve_and_check(post)
    assert len(solution.parts) == 3
    # One officer-hour over at 1 is cheaper than closing plant health at midday; at 10,000
    # it is not, and the plan keeps the budget as the hard one does.
    assert solution.objective == report.objective == expected
    assert (_budget_used(post, solution) > 51) == (weight == 1)


@pytest.mark.parametrize("budget", [48, 49, 50])
def test_a_shared_budget_is_held_and_bounded_by_the_whole_problem(budget: int) -> None:
    unbudgeted, _ = solve_optimally(two_checks_post())
    post = two_checks_post(staff_hours_budget=budget)
    solution, report = solve_and_check(post)
    assert solution.status == "feasible" and report.errors == ()
    assert _budget_used(post, solution) <= budget
    assert unbudgeted.objective <= _whole_optimum(post) <= solution.objective


def test_a_budget_below_the_lean_plans_is_left_to_the_whole_problem() -> None:
    unbudgeted, _ = solve_optimally(border_post())
    # Less than the optimum uses, and less than the parts' leanest reference hours together.
    post = border_post(staff_hours_budget=int(_budget_used(border_post(), unbudgeted)) - 4)
    solution, _ = solve_and_check(post)
    assert len(solution.parts) <= 1


@pytest.mark.parametrize("short_by", [4, 108])
def test_a_budget_no_plan_can_keep_is_explained_by_the_whole_problem(short_by: int) -> None:
    unbudgeted, _ = solve_optimally(border_post())
    post = border_post(staff_hours_budget=int(_budget_used(border_post(), unbudgeted)) - short_by)
    solution = solve_infeasible(post)
    assert named(solution.explanation, names.STAFF_BUDGET)


def test_each_part_solved_alone_adds_up_to_the_whole() -> None:
    post = border_post()
    solution, report = solve_optimally(post)
    total = 0.0
    for part in parts(post):
        alone = solve(part.problem, config())
        assert alone.status == "optimal"
        assert check(part.problem, alone).errors == ()
        total += alone.objective or 0.0
    assert total == solution.objective == report.objective


def test_the_constant_offices_costs_are_counted_once() -> None:
    post = border_post()
    solution, report = solve_optimally(post)
    police_staff = sum(c.cost for c in solution.costs
                       if c.rule == names.STAFF_HOURS and c.subject.startswith("Police"))
    # Two offices, a crew of two, 5 per officer-hour, over the whole plan (25 h: Istanbul's
    # day starts an hour before Sofia's).
    assert police_staff == 2 * 2 * 5 * 25
    assert report.kpis.office_hours >= 50


def test_a_constant_office_beyond_its_staffing_capacity_is_charged_once() -> None:
    # Open 24/7 by a hard rule, the police pay their soft daily staffing limit whatever the
    # plan; every part includes them, and only the constant part may charge it.
    stretched = StaffingCapacity(max_open_minutes_per_day=16 * 60, enforcement=Enforcement.soft(7))
    post = border_post()
    post = dataclasses.replace(post, offices=tuple(
        dataclasses.replace(o, staffing=stretched) if o.id.startswith("police") else o for o in post.offices
    ))
    solution, report = solve_optimally(post)
    assert len(solution.parts) == 3
    charged = [c for c in solution.costs if c.rule == names.STAFFING_DAY]
    assert charged and report.costs[names.STAFFING_DAY] == sum(c.cost for c in charged)
    assert solution.objective == report.objective == _whole_optimum(post)


def test_a_constant_office_shares_its_crew_as_in_the_whole_problem() -> None:
    # Customs (24/7, two officers) checks produce with plant health and livestock with the
    # veterinary office; the two flows fall into different parts, and each part's capacity
    # must use the crew share the whole problem gave it, or the checker's replay differs.
    customs = office("customs-BG", always_open=True, crew=2)
    plant = office("plant-BG", officer_hour_cost=10)
    vet = office("vet-BG", officer_hour_cost=10)

    def cargo(ident: str, partner: str, trucks: list[float]):  # type: ignore[no-untyped-def]
        base = flow("customs-BG", partner, ident=ident, waiting_cost=40,
                    arriving=arrivals(local("10:00"), trucks))
        return dataclasses.replace(base, checks=(
            AgencyCheck(office_id="customs-BG", document_minutes=10),
            AgencyCheck(office_id=partner, throughput_per_hour=100),
        ))

    post = problem(customs, plant, vet,
                   flows=[cargo("produce", "plant-BG", [3, 3, 3, 3]), cargo("livestock", "vet-BG", [1])])
    split = parts(post)
    assert len(split) == 3
    for part in split:
        for flow_id in part.problem.capacity_centi:
            assert part.problem.capacity_centi[flow_id] == post.capacity_centi[flow_id]
    # Produce gets the officers its 12 trucks keep busy plus every officer the average load
    # leaves free: the whole crew but what the one livestock truck takes, at 10 min a truck.
    livestock_busy = 1 * 10 / (post.plan_slots * 15)
    assert post.capacity_centi["produce"] == int((2 - livestock_busy) * 6 * 100 / 4)
    assert post.capacity_centi["livestock"] == int((2 - 12 * 10 / (post.plan_slots * 15)) * 6 * 100 / 4)
    solution, report = solve_optimally(post)
    assert set(solution.model_waiting_truck_hours) == {"produce", "livestock"}


def test_unlinked_offices_in_different_zones_keep_their_exact_windows() -> None:
    # Each part sees only its own zone; the plan still puts every window at its real time.
    bulgarian = office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-12:00"),))
    turkish = office("customs-TR", "TR", officer_hour_cost=10,
                     mandatory=(window("08:00-12:00", TR_ZONE),))
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert opened(solution, "customs-BG") == [span("08:00-12:00")]
    assert opened(solution, "customs-TR") == [span("08:00-12:00", TR_ZONE)]
    assert report.objective == 80


def test_a_constant_office_in_one_zone_and_deciding_offices_in_both() -> None:
    police = office("police-BG", always_open=True)
    bulgarian = office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-12:00"),))
    turkish = office("customs-TR", "TR", officer_hour_cost=10,
                     mandatory=(window("08:00-12:00", TR_ZONE),))
    post = problem(police, bulgarian, turkish)
    solution, report = solve_optimally(post)
    assert opened(solution, "customs-BG") == [span("08:00-12:00")]
    assert opened(solution, "customs-TR") == [span("08:00-12:00", TR_ZONE)]
    assert opened(solution, "police-BG") == [(post.grid_start, post.plan_end)]
