"""Job kind ``inspection_batch``: a batch plan of joint inspections, run by a worker.

The solve reports each improving solution as a progress point (stage "inspections"), the way
the plan runs do, and the job links the draft plan it stores.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.services import jobs
from app.services.errors import NotFound
from app.services.inspection_batch import BATCH_JOB, plan_inspections, settings_from
from models import BorderPost, Job, User
from solver.config import ProgressPoint


@jobs.handler(BATCH_JOB)
def run_inspection_batch(context: jobs.JobContext) -> dict[str, Any]:
    params = context.params

    def progress(point: ProgressPoint) -> None:
        context.progress(
            {
                "stage": "inspections",
                "seconds": point.seconds,
                "objective": point.objective,
                "bound": point.bound,
            }
        )

    with context.sessions() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == params["post"]))
        if post is None:
            raise NotFound(f"no post {params['post']!r} is loaded")
        job = session.get(Job, context.job_id)
        user = (
            session.get(User, job.created_by_id) if job is not None and job.created_by_id else None
        )
        outcome = plan_inspections(
            session, post, settings_from(params), user=user, on_progress=progress
        )
        if job is not None:
            job.plan_id = outcome.plan.id
        session.commit()
        kpis = outcome.solution.kpis
        return {
            "plan": outcome.plan.version,
            "status": outcome.solution.status,
            "gap": outcome.solution.stats.gap,
            "requests": len(outcome.batch.problem.requests),
            "inspected": kpis.inspected,
            "not_inspected": kpis.not_inspected,
            "left_out": len(outcome.batch.skipped),
        }
