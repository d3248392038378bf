"""Running the engines in order and storing what they decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import audit
from app.services.errors import InputProblem, InvalidInput
from app.services.planning import store
from app.services.planning.hours_input import build_hours_problem, neighbour_closures
from app.services.planning.roster_input import (
    StaffNeed,
    build_roster_problem,
    template_code_and_office,
)
from models import BorderPost, Plan, PlanKind, PlanStatus, User
from solver import hours as hours_engine
from solver import roster as roster_engine
from solver.config import ProgressPoint, SolverConfig, SolveStats
from solver.hours.names import NOTICE
from solver.rules import Violation
from solver.staffing import staffing_demand

MAX_WEEKS = 12
PipelineProgress = Callable[[str, ProgressPoint], None]


class EngineFault(RuntimeError):
    """An engine returned a plan its own independent checker refuses: a bug, never stored."""


def run_pipeline(
    session: Session,
    post: BorderPost,
    first_day: date,
    weeks: int,
    config: SolverConfig,
    *,
    now: datetime,
    user: User | None = None,
    on_progress: PipelineProgress | None = None,
) -> Plan:
    """Plan ``weeks`` weeks from ``first_day`` and store the result as a draft plan.

    ``config.time_limit_seconds`` is each engine's budget. An infeasible stage stores a plan
    whose status says so and whose explanations name the conflicting rules.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput([InputProblem("weeks", f"{weeks} is not a horizon Juxta plans", f"choose 1 to {MAX_WEEKS} weeks")])
    days = weeks * 7
    report = on_progress or (lambda stage, point: None)
    # Both engines run before anything is written: a write transaction held through minutes
    # of search would lock a SQLite database against the job's progress and heartbeat.
    hours_problem = build_hours_problem(session, post, first_day, days, now=now, neighbour_closures=neighbour_closures(session, post, first_day, days))
    hours = hours_engine.solve(hours_problem, config, lambda point: report("hours", point))
    _report_final(report, "hours", hours.stats)
    if not hours.windows:
        plan = store.new_plan(session, post, kind=PlanKind.PIPELINE, first_day=first_day, days=days, config=config, user=user)
        store.add_run(plan, hours.stats, hours.costs)
        return _infeasible(session, plan, post, hours.explanation, "hours", user)
    _require_clean("hours", hours_engine.check(hours_problem, hours).errors)

    needs, roster_problem = roster_problem_after_hours(session, post, first_day, days, hours_problem, hours)
    roster = roster_engine.solve(roster_problem, config, lambda point: report("roster", point))
    _report_final(report, "roster", roster.stats)

    plan = store.new_plan(session, post, kind=PlanKind.PIPELINE, first_day=first_day, days=days, config=config, user=user)
    store.add_run(plan, hours.stats, hours.costs)
    store.add_windows(session, plan, post, _windows_with_regular_flag(hours_problem, hours))
    store.add_run(plan, roster.stats, roster.costs)
    if not roster.has_roster:
        return _infeasible(session, plan, post, roster.explanation, "roster", user)
    _require_clean("roster", roster_engine.check(roster_problem, roster).errors)

    shifts = {shift.id: shift for shift in roster_problem.shifts}
    rows = []
    for assignment in roster.assignments:
        shift = shifts[assignment.shift_id]
        template, office = template_code_and_office(shift.template_id)
        rows.append((assignment.officer_id, template, office, shift.day, shift.start, shift.end))
    store.add_shifts(session, plan, post, rows)
    store.add_needs(session, plan, post, _staffed(needs, roster_problem, roster))
    store.summarise_runs(plan)
    plan.kpis = {
        "hours": hours.kpis.as_dict() if hours.kpis else {},
        "changes": [change.as_dict() for change in hours.changes],
        "roster": _roster_kpis(roster_problem, roster, needs),
    }
    # A feasible plan's warnings: changes made inside the notice period (allowed only because
    # the post penalises rather than forbids them).
    plan.explanations = [
        {"rule": NOTICE, "subject": change.office_id, "message": change.message, "day": None, "amount": change.notice_hours, "cost": 0}
        for change in hours.changes
        if change.within_notice
    ]
    audit.record(session, user, "plan_created", "plan", plan.id, post_id=post.id, version=plan.version, status=plan.solver_status)
    session.flush()
    return plan


def roster_problem_after_hours(
    session: Session,
    post: BorderPost,
    first_day: date,
    days: int,
    hours_problem: hours_engine.HoursProblem,
    hours: hours_engine.HoursSolution,
) -> tuple[list[StaffNeed], roster_engine.RosterProblem]:
    """The staffing the planned hours need, and the roster problem that covers it."""
    needs = [
        StaffNeed(office_code=need.office_id, skill=need.skill, start=need.start, end=need.end, required=need.required)
        for need in staffing_demand(hours_problem, hours.windows)
    ]
    published = _published_plan(session, post)
    return needs, build_roster_problem(session, post, first_day, days, needs, published=published)


def _report_final(report: PipelineProgress, stage: str, stats: SolveStats) -> None:
    """Each stage ends with its final objective and bound, also when the engine proved its
    plan before any solution callback fired (small posts solve in presolve)."""
    if stats.objective is not None:
        report(stage, ProgressPoint(seconds=stats.wall_seconds, objective=stats.objective, bound=stats.best_bound if stats.best_bound is not None else stats.objective))


def _require_clean(engine: str, errors: tuple[str, ...] | list[str]) -> None:
    if errors:
        raise EngineFault(f"the {engine} engine's plan breaks hard rules: " + "; ".join(errors[:5]))


def _infeasible(session: Session, plan: Plan, post: BorderPost, explanation: tuple[Violation, ...], stage: str, user: User | None) -> Plan:
    store.summarise_runs(plan)
    plan.status = PlanStatus.INFEASIBLE
    plan.explanations = [v.as_dict() for v in explanation] or [
        {"rule": stage, "subject": post.name, "message": f"The {stage} engine found no plan within its time limit; give it more time or relax a rule.", "day": None, "amount": 0, "cost": 0}
    ]
    audit.record(session, user, "plan_infeasible", "plan", plan.id, post_id=post.id, version=plan.version, stage=stage)
    session.flush()
    return plan


def _published_plan(session: Session, post: BorderPost) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.post_id == post.id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1))


def _windows_with_regular_flag(problem: hours_engine.HoursProblem, solution: hours_engine.HoursSolution) -> list[tuple[str, datetime, datetime, bool]]:
    """Each window split where it leaves or re-enters the office's regular hours (RKC 3.2)."""
    result = []
    for window in solution.windows:
        if window.start >= problem.plan_end:
            continue
        end = min(window.end, problem.plan_end)
        cuts = {window.start, end}
        regular = problem.regular_windows[window.office_id]
        for r in regular:
            for instant in (r.start, r.end):
                if window.start < instant < end:
                    cuts.add(instant)
        points = sorted(cuts)
        for start, stop in zip(points, points[1:], strict=False):
            inside = any(r.start <= start and stop <= r.end for r in regular)
            result.append((window.office_id, start, stop, not inside))
    return _merge_adjacent(result)


def _merge_adjacent(parts: list[tuple[str, datetime, datetime, bool]]) -> list[tuple[str, datetime, datetime, bool]]:
    merged: list[tuple[str, datetime, datetime, bool]] = []
    for part in parts:
        if merged and merged[-1][0] == part[0] and merged[-1][2] == part[1] and merged[-1][3] == part[3]:
            merged[-1] = (part[0], merged[-1][1], part[2], part[3])
        else:
            merged.append(part)
    return merged


def _staffed(needs: list[StaffNeed], problem: roster_engine.RosterProblem, solution: roster_engine.RosterSolution) -> list[tuple[str, str | None, datetime, datetime, int, int]]:
    """Each need with the officers the roster puts there (with the skill, for the whole interval)."""
    officers = {officer.id: officer for officer in problem.officers}
    shifts = {shift.id: shift for shift in problem.shifts}
    on_duty: dict[str, list[tuple[datetime, datetime, frozenset[str]]]] = {}
    for assignment in solution.assignments:
        shift = shifts[assignment.shift_id]
        on_duty.setdefault(shift.office_id, []).append((shift.start, shift.end, officers[assignment.officer_id].skills))
    rows = []
    for need in needs:
        staffed = sum(
            1 for start, end, skills in on_duty.get(need.office_code, ())
            if start <= need.start and need.end <= end and (need.skill is None or need.skill in skills)
        )
        rows.append((need.office_code, need.skill, need.start, need.end, need.required, staffed))
    return rows


def _roster_kpis(problem: roster_engine.RosterProblem, solution: roster_engine.RosterSolution, needs: list[StaffNeed]) -> dict[str, object]:
    shifts = {shift.id: shift for shift in problem.shifts}
    minutes = sum(shifts[a.shift_id].minutes for a in solution.assignments)
    staffed = _staffed(needs, problem, solution)
    short = sum(max(0, required - got) for *_, required, got in staffed)
    demanded = sum(required for *_, required, _got in staffed)
    return {
        "shifts": len(solution.assignments),
        "staff_hours": round(minutes / 60, 1),
        "officer_intervals_needed": demanded,
        "officer_intervals_short": short,
        "cover_share": round(1 - short / demanded, 4) if demanded else 1.0,
        "cost_by_rule": solution.cost_by_rule(),
    }

