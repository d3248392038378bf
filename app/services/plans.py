"""Plan versions: listing them, starting plan runs, comparing two versions, publishing a draft.

Publishing replaces the post's published plan. Published opening hours are a promise to
traders and to the neighbouring administration, so a draft that changes a window starting
within the post's notice period (``BorderPost.notice_period_hours``) is refused when the
post's policy forbids it, or published with a warning and the post's penalty per late
change when the policy penalises it (DOMAIN.md 1.4 and 3.7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import audit, jobs
from app.services.errors import Conflict, InputProblem, InvalidInput, NotFound
from app.services.pages.common import post_day_range
from models import (
    BorderPost,
    InspectionRequest,
    Job,
    JobStatus,
    NoticePolicy,
    Officer,
    Plan,
    PlannedInspection,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    User,
)
from solver.timeutil import utc_to_local

PLAN_JOB = "plan"
MAX_WEEKS = 26
MAX_TIME_LIMIT_SECONDS = 3600.0
MAX_WORKERS = 64


def list_plans(session: Session, post: BorderPost, *, include_drafts: bool = True) -> list[Plan]:
    """The post's plans, newest first; without drafts only published and superseded ones."""
    query = select(Plan).where(Plan.post_id == post.id).order_by(Plan.version.desc())
    if not include_drafts:
        query = query.where(Plan.status.in_([PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED]))
    return list(session.scalars(query))


def published_plan(session: Session, post: BorderPost) -> Plan | None:
    return session.scalar(
        select(Plan).where(Plan.post_id == post.id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1)
    )


def latest_plan(session: Session, post: BorderPost) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.post_id == post.id).order_by(Plan.version.desc()).limit(1))


def get_plan(session: Session, post: BorderPost, version: int, *, include_drafts: bool = True) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.post_id == post.id, Plan.version == version))
    if plan is None or (not include_drafts and plan.status not in (PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED)):
        raise NotFound(f"post {post.code} has no plan version {version}")
    return plan


def plan_to_show(session: Session, post: BorderPost, version: int | None, *, include_drafts: bool) -> Plan | None:
    """The plan a page shows: the version asked for, else the published one, else (for those
    who may see drafts) the newest."""
    if version is not None:
        return get_plan(session, post, version, include_drafts=include_drafts)
    published = published_plan(session, post)
    if published is not None or not include_drafts:
        return published
    return latest_plan(session, post)


# --- plan runs -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRunSettings:
    """What a manager asks for when starting a plan run; the ``plan`` job's params."""

    start: date
    weeks: int
    seed: int
    time_limit_seconds: float
    workers: int

    def problems(self) -> list[InputProblem]:
        found = []
        if not 1 <= self.weeks <= MAX_WEEKS:
            found.append(InputProblem("weeks", f"{self.weeks} is out of range", f"plan between 1 and {MAX_WEEKS} weeks"))
        if self.seed < 0:
            found.append(InputProblem("seed", "a seed cannot be negative", "use 0 or a positive whole number"))
        if not 1.0 <= self.time_limit_seconds <= MAX_TIME_LIMIT_SECONDS:
            found.append(InputProblem("time_limit_seconds", f"{self.time_limit_seconds:g} s is out of range", f"give between 1 and {MAX_TIME_LIMIT_SECONDS:g} seconds"))
        if not 1 <= self.workers <= MAX_WORKERS:
            found.append(InputProblem("workers", f"{self.workers} is out of range", f"use between 1 and {MAX_WORKERS} workers"))
        return found


def start_plan_run(session: Session, post: BorderPost, user: User, settings: PlanRunSettings) -> Job:
    """Queue a plan run for ``post``; the worker's ``plan`` handler stores a draft plan."""
    problems = settings.problems()
    if problems:
        raise InvalidInput(problems, "the plan run cannot start")
    running = active_plan_job(session, post)
    if running is not None:
        raise Conflict(f"a plan run for {post.code} is already {running.status.value} (job {running.id})", {"job": running.id})
    params = {
        "post": post.code,
        "start": settings.start.isoformat(),
        "weeks": settings.weeks,
        "seed": settings.seed,
        "time_limit_seconds": settings.time_limit_seconds,
        "workers": settings.workers,
    }
    job = jobs.enqueue(session, PLAN_JOB, params, post_id=post.id, user=user)
    audit.record(session, user, "plan_run_requested", "job", job.id, post_id=post.id, **params)
    return job


def active_plan_job(session: Session, post: BorderPost) -> Job | None:
    return session.scalar(
        select(Job).where(Job.post_id == post.id, Job.kind == PLAN_JOB, Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])).order_by(Job.id).limit(1)
    )


def recent_plan_jobs(session: Session, post: BorderPost, limit: int = 10) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.post_id == post.id, Job.kind == PLAN_JOB).order_by(Job.id.desc()).limit(limit)))


def get_job(session: Session, post: BorderPost, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.post_id != post.id:
        raise NotFound(f"post {post.code} has no job {job_id}")
    return job


def job_state(session: Session, job: Job) -> dict[str, Any]:
    """A job as the progress page and the API poll it.

    ``Job.error`` keeps the worker's traceback for operators; users get ``message`` only.
    The plan is reported with the job that succeeded: the worker stores it a moment before it
    marks the job done, and a page that showed the plan of a job still running would offer a
    result whose run has not finished.
    """
    plan = session.get(Plan, job.plan_id) if job.plan_id and job.status == JobStatus.SUCCEEDED else None
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "finished": job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED),
        "message": job.message,
        "params": job.params,
        "progress": list(job.progress or []),
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "plan": None if plan is None else {
            "version": plan.version,
            "status": plan.status.value,
            "solver_status": plan.solver_status,
            "objective": plan.objective,
            "best_bound": plan.best_bound,
            "gap": plan.gap,
            "kpis": plan.kpis,
            "explanations": len(plan.explanations or []),
        },
    }


# --- comparing two versions --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WindowChange:
    """An office's opening window added, removed or moved between two plans."""

    office_code: str
    office_name: str
    zone: str
    before: tuple[datetime, datetime] | None
    after: tuple[datetime, datetime] | None

    @property
    def starts(self) -> datetime:
        return min(span[0] for span in (self.before, self.after) if span is not None)

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    def describe(self) -> str:
        def span(value: tuple[datetime, datetime]) -> str:
            start, end = (utc_to_local(moment, self.zone) for moment in value)
            return f"{start:%a %d %b %H:%M}–{end:%H:%M}" + ("" if end.date() == start.date() else f" ({end:%a %d %b})")

        if self.before is None:
            assert self.after is not None
            return f"{self.office_name}: opens {span(self.after)} ({self.zone})"
        if self.after is None:
            return f"{self.office_name}: window {span(self.before)} ({self.zone}) removed"
        return f"{self.office_name}: window {span(self.before)} becomes {span(self.after)} ({self.zone})"


@dataclass(frozen=True, slots=True)
class ShiftChange:
    officer_code: str
    officer_name: str
    agency_code: str
    day: date
    before: str | None  # the template code, or None for a day off
    after: str | None


@dataclass(frozen=True, slots=True)
class InspectionChange:
    reference: str
    before: tuple[datetime, datetime, str] | None  # start, end, resource code
    after: tuple[datetime, datetime, str] | None


@dataclass(frozen=True, slots=True)
class PlanComparison:
    before: Plan
    after: Plan
    windows: tuple[WindowChange, ...]
    shifts: tuple[ShiftChange, ...]
    inspections: tuple[InspectionChange, ...]
    kpis: tuple[tuple[str, Any, Any], ...]  # name, before, after, for every KPI either has

    @property
    def officers_affected(self) -> int:
        return len({change.officer_code for change in self.shifts})

    @property
    def unchanged(self) -> bool:
        return not (self.windows or self.shifts or self.inspections)


def compare_plans(session: Session, before: Plan, after: Plan, *, officer_visible: Callable[[Officer], bool] = lambda _officer: True) -> PlanComparison:
    """What changed from ``before`` to ``after``: hours per office, shifts per officer, inspections.

    Shift changes are limited to the officers ``officer_visible`` lets the reader see.
    """
    if before.post_id != after.post_id:
        raise InvalidInput([InputProblem("plans", "the two plans belong to different posts", "compare versions of one post")])
    kpi_names = list(dict.fromkeys([*(before.kpis or {}), *(after.kpis or {})]))
    return PlanComparison(
        before=before,
        after=after,
        windows=tuple(window_changes(before.windows, after.windows)),
        shifts=tuple(_shift_changes(before.shifts, after.shifts, officer_visible)),
        inspections=tuple(_inspection_changes(session, before.inspections, after.inspections)),
        kpis=tuple((name, (before.kpis or {}).get(name), (after.kpis or {}).get(name)) for name in kpi_names),
    )


def window_changes(before: Iterable[PlannedWindow], after: Iterable[PlannedWindow]) -> list[WindowChange]:
    """Per office, windows only in one plan; a removed and an added window that overlap are one move."""
    old: dict[int, set[tuple[datetime, datetime]]] = defaultdict(set)
    new: dict[int, set[tuple[datetime, datetime]]] = defaultdict(set)
    offices = {}
    for target, windows in ((old, before), (new, after)):
        for window in windows:
            target[window.office_id].add((window.start_at, window.end_at))
            offices[window.office_id] = window.office
    changes: list[WindowChange] = []
    for office_id, office in offices.items():
        removed = sorted(old[office_id] - new[office_id])
        added = sorted(new[office_id] - old[office_id])
        for gone in removed:
            partner = next((span for span in added if span[0] < gone[1] and span[1] > gone[0]), None)
            if partner is not None:
                added.remove(partner)
            changes.append(WindowChange(office.code, office.name, office.timezone, gone, partner))
        changes.extend(WindowChange(office.code, office.name, office.timezone, None, span) for span in added)
    return sorted(changes, key=lambda change: (change.starts, change.office_code))


def _shift_changes(before: Iterable[PlannedShift], after: Iterable[PlannedShift], visible: Callable[[Officer], bool]) -> list[ShiftChange]:
    old = {(shift.officer_id, shift.day): shift for shift in before}
    new = {(shift.officer_id, shift.day): shift for shift in after}
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0])):
        was, now = old.get(key), new.get(key)
        was_code = was.template.code if was else None
        now_code = now.template.code if now else None
        if was_code == now_code and (was is None or now is None or (was.start_at, was.end_at) == (now.start_at, now.end_at)):
            continue
        officer = (now or was).officer  # type: ignore[union-attr]
        if not visible(officer):
            continue
        changes.append(ShiftChange(officer.code, officer.name, officer.agency.code, key[1], was_code, now_code))
    return changes


def _inspection_changes(session: Session, before: Iterable[PlannedInspection], after: Iterable[PlannedInspection]) -> list[InspectionChange]:
    def summary(item: PlannedInspection | None) -> tuple[datetime, datetime, str] | None:
        return None if item is None else (item.start_at, item.end_at, item.resource.code if item.resource else "")

    old = {item.request_id: item for item in before}
    new = {item.request_id: item for item in after}
    ids = old.keys() | new.keys()
    references = dict(session.execute(select(InspectionRequest.id, InspectionRequest.reference).where(InspectionRequest.id.in_(ids))).all()) if ids else {}
    changes = []
    for request_id in sorted(ids, key=lambda r: references.get(r, "")):
        was, now = summary(old.get(request_id)), summary(new.get(request_id))
        if was != now:
            changes.append(InspectionChange(references.get(request_id, f"request {request_id}"), was, now))
    return changes


# --- publishing --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LateChange:
    change: WindowChange
    notice_hours: float  # how far ahead of the change this publication comes

    def message(self, owed_hours: int) -> str:
        given = "after the window started" if self.notice_hours < 0 else f"with {self.notice_hours:.0f} h notice"
        return f"{self.change.describe()} — announced {given}; {owed_hours} h are owed"


@dataclass(frozen=True, slots=True)
class NoticeCheck:
    """How a draft's hours differ from the published plan, and which changes come too late."""

    policy: NoticePolicy
    owed_hours: int
    changes: tuple[WindowChange, ...]
    late: tuple[LateChange, ...]
    penalty_per_change: int
    against_version: int | None

    @property
    def blocked(self) -> bool:
        return bool(self.late) and self.policy == NoticePolicy.FORBID

    @property
    def penalty(self) -> int:
        return 0 if self.policy == NoticePolicy.FORBID else self.penalty_per_change * len(self.late)

    @property
    def messages(self) -> list[str]:
        return [late.message(self.owed_hours) for late in self.late]


@dataclass(frozen=True, slots=True)
class PublishResult:
    plan: Plan
    superseded: Plan | None
    notice: NoticeCheck


def notice_check(session: Session, draft: Plan, now: datetime) -> NoticeCheck:
    """Changes of ``draft``'s windows against the published plan, within the draft's horizon.

    A change is late when the window it touches (before or after the change) starts less
    than ``notice_period_hours`` after ``now``.
    """
    post = draft.post
    published = published_plan(session, post)
    changes: list[WindowChange] = []
    if published is not None and published.id != draft.id:
        start, end = _horizon(draft)
        in_horizon = [w for w in published.windows if start <= w.start_at < end]
        changes = window_changes(in_horizon, draft.windows)
    owed = timedelta(hours=post.notice_period_hours)
    late = tuple(
        LateChange(change, (change.starts - now).total_seconds() / 3600) for change in changes if change.starts < now + owed
    )
    return NoticeCheck(
        policy=post.notice_policy,
        owed_hours=post.notice_period_hours,
        changes=tuple(changes),
        late=late,
        penalty_per_change=post.notice_penalty,
        against_version=published.version if published else None,
    )


def _horizon(plan: Plan) -> tuple[datetime, datetime]:
    return post_day_range(plan.post, plan.horizon_start, plan.horizon_days)


def publish(session: Session, plan: Plan, user: User, now: datetime) -> PublishResult:
    """Publish the draft ``plan``, superseding the published one, after the notice check.

    Raises ``Conflict`` when the plan is not a draft, or when the post forbids late changes
    and the draft has some (the message names each window and the notice given).
    """
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"plan v{plan.version} is {plan.status.value}; only a draft can be published", {"plan_status": plan.status.value})
    check = notice_check(session, plan, now)
    if check.blocked:
        raise Conflict(
            f"plan v{plan.version} changes {len(check.late)} opening window(s) inside the {check.owed_hours} h notice period",
            {"late_changes": check.messages},
        )
    superseded = published_plan(session, plan.post)
    if superseded is not None:
        superseded.status = PlanStatus.SUPERSEDED
        audit.record(session, user, "plan_superseded", "plan", superseded.id, post_id=plan.post_id, version=superseded.version, by_version=plan.version)
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = now
    plan.published_by_id = user.id
    if check.late:
        plan.kpis = {**(plan.kpis or {}), "late_notice_changes": len(check.late), "late_notice_penalty": check.penalty}
    session.flush()
    audit.record(
        session, user, "plan_published", "plan", plan.id, post_id=plan.post_id, version=plan.version,
        superseded=superseded.version if superseded else None, changed_windows=len(check.changes),
        late_changes=check.messages, penalty=check.penalty,
    )
    return PublishResult(plan=plan, superseded=superseded, notice=check)


@dataclass(slots=True)
class PlanExplanations:
    """A plan's explanations split for display: what blocks it, and what it pays for."""

    blocking: list[dict[str, Any]] = field(default_factory=list)
    costs: list[dict[str, Any]] = field(default_factory=list)


def explanations(plan: Plan) -> PlanExplanations:
    """The engine's explanations, blocking ones (no cost: a rule that could not hold) first."""
    split = PlanExplanations()
    for item in plan.explanations or []:
        if not isinstance(item, dict):
            continue
        (split.costs if item.get("cost") else split.blocking).append(item)
    split.costs.sort(key=lambda item: -float(item.get("cost") or 0))
    return split
