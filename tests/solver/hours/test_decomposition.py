"""Problems split into parts that no rule connects, solved one by one: the split loses nothing,
each part's windows pass the checker, and the objectives add up to the checker's."""

from __future__ import annotations

import dataclasses

import pytest
from ortools.sat.python import cp_model

from solver.hours import check, names, solve
from solver.hours.build import build_model
from solver.hours.decompose import parts
from solver.hours.penalties import OBJECTIVE_SCALE
from solver.hours.problem import AgencyCheck, CorrelationRule, HoursProblem, HoursSolution

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


def test_a_staff_hour_budget_is_shared_among_the_parts_and_held() -> None:
    unbudgeted, _ = solve_optimally(border_post())
    needed = _budget_used(border_post(), unbudgeted)
    post = border_post(staff_hours_budget=int(needed) + 40)
    split = parts(post)
    assert len(split) == 3 and not any(part.bound_adds_up for part in split)
    police_hours = 2 * 2 * post.plan_slots / 4
    deciding = [part.problem.staff_hours_budget for part in split if part.problem.staff_hours_budget is not None]
    assert len(deciding) == 2
    # Each part's budget counts the 24/7 police again; without them the shares add up to no
    # more than the budget.
    assert sum(budget - police_hours for budget in deciding) + police_hours <= post.staff_hours_budget
    solution, report = solve_and_check(post)
    assert solution.status == "feasible" and report.errors == ()
    assert _budget_used(post, solution) <= post.staff_hours_budget
    assert solution.objective == unbudgeted.objective
    # Optimal within each share need not be optimal for the whole budget: no bound is claimed.
    assert solution.best_bound is None and solution.gap is None


def test_a_share_too_small_for_its_part_sends_the_solver_back_to_the_whole_problem() -> None:
    unbudgeted, _ = solve_optimally(border_post())
    needed = _budget_used(border_post(), unbudgeted)
    # Exactly what the optimum uses: less than both parts' reference hours, so the shares go
    # in proportion and one is too small; the whole problem keeps the budget.
    post = border_post(staff_hours_budget=int(needed))
    solution, report = solve_optimally(post)
    assert report.errors == () and len(solution.parts) == 1
    assert _budget_used(post, solution) <= post.staff_hours_budget
    assert solution.objective == unbudgeted.objective


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
