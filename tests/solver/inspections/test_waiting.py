"""Waiting from arrival: every minute costs the class's weight, so urgent cargo goes first."""

from __future__ import annotations

from solver.inspections import names

from .builders import at, problem, request, site, solve_checked


def test_waiting_puts_perishables_before_regular_cargo() -> None:
    post = site()
    regular = request("R-REG", arrival=0.0)
    perishable = request("R-PER", arrival=0.25, priority="perishable")
    solution = solve_checked(problem(post, [regular, perishable]))
    assert solution.inspection("R-PER").first_start == at(0.25)  # type: ignore[union-attr]
    assert solution.inspection("R-REG").first_start == at(1.25)  # type: ignore[union-attr]
    waits = {v.subject: (v.amount, v.cost) for v in solution.violations if v.rule == names.WAITING}
    assert waits == {"R-REG": (75, 75)}


def test_waiting_counts_from_arrival_not_from_the_horizon() -> None:
    post = site()
    backlog = request("R1", arrival=-2.0)
    solution = solve_checked(problem(post, [backlog], horizon=(0.0, 24.0)))
    assert solution.inspections[0].waiting_minutes == 120
    assert solution.kpis.overall.arrival_to_start.mean == 120.0
