"""Consignments inspected: the plan maximises the value of what it inspects."""

from __future__ import annotations

from solver.inspections import names

from .builders import officer, problem, request, site, solve_checked


def test_inspected_the_more_valuable_consignment_gets_the_only_slot() -> None:
    post = site(officers=[officer("BG-CUS-1", "BG-CUS", [(0, 1)])])
    solution = solve_checked(
        problem(post, [request("R-REG"), request("R-PER", priority="perishable")])
    )
    assert [i.reference for i in solution.inspections] == ["R-PER"]
    assert [u.reference for u in solution.uninspected] == ["R-REG"]
    (forgone,) = [v for v in solution.violations if v.rule == names.INSPECTED]
    assert (forgone.subject, forgone.cost) == ("R-REG", 2000)
    assert solution.objective == 4000


def test_inspected_objective_is_value_minus_every_penalty() -> None:
    post = site()
    solution = solve_checked(problem(post, [request("R1"), request("R2", duration=30)]))
    assert len(solution.inspections) == 2
    assert solution.objective == 4000 - sum(v.cost for v in solution.violations)
    # In queue order R2 waits 60 min; overtaking, R1 waits 30 min and is overtaken by 30.
    assert solution.objective == 4000 - 60
