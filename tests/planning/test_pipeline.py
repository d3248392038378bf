"""The planning pipeline on a small synthetic post: hours, staffing demand and roster, stored
as one draft plan whose figures make the solve reproducible."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select

from app.db import session_scope
from app.services.errors import InvalidInput
from app.services.planning.hours_input import opening_step
from app.services.planning.pipeline import run_pipeline
from app.services.planning.roster_input import build_roster_problem
from models import (
    HoursOverride,
    Leave,
    LeaveKind,
    Office,
    Officer,
    Plan,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    StaffingNeed,
)
from solver.config import SolverConfig
from solver.timeutil import local_day_bounds
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


def test_leave_that_ended_before_the_horizon_is_left_out_and_leave_across_it_is_clipped(app) -> None:  # type: ignore[no-untyped-def]
    # Leave that ended a few days before the first day once failed every plan of the post
    # ("an absence must end after it starts"): clipped to the day before, it ended first.
    start = date(2026, 12, 28)
    with app.app_context(), session_scope() as session:
        post = load_post(session, "alpha", start)
        officers = session.scalars(select(Officer).where(Officer.post_id == post.id).order_by(Officer.code)).all()
        session.execute(delete(Leave))
        earlier, across = officers[0], officers[1]
        session.add_all([
            Leave(officer=earlier, start_date=date(2026, 12, 20), end_date=date(2026, 12, 25), kind=LeaveKind.ANNUAL),
            Leave(officer=across, start_date=date(2026, 12, 20), end_date=date(2026, 12, 29), kind=LeaveKind.SICK),
        ])
        session.flush()
        problem = build_roster_problem(session, post, start, 7, [])
        absences = {a.officer_id: a for a in problem.absences}
        assert set(absences) == {across.code}
        zone = problem.officer(across.code).zone
        assert absences[across.code].start == local_day_bounds(date(2026, 12, 27), zone)[0]
        assert absences[across.code].end == local_day_bounds(date(2026, 12, 29), zone)[1]
        assert absences[across.code].reason == "sick"
