"""A post's staff-hour budget: set per week by the hours rule ``staff_budget``, scaled to the
horizon, kept by the plan, and refused with the field to fix when it is not a number."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.db import session_scope
from app.services.errors import InvalidInput
from app.services.planning.hours_input import build_hours_problem
from models import RuleSetting
from solver.config import SolverConfig
from solver.hours import check, solve
from solver.hours.baseline import legal_references
from tests.web.builders import load_post

NOW = datetime(2026, 3, 1, tzinfo=UTC)
START = date(2026, 3, 23)


def _budgeted(session, value: object, *, hard: bool = True, weight: int = 0):  # type: ignore[no-untyped-def]
    post = load_post(session, "alpha", START)
    session.add(RuleSetting(post_id=post.id, engine="hours", rule="staff_budget", hard=hard, weight=weight,
                            value={"officer_hours_per_week": value}))
    session.flush()
    session.refresh(post)
    return post


def test_a_weekly_budget_scales_with_the_horizon_and_the_plan_keeps_it(app) -> None:  # type: ignore[no-untyped-def]
    config = SolverConfig(time_limit_seconds=5, workers=2, seed=1)
    with app.app_context(), session_scope() as session:
        unbudgeted = build_hours_problem(session, load_post(session, "alpha", START), START, 14, now=NOW)
        free = solve(unbudgeted, config)
        assert free.kpis is not None
        # What the leanest aligned reference hours staff: a plan within it exists.
        leanest = min(report.kpis.staff_hours for _, report in legal_references(unbudgeted) if report.kpis)
        session.rollback()
    # The unbudgeted plan opens longer: the budget binds.
    assert free.kpis.staff_hours > leanest
    with app.app_context(), session_scope() as session:
        post = _budgeted(session, leanest / 2)
        problem = build_hours_problem(session, post, START, 14, now=NOW)
        assert problem.staff_hours_budget == int(leanest) and problem.staff_budget_rule.hard
        solution = solve(problem, config)
        report = check(problem, solution)
        assert solution.status in ("optimal", "feasible") and report.errors == ()
        assert solution.kpis is not None and solution.kpis.staff_hours <= problem.staff_hours_budget


def test_a_soft_budget_carries_its_weight(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        problem = build_hours_problem(session, _budgeted(session, 100, hard=False, weight=7), START, 7, now=NOW)
        assert problem.staff_hours_budget == 100
        assert not problem.staff_budget_rule.hard and problem.staff_budget_rule.weight == 7


@pytest.mark.parametrize("value", ["lots", -5, True])
def test_a_budget_that_is_not_a_number_of_hours_is_refused_naming_the_field(app, value: object) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = _budgeted(session, value)
        with pytest.raises(InvalidInput) as refused:
            build_hours_problem(session, post, START, 7, now=NOW)
        assert [p.field for p in refused.value.problems] == ["rules.hours.staff_budget.value.officer_hours_per_week"]
