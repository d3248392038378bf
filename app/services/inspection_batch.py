"""Batch plans of joint inspections: a day's or a week's pending requests planned together.

The requests pending at a post that arrive in the chosen local days are planned with the
engine's CP-SAT model (``solver.inspections.plan_batch``) against a staffing plan (the
published one unless another is named) and the bookings already confirmed, which the plan
respects as they are. The plan must pass the engine's independent checker, objective
included, before it is stored: a draft ``Plan`` of kind ``inspections`` whose parent is the
staffing plan, one ``PlannedInspection`` row per part (a sequential inspection has two), its
``SolveRun``, Time Release Study figures and the explanations of what it pays and why
consignments are left out or inspected one side after the other.

The same requests are also planned the way a post works without coordination (first come,
first served, each agency on its own); the KPIs record the factor by which the joint plan
shortens the mean time from arrival to release.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services import audit, jobs
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.inspection_site import (
    InspectionSite,
    confirmed_bookings,
    load_site,
    request_of,
    staffing_plan,
)
from app.services.planning.store import add_run, new_plan
from models import (
    BookingMode,
    BorderPost,
    InspectionRequest,
    Job,
    Plan,
    PlanKind,
    PlannedInspection,
    RequestStatus,
    User,
)
from solver import inspections as engine
from solver.config import ProgressCallback, SolverConfig
from solver.inspections import names
from solver.rules import Violation
from solver.timeutil import local_to_utc

MAX_DAYS = 14
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchSettings:
    """Which days to plan (local days, from ``first_day``), against which staffing plan
    (its version; None for the published one), and how long CP-SAT may search."""

    first_day: date
    days: int = 1
    staffing_version: int | None = None
    config: SolverConfig = SolverConfig()

    def problems(self) -> list[InputProblem]:
        found = []
        if not 1 <= self.days <= MAX_DAYS:
            found.append(
                InputProblem(
                    "days",
                    f"{self.days} is out of range",
                    f"plan between 1 and {MAX_DAYS} days at once",
                )
            )
        return found


@dataclass(frozen=True, slots=True)
class BatchProblem:
    """The engine's problem for a batch, and the requests that could not enter it."""

    problem: engine.InspectionProblem
    place: InspectionSite
    rows: Mapping[str, InspectionRequest]
    skipped: tuple[Violation, ...]


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    plan: Plan
    batch: BatchProblem
    solution: engine.BatchSolution
    baseline: engine.ListPlan
    report: engine.CheckReport


def horizon(post: BorderPost, first_day: date, days: int) -> tuple[datetime, datetime, datetime]:
    """Arrivals from the first local midnight of ``first_day`` on either side to the last local
    midnight ``days`` later, and inspections until a day after that (late arrivals still
    get inspected): (first instant, end of arrivals, end of inspections)."""
    zones = [side.timezone for side in post.sides]
    start = min(local_to_utc(first_day, 0, zone) for zone in zones)
    arrivals_end = max(local_to_utc(first_day + timedelta(days=days), 0, zone) for zone in zones)
    return start, arrivals_end, arrivals_end + timedelta(days=1)


def batch_problem(
    session: Session, post: BorderPost, first_day: date, days: int, *, staffing: Plan | None = None
) -> BatchProblem:
    """The pending requests arriving in the days as one problem, with the confirmed bookings
    of the horizon; a request the post cannot take is left out and said why."""
    start, arrivals_end, end = horizon(post, first_day, days)
    place = load_site(
        session, post, start - timedelta(days=1), end + timedelta(days=1), plan=staffing
    )
    rows = session.scalars(
        select(InspectionRequest)
        .where(
            InspectionRequest.post_id == post.id,
            InspectionRequest.status == RequestStatus.PENDING,
            InspectionRequest.expected_arrival >= start,
            InspectionRequest.expected_arrival < arrivals_end,
        )
        .options(selectinload(InspectionRequest.agencies), selectinload(InspectionRequest.category))
        .order_by(InspectionRequest.expected_arrival, InspectionRequest.reference)
    ).all()
    requests, skipped, kept = [], [], {}
    for row in rows:
        try:
            request = request_of(post, row)
        except InvalidInput as error:
            skipped.append(_skip(row.reference, error.problems))
            continue
        errors = place.site.request_errors(request)
        if errors:
            skipped.append(_skip(row.reference, errors))
            continue
        requests.append(request)
        kept[row.reference] = row
    problem = engine.InspectionProblem(
        site=place.site,
        requests=tuple(requests),
        bookings=confirmed_bookings(session, post, start, end),
        horizon_start=start,
        horizon_end=end,
    )
    return BatchProblem(problem=problem, place=place, rows=kept, skipped=tuple(skipped))


def _skip(reference: str, problems: Any) -> Violation:
    said = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return Violation(
        rule=names.INSPECTED,
        subject=reference,
        message=f"{reference} is left out of the plan: {said}",
    )


def _said(rule: str, reference: str, what: str, why: str) -> dict[str, Any]:
    return Violation(rule=rule, subject=reference, message=f"{reference} {what}: {why}").as_dict()


def plan_inspections(
    session: Session,
    post: BorderPost,
    settings: BatchSettings,
    *,
    user: User | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchOutcome:
    """Plan the batch, check it independently, store it as a draft plan (the caller commits)."""
    problems = settings.problems()
    if problems:
        raise InvalidInput(problems, "the batch cannot be planned")
    staffing = _staffing(session, post, settings.staffing_version)
    batch = batch_problem(session, post, settings.first_day, settings.days, staffing=staffing)
    solution = engine.plan_batch(batch.problem, settings.config, on_progress)
    report = engine.check(batch.problem, solution)
    if not report.ok or (solution.objective is not None and report.objective != solution.objective):
        # A plan the checker does not confirm is a defect of the engine, never a plan to show.
        said = "; ".join(v.message for v in report.problems[:5])
        raise RuntimeError(
            f"the batch plan failed the independent check (objective {solution.objective} vs {report.objective}): {said}"
        )
    baseline = engine.uncoordinated_plan(batch.problem)
    plan = _store(session, post, settings, staffing, batch, solution, baseline, user)
    audit.record(
        session,
        user,
        "inspections_planned",
        "plan",
        plan.id,
        post_id=post.id,
        version=plan.version,
        first_day=settings.first_day.isoformat(),
        days=settings.days,
        requests=len(batch.problem.requests),
        inspected=solution.kpis.inspected,
        status=solution.status,
    )
    return BatchOutcome(plan=plan, batch=batch, solution=solution, baseline=baseline, report=report)


def _staffing(session: Session, post: BorderPost, version: int | None) -> Plan | None:
    if version is None:
        found = staffing_plan(session, post)
        if found is None:
            raise InvalidInput(
                [
                    InputProblem(
                        "plan",
                        f"post {post.code} has no published plan with opening hours and a roster",
                        "publish a plan first, or name a plan version",
                    )
                ]
            )
        return found
    found = session.scalar(select(Plan).where(Plan.post_id == post.id, Plan.version == version))
    if found is None or found.kind == PlanKind.INSPECTIONS:
        raise NotFound(f"post {post.code} has no staffing plan v{version}")
    return found


def _store(
    session: Session,
    post: BorderPost,
    settings: BatchSettings,
    staffing: Plan | None,
    batch: BatchProblem,
    solution: engine.BatchSolution,
    baseline: engine.ListPlan,
    user: User | None,
) -> Plan:
    plan = new_plan(
        session,
        post,
        kind=PlanKind.INSPECTIONS,
        first_day=settings.first_day,
        days=settings.days,
        config=settings.config,
        user=user,
        parent=staffing,
        note=f"Joint inspections of {len(batch.problem.requests)} pending requests against plan v{staffing.version}"
        if staffing
        else "",
    )
    stats = solution.stats
    plan.solver_status, plan.objective, plan.best_bound, plan.gap, plan.wall_seconds = (
        stats.status,
        stats.objective,
        stats.best_bound,
        stats.gap,
        stats.wall_seconds,
    )
    add_run(plan, stats, solution.violations)
    plan.kpis = kpis(batch.problem, solution, baseline)
    plan.explanations = explanations(batch, solution)
    place = batch.place
    for inspection in solution.inspections:
        row = batch.rows[inspection.reference]
        mode = BookingMode.JOINT if inspection.mode == "joint" else BookingMode.SEQUENTIAL
        for part in inspection.parts:
            plan.inspections.append(
                PlannedInspection(
                    request_id=row.id,
                    resource_id=place.bay_ids[part.bay_id],
                    mode=mode,
                    start_at=part.start,
                    end_at=part.end,
                    officer_ids=[place.officer_ids[a.officer_id] for a in part.officers],
                    out_of_hours=bool(part.out_of_hours),
                )
            )
    session.flush()
    return plan


def kpis(
    problem: engine.InspectionProblem, solution: engine.BatchSolution, baseline: engine.ListPlan
) -> dict[str, Any]:
    """Headline figures first (the plan page lists them), then the full TRS breakdown."""
    report = solution.kpis
    overall = report.overall
    compared = comparison(problem, solution.inspections, baseline.inspections)
    figures: dict[str, Any] = {
        "requests": len(problem.requests),
        "inspected": report.inspected,
        "not_inspected": report.not_inspected,
        "joint": report.joint,
        "sequential": report.sequential,
        "out_of_hours": report.out_of_hours,
        "arrival_to_start_mean_minutes": overall.arrival_to_start.mean,
        "arrival_to_start_median_minutes": overall.arrival_to_start.median,
        "arrival_to_start_p90_minutes": overall.arrival_to_start.p90,
        "arrival_to_release_mean_minutes": overall.arrival_to_release.mean,
        "arrival_to_release_median_minutes": overall.arrival_to_release.median,
        "arrival_to_release_p90_minutes": overall.arrival_to_release.p90,
        "uncoordinated_arrival_to_release_mean_minutes": compared["uncoordinated_mean_minutes"],
        "joint_vs_uncoordinated_factor": compared["factor"],
    }
    figures.update({f"fees_{currency}": amount for currency, amount in report.fees.items()})
    figures["trs"] = {
        "overall": _stages(overall),
        "by_agency": {key: _stages(value) for key, value in report.by_agency.items()},
        "by_category": {key: _stages(value) for key, value in report.by_category.items()},
        "by_priority": {key: _stages(value) for key, value in report.by_priority.items()},
        "uncoordinated": {
            "compared": compared,
            "overall": _stages(baseline.kpis.overall),
            "inspected": baseline.kpis.inspected,
        },
    }
    return figures


def _stages(stages: engine.StageTimes) -> dict[str, Any]:
    def one(statistic: engine.Statistic) -> dict[str, Any]:
        return {
            "count": statistic.count,
            "mean": statistic.mean,
            "median": statistic.median,
            "p90": statistic.p90,
        }

    return {
        "arrival_to_start": one(stages.arrival_to_start),
        "arrival_to_release": one(stages.arrival_to_release),
    }


def comparison(
    problem: engine.InspectionProblem,
    joint: tuple[engine.PlannedInspection, ...],
    separate: tuple[engine.PlannedInspection, ...],
) -> dict[str, Any]:
    """Mean arrival to release of the two plans over the consignments both inspect, and the
    factor by which coordination shortens it (also for multi-agency consignments alone)."""
    requests = {request.reference: request for request in problem.requests}
    ours = {i.reference: i for i in joint}
    theirs = {i.reference: i for i in separate}
    common = sorted(ours.keys() & theirs.keys())

    def release(inspection: engine.PlannedInspection) -> float:
        return (inspection.release - requests[inspection.reference].expected_arrival) / _MINUTE

    def factor(references: list[str]) -> tuple[float | None, float | None, float | None]:
        if not references:
            return None, None, None
        mean_joint = statistics.fmean(release(ours[r]) for r in references)
        mean_separate = statistics.fmean(release(theirs[r]) for r in references)
        return (
            round(mean_joint, 2),
            round(mean_separate, 2),
            round(mean_separate / mean_joint, 3) if mean_joint > 0 else None,
        )

    multi = [r for r in common if len(requests[r].selections) > 1]
    mean_joint, mean_separate, overall = factor(common)
    _j, _s, multi_factor = factor(multi)
    return {
        "consignments": len(common),
        "joint_mean_minutes": mean_joint,
        "uncoordinated_mean_minutes": mean_separate,
        "factor": overall,
        "multi_agency_consignments": len(multi),
        "multi_agency_factor": multi_factor,
    }


def explanations(batch: BatchProblem, solution: engine.BatchSolution) -> list[dict[str, Any]]:
    """What blocks (requests left out, and why each is not inspected or not joint), then what
    the plan pays, each in the engine's words."""
    found = [v.as_dict() for v in batch.skipped]
    for uninspected in solution.uninspected:
        reasons = "; ".join(v.message for v in uninspected.reasons)
        found.append(
            _said(
                names.INSPECTED,
                uninspected.reference,
                "is not inspected",
                reasons or "no slot within its maximum wait",
            )
        )
    for inspection in solution.inspections:
        if inspection.joint_failure:
            reasons = "; ".join(v.message for v in inspection.joint_failure)
            found.append(
                _said(
                    names.SEQUENCE,
                    inspection.reference,
                    "is inspected one side after the other",
                    reasons,
                )
            )
    found += [v.as_dict() for v in solution.violations if v.cost]
    return found


BATCH_JOB = "inspection_batch"


def enqueue_batch(
    session: Session, post: BorderPost, settings: BatchSettings, user: User | None
) -> Job:
    """Queue a batch plan for a worker (``juxta worker`` or the web process's own)."""
    problems = settings.problems()
    if problems:
        raise InvalidInput(problems, "the batch cannot be planned")
    config = settings.config
    params = {
        "post": post.code,
        "from": settings.first_day.isoformat(),
        "days": settings.days,
        "plan": settings.staffing_version,
        "seed": config.seed,
        "time_limit_seconds": config.time_limit_seconds,
        "workers": config.workers,
    }
    job = jobs.enqueue(session, BATCH_JOB, params, post_id=post.id, user=user)
    audit.record(
        session, user, "inspection_batch_requested", "job", job.id, post_id=post.id, **params
    )
    return job


def settings_from(params: Mapping[str, Any]) -> BatchSettings:
    """The settings a queued job carries (see ``enqueue_batch``)."""
    return BatchSettings(
        first_day=date.fromisoformat(str(params["from"])),
        days=int(params["days"]),
        staffing_version=int(params["plan"]) if params.get("plan") is not None else None,
        config=SolverConfig(
            time_limit_seconds=float(params["time_limit_seconds"]),
            workers=int(params["workers"]),
            seed=int(params["seed"]),
        ),
    )
