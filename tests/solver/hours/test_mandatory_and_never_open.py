"""Mandatory windows (a 24/7 customs post) and windows an office never opens (a day-only lab)."""

from __future__ import annotations

from solver.hours import names
from solver.rules import Enforcement

from .builders import (
    arrivals,
    costs_of,
    flow,
    local,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)


def test_a_paid_office_opens_exactly_its_mandatory_window() -> None:
    # Staff hours cost, so anything beyond the mandatory window would be waste.
    customs = office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-12:00"),))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-12:00")]
    assert solution.objective == 40
    assert report.costs == {names.STAFF_HOURS: 40}


def test_always_open_covers_every_slot_of_the_plan() -> None:
    customs = office("customs-BG", always_open=True, officer_hour_cost=1)
    post = problem(customs, days=2)
    solution, report = solve_optimally(post)
    assert opened(solution, "customs-BG") == [(post.grid_start, post.plan_end)]
    assert report.kpis.office_hours == 48


def test_mandatory_and_never_open_in_conflict_is_infeasible_and_names_both() -> None:
    lab = office(
        "lab-BG",
        mandatory=(window("08:00-12:00", label="sampling round"),),
        never_open=(window("10:00-14:00", label="equipment calibration"),),
    )
    solution = solve_infeasible(problem(lab))
    mandatory = named(solution.explanation, names.MANDATORY)
    never = named(solution.explanation, names.NEVER_OPEN)
    assert mandatory and never
    assert all(line.subject == "Lab BG" for line in mandatory + never)
    assert "sampling round" in mandatory[0].message
    assert "equipment calibration" in never[0].message


def test_soft_mandatory_pays_its_weight_per_hour_closed() -> None:
    # The hard never-open window wins; the two hours of the mandatory window inside it are paid.
    lab = office(
        "lab-BG",
        mandatory=(window("08:00-12:00"),),
        mandatory_rule=Enforcement.soft(50),
        never_open=(window("10:00-14:00"),),
        officer_hour_cost=1,
    )
    solution, report = solve_optimally(problem(lab))
    assert opened(solution, "lab-BG") == [span("08:00-10:00")]
    assert costs_of(solution, names.MANDATORY) == 100
    assert report.costs == {names.MANDATORY: 100, names.STAFF_HOURS: 2}
    assert [cost.amount for cost in solution.costs if cost.rule == names.MANDATORY] == [2]


def test_soft_never_open_pays_its_weight_per_hour_open() -> None:
    lab = office(
        "lab-BG",
        mandatory=(window("08:00-16:00"),),
        never_open=(window("12:00-14:00"),),
        never_open_rule=Enforcement.soft(30),
        officer_hour_cost=1,
    )
    solution, report = solve_optimally(problem(lab))
    assert opened(solution, "lab-BG") == [(local("08:00"), local("16:00"))]
    assert report.costs == {names.NEVER_OPEN: 60, names.STAFF_HOURS: 8}


def test_a_cheap_soft_mandatory_window_is_skipped_when_opening_costs_more() -> None:
    # 5 per hour closed is cheaper than 10 per staff hour open: the plan leaves it closed.
    customs = office(
        "customs-BG",
        mandatory=(window("08:00-12:00"),),
        mandatory_rule=Enforcement.soft(5),
        officer_hour_cost=10,
    )
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == []
    assert report.costs == {names.MANDATORY: 20}


def test_never_open_keeps_a_day_lab_closed_at_night_even_when_traffic_waits() -> None:
    lab = office(
        "lab-BG",
        never_open=(window("20:00-06:00", label="night"),),
        officer_hour_cost=1,
    )
    night_trucks = flow("lab-BG", arriving=arrivals(local("22:00"), [1, 1, 1, 1]), waiting_cost=100)
    solution, _ = solve_optimally(problem(lab, flows=[night_trucks]))
    for start, end in opened(solution, "lab-BG"):
        assert end <= local("20:00") or start >= local("06:00", day=1)
