"""Job kind ``plan``: run the planning pipeline for a post in a worker, never in a request."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update

from app.services.errors import NotFound
from app.services.jobs import JobContext, handler
from app.services.planning.pipeline import run_pipeline
from app.services.plans import PLAN_JOB
from models import BorderPost, Job, User, utcnow
from solver.config import ProgressPoint, SolverConfig


@handler(PLAN_JOB)
def plan_job(context: JobContext) -> dict[str, Any]:
    params = context.params
    config = SolverConfig(time_limit_seconds=float(params["time_limit_seconds"]), workers=int(params["workers"]), seed=int(params["seed"]))
    with context.sessions() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == params["post"]))
        if post is None:
            raise NotFound(f"no post {params['post']!r}")
        job = session.get(Job, context.job_id)
        user = session.get(User, job.created_by_id) if job and job.created_by_id else None

        def progress(stage: str, point: ProgressPoint) -> None:
            context.progress({"stage": stage, "seconds": point.seconds, "objective": point.objective, "bound": point.bound})

        context.message("planning opening hours, then the roster")
        plan = run_pipeline(session, post, date.fromisoformat(params["start"]), int(params["weeks"]), config, now=utcnow(), user=user, on_progress=progress)
        session.execute(update(Job).where(Job.id == context.job_id).values(plan_id=plan.id))
        session.commit()
        return {"plan_id": plan.id, "version": plan.version, "status": plan.status.value, "solver_status": plan.solver_status, "objective": plan.objective, "gap": plan.gap}
