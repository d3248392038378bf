"""A job queue whose state lives in the database.

Any number of workers, on any machines, poll the same ``job`` table; a worker claims a
job with a compare-and-set update (``FOR UPDATE SKIP LOCKED`` first on PostgreSQL, so
workers do not queue behind each other's locks), keeps a heartbeat while it runs, and
writes progress, result or error back. A job whose worker stopped reporting is taken over.
Nothing about a running solve lives in a web process.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.services.errors import InvalidInput
from models import Job, JobStatus, User, utcnow

log = logging.getLogger(__name__)

MAX_PROGRESS_POINTS = 500


@dataclass(slots=True)
class JobContext:
    """What a running job may do: report progress, say what it is doing, notice cancellation."""

    job_id: int
    sessions: sessionmaker[Session]
    params: dict[str, Any]

    def progress(self, point: dict[str, Any]) -> None:
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            if job is None:
                return
            points = list(job.progress or [])
            points.append(point)
            job.progress = points[-MAX_PROGRESS_POINTS:]
            job.heartbeat_at = utcnow()
            session.commit()

    def message(self, text: str) -> None:
        with self.sessions() as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(message=text, heartbeat_at=utcnow()))
            session.commit()

    def cancelled(self) -> bool:
        with self.sessions() as session:
            return session.scalar(select(Job.status).where(Job.id == self.job_id)) == JobStatus.CANCELLED


Handler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def enqueue(session: Session, kind: str, params: dict[str, Any], *, post_id: int | None = None, user: User | None = None) -> Job:
    job = Job(kind=kind, params=params, post_id=post_id, status=JobStatus.QUEUED, progress=[], created_by_id=user.id if user else None)
    session.add(job)
    session.flush()
    return job


def cancel(session: Session, job: Job) -> bool:
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    job.status = JobStatus.CANCELLED
    job.finished_at = utcnow()
    job.message = "cancelled"
    return True


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim_next(sessions: sessionmaker[Session], stale_after_seconds: int, worker: str | None = None) -> int | None:
    """Take the oldest queued job (or a running one whose worker went silent); its id, or None."""
    worker = worker or worker_name()
    stale_before = utcnow() - timedelta(seconds=stale_after_seconds)
    waiting = or_(
        Job.status == JobStatus.QUEUED,
        (Job.status == JobStatus.RUNNING) & (Job.heartbeat_at < stale_before),
    )
    with sessions() as session:
        query = select(Job.id, Job.status).where(waiting).order_by(Job.created_at, Job.id).limit(5)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = session.execute(query).all()
        for job_id, status in candidates:
            now = utcnow()
            claimed = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == status, waiting)
                .values(status=JobStatus.RUNNING, worker=worker, started_at=now, heartbeat_at=now)
            )
            if claimed.rowcount == 1:
                session.commit()
                return int(job_id)
        session.rollback()
    return None


def run_job(sessions: sessionmaker[Session], job_id: int) -> None:
    """Run a claimed job to its end, recording success or failure; never raises."""
    with sessions() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        kind, params = job.kind, dict(job.params or {})
    context = JobContext(job_id, sessions, params)
    function = HANDLERS.get(kind)
    stop_heartbeat = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(sessions, job_id, stop_heartbeat), daemon=True)
    beat.start()
    try:
        if function is None:
            raise RuntimeError(f"no handler for jobs of kind {kind!r}")
        result = function(context)
        _finish(sessions, job_id, JobStatus.SUCCEEDED, result=result, message="done")
    except InvalidInput as error:
        _finish(sessions, job_id, JobStatus.FAILED, error="\n".join([error.summary, *map(str, error.problems)]), message=error.summary)
    except Exception as error:  # a job must never take its worker down
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(sessions, job_id, JobStatus.FAILED, error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=8)}", message=f"failed: {error}")
    finally:
        stop_heartbeat.set()


def _heartbeat(sessions: sessionmaker[Session], job_id: int, stop: threading.Event, every: float = 10.0) -> None:
    while not stop.wait(every):
        with sessions() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(heartbeat_at=utcnow()))
            session.commit()


def _finish(sessions: sessionmaker[Session], job_id: int, status: JobStatus, *, result: dict[str, Any] | None = None, error: str = "", message: str = "") -> None:
    with sessions() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        if job.status == JobStatus.CANCELLED:
            status, message = JobStatus.CANCELLED, "cancelled"
        job.status = status
        job.result = result
        job.error = error
        job.message = message
        job.finished_at = utcnow()
        session.commit()


class Worker:
    """Polls for jobs and runs them one at a time until stopped."""

    def __init__(self, sessions: sessionmaker[Session], *, poll_seconds: float, stale_after_seconds: int) -> None:
        self.sessions = sessions
        self.poll_seconds = poll_seconds
        self.stale_after_seconds = stale_after_seconds
        self.stopping = threading.Event()

    def run_once(self) -> bool:
        job_id = claim_next(self.sessions, self.stale_after_seconds)
        if job_id is None:
            return False
        run_job(self.sessions, job_id)
        return True

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                worked = self.run_once()
            except Exception:  # the database may be briefly away; keep polling
                log.exception("worker poll failed")
                worked = False
            if not worked:
                self.stopping.wait(self.poll_seconds)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="juxta-worker", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
