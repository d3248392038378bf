"""Writing engine results into a draft plan: windows, staffing needs, shifts, runs, KPIs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    BorderPost,
    Office,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    ShiftTemplate,
    SolveRun,
    StaffingNeed,
    User,
)
from solver.config import SolverConfig, SolveStats, relative_gap
from solver.rules import Violation

_STATUS_ORDER = ("model_invalid", "infeasible", "unknown", "feasible", "optimal")


def next_version(session: Session, post: BorderPost) -> int:
    current = session.scalar(select(func.max(Plan.version)).where(Plan.post_id == post.id))
    return (current or 0) + 1


def new_plan(session: Session, post: BorderPost, *, kind: PlanKind, first_day, days: int, config: SolverConfig, user: User | None, parent: Plan | None = None, note: str = "") -> Plan:  # type: ignore[no-untyped-def]
    plan = Plan(
        post_id=post.id, version=next_version(session, post), kind=kind, status=PlanStatus.DRAFT,
        horizon_start=first_day, horizon_days=days, parent_id=parent.id if parent else None, note=note,
        seed=config.seed, time_limit_seconds=config.time_limit_seconds, workers=config.workers,
        solver_status="unknown", kpis={}, explanations=[], created_by_id=user.id if user else None,
    )
    session.add(plan)
    session.flush()
    return plan


def add_run(plan: Plan, stats: SolveStats, breakdown: Iterable[Violation]) -> SolveRun:
    run = SolveRun(
        engine=stats.engine, status=stats.status, objective=stats.objective, best_bound=stats.best_bound,
        gap=stats.gap, seed=stats.seed, time_limit_seconds=stats.time_limit_seconds, workers=stats.workers,
        wall_seconds=stats.wall_seconds,
        progress=[{"seconds": p.seconds, "objective": p.objective, "bound": p.bound} for p in stats.progress],
        breakdown=[v.as_dict() for v in breakdown],
    )
    plan.runs.append(run)
    return run


def summarise_runs(plan: Plan) -> None:
    """The plan's headline figures from its engines' runs: objectives and bounds add up.

    Each engine minimises its own cost, so the sum of bounds bounds the sum of objectives; the
    plan is only as proven as its least proven stage.
    """
    runs = plan.runs
    if not runs:
        return
    plan.solver_status = min((r.status for r in runs), key=lambda s: _STATUS_ORDER.index(s) if s in _STATUS_ORDER else 0)
    if all(r.objective is not None for r in runs):
        plan.objective = sum(r.objective for r in runs)  # type: ignore[misc]
        plan.best_bound = sum(r.best_bound for r in runs if r.best_bound is not None)
        plan.gap = relative_gap(plan.objective, plan.best_bound)
    plan.wall_seconds = round(sum(r.wall_seconds for r in runs), 3)


def add_windows(session: Session, plan: Plan, post: BorderPost, windows: Iterable[tuple[str, datetime, datetime, bool]]) -> None:
    offices = {office.code: office.id for office in post.offices}
    session.add_all(
        PlannedWindow(plan_id=plan.id, office_id=offices[code], start_at=start, end_at=end, out_of_hours=out)
        for code, start, end, out in windows
    )


def add_needs(session: Session, plan: Plan, post: BorderPost, needs: Iterable[tuple[str, str | None, datetime, datetime, int, int]]) -> None:
    offices = {office.code: office.id for office in post.offices}
    skills = {skill.code: skill.id for skill in post.skills}
    session.add_all(
        StaffingNeed(plan_id=plan.id, office_id=offices[office], skill_id=skills.get(skill) if skill else None, start_at=start, end_at=end, required=required, staffed=staffed)
        for office, skill, start, end, required, staffed in needs
    )


def add_shifts(session: Session, plan: Plan, post: BorderPost, shifts: Iterable[tuple[str, str, str, object, datetime, datetime]]) -> int:
    """Rows of (officer code, template code, office code, local day, start, end)."""
    officers = dict(session.execute(select(Officer.code, Officer.id).where(Officer.post_id == post.id)).all())
    templates = dict(session.execute(select(ShiftTemplate.code, ShiftTemplate.id).where(ShiftTemplate.post_id == post.id)).all())
    offices = dict(session.execute(select(Office.code, Office.id).where(Office.post_id == post.id)).all())
    rows = [
        PlannedShift(plan_id=plan.id, officer_id=officers[officer], template_id=templates[template], office_id=offices[office], day=day, start_at=start, end_at=end)
        for officer, template, office, day, start, end in shifts
    ]
    session.add_all(rows)
    return len(rows)


__all__ = ["add_needs", "add_run", "add_shifts", "add_windows", "new_plan", "next_version", "summarise_runs"]
