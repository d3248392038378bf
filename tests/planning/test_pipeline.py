"""The planning pipeline on a small synthetic post: hours, staffing demand and roster, stored
as one draft plan whose figures make the solve reproducible."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.db import session_scope
from app.services.errors import InvalidInput
from app.services.planning.hours_input import opening_step
from app.services.planning.pipeline import run_pipeline
from models import (
    HoursOverride,
    Office,
    Plan,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    StaffingNeed,
)
from solver.config import SolverConfig
from tests.web.builders import load_post

CONFIG = SolverConfig(time_limit_seconds=10, workers=2, seed=7)


def test_a_week_is_planned_into_one_draft_with_windows_needs_shifts_and_solver_figures(app) -> None:  # type: ignore[no-untyped-def]
    start = date(2026, 3, 23)  # the week of the EU clock change (Sunday 29 March)
    stages: list[str] = []
    plans_while_solving: list[int] = []
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", start)

        def progress(stage: str, point) -> None:  # type: ignore[no-untyped-def]
            stages.append(stage)
            plans_while_solving.append(session.scalar(select(func.count()).select_from(Plan)))

        plan = run_pipeline(session, post, start, 1, CONFIG, now=datetime(2026, 3, 1, tzinfo=UTC), on_progress=progress)
        session.commit()
        plan_id = plan.id
    assert {"hours", "roster"} <= set(stages)
    # Nothing is written while the engines search: a SQLite database stays free for progress.
    assert set(plans_while_solving) == {0}
    with app.app_context(), session_scope() as session:
        plan = session.get(Plan, plan_id)
        assert plan.status == PlanStatus.DRAFT and plan.horizon_days == 7 and plan.version == 1
        assert (plan.seed, plan.time_limit_seconds, plan.workers) == (7, 10, 2)
        assert plan.solver_status in ("optimal", "feasible")
        assert plan.objective is not None and plan.best_bound is not None and plan.best_bound <= plan.objective + 1e-6
        assert {run.engine for run in plan.runs} == {"hours", "roster"}
        for run in plan.runs:
            assert run.seed == 7 and run.workers == 2 and run.status in ("optimal", "feasible")
        for model in (PlannedWindow, StaffingNeed, PlannedShift):
            assert session.scalar(select(func.count()).select_from(model).where(model.plan_id == plan_id)) > 0
        assert plan.kpis["hours"] and plan.kpis["roster"]


def test_a_horizon_outside_one_to_twelve_weeks_is_refused_naming_the_field(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", date(2026, 3, 23))
        with pytest.raises(InvalidInput) as refused:
            run_pipeline(session, post, date(2026, 3, 23), 13, CONFIG, now=datetime(2026, 3, 1, tzinfo=UTC))
        assert refused.value.problems[0].field == "weeks"
        assert session.scalar(select(func.count()).select_from(Plan)) == 0


def test_offices_open_on_the_coarsest_step_their_configured_times_allow(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", date(2026, 3, 23))
        office = session.scalars(select(Office).where(Office.post_id == post.id, Office.always_open.is_(False))).first()
        assert office is not None
        for row in office.weekly_hours:
            row.start_minute, row.end_minute = 8 * 60, 16 * 60
        for row in office.windows:
            row.start_minute, row.end_minute = 9 * 60, 10 * 60
        assert opening_step(office, []) == 60
        ramadan = HoursOverride(
            post_id=post.id, office_id=office.id, name="Ramadan", valid_from=date(2026, 2, 18),
            valid_to=date(2026, 3, 19), weekdays=[0, 1, 2, 3, 4], windows=[[8 * 60, 14 * 60 + 30]],
        )
        assert opening_step(office, [ramadan]) == 30
        office.weekly_hours[0].end_minute = 16 * 60 + 45
        assert opening_step(office, []) == 15
