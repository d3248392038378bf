"""An agency a cargo category needs (plant health for produce) is open whenever customs
handles that category."""

from __future__ import annotations

from solver.hours import names
from solver.rules import HARD, Enforcement

from .builders import (
    flow,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

CUSTOMS_DAY = (window("08:00-16:00"),)


def produce(dependency: Enforcement | None):  # type: ignore[no-untyped-def]
    # No trucks: only the dependency rule, not waiting, can make plant health open.
    return flow("customs-BG", "plant-BG", ident="produce", waiting_cost=0,
                lead_office_id="customs-BG", dependency=dependency)


def test_hard_dependency_opens_plant_health_exactly_with_customs() -> None:
    customs = office("customs-BG", mandatory=CUSTOMS_DAY, officer_hour_cost=10)
    plant = office("plant-BG", officer_hour_cost=5)
    solution, report = solve_optimally(problem(customs, plant, flows=[produce(HARD)]))
    assert opened(solution, "plant-BG") == [span("08:00-16:00")]
    assert report.costs == {names.STAFF_HOURS: 80 + 40}


def test_without_the_rule_plant_health_stays_closed() -> None:
    customs = office("customs-BG", mandatory=CUSTOMS_DAY, officer_hour_cost=10)
    plant = office("plant-BG", officer_hour_cost=5)
    solution, report = solve_optimally(problem(customs, plant, flows=[produce(None)]))
    assert opened(solution, "plant-BG") == []
    assert report.objective == 80


def test_dependency_is_one_way_plant_health_may_open_without_customs() -> None:
    customs = office("customs-BG", officer_hour_cost=10)
    plant = office("plant-BG", mandatory=CUSTOMS_DAY, officer_hour_cost=5)
    solution, report = solve_optimally(problem(customs, plant, flows=[produce(HARD)]))
    assert opened(solution, "customs-BG") == []
    assert opened(solution, "plant-BG") == [span("08:00-16:00")]
    assert report.objective == 40


def test_hard_dependency_against_a_plant_health_closure_is_infeasible() -> None:
    customs = office("customs-BG", mandatory=CUSTOMS_DAY)
    plant = office("plant-BG", never_open=(window("12:00-14:00", label="staff training"),))
    solution = solve_infeasible(problem(customs, plant, flows=[produce(HARD)]))
    lines = named(solution.explanation, names.DEPENDENCY)
    assert lines and lines[0].subject == "Plant BG for produce TR->BG"
    assert "Customs BG" in lines[0].message


def test_soft_dependency_pays_per_hour_customs_handles_the_category_alone() -> None:
    customs = office("customs-BG", mandatory=CUSTOMS_DAY)
    plant = office("plant-BG", never_open=(window("12:00-14:00"),))
    solution, report = solve_optimally(problem(customs, plant, flows=[produce(Enforcement.soft(12))]))
    assert report.costs == {names.DEPENDENCY: 24}
    assert [cost.amount for cost in solution.costs] == [2]
