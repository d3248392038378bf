"""The database-backed job queue: claims are exclusive, state and progress live in the database."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from app.services import jobs
from app.services.errors import InputProblem, InvalidInput
from models import Job, JobStatus, utcnow


def _sessions(engine):
    return sessionmaker(engine, expire_on_commit=False)


def test_a_queued_job_is_claimed_once_even_by_racing_workers(engine):
    sessions = _sessions(engine)
    with sessions() as session:
        job = jobs.enqueue(session, "noop", {})
        session.commit()
    claims: list[int | None] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        claims.append(jobs.claim_next(sessions, stale_after_seconds=300))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(c for c in claims if c is not None) == [job.id]
    with sessions() as session:
        assert session.get(Job, job.id).status == JobStatus.RUNNING


def test_a_running_job_whose_worker_went_silent_is_taken_over(engine):
    sessions = _sessions(engine)
    with sessions() as session:
        job = jobs.enqueue(session, "noop", {})
        session.commit()
    assert jobs.claim_next(sessions, 300, worker="crashed") == job.id
    assert jobs.claim_next(sessions, 300, worker="other") is None
    with sessions() as session:
        session.execute(update(Job).where(Job.id == job.id).values(heartbeat_at=utcnow() - timedelta(seconds=301)))
        session.commit()
    assert jobs.claim_next(sessions, 300, worker="other") == job.id
    with sessions() as session:
        assert session.get(Job, job.id).worker == "other"


def test_a_job_records_progress_and_result(engine):
    sessions = _sessions(engine)

    @jobs.handler("test-progress")
    def work(context: jobs.JobContext) -> dict:
        for step in range(3):
            context.progress({"seconds": step, "objective": 10 - step, "bound": 5})
        context.message("almost")
        return {"answer": context.params["x"] * 2}

    with sessions() as session:
        job = jobs.enqueue(session, "test-progress", {"x": 21})
        session.commit()
    worker = jobs.Worker(sessions, poll_seconds=0.01, stale_after_seconds=300)
    assert worker.run_once() is True
    assert worker.run_once() is False
    with sessions() as session:
        done = session.get(Job, job.id)
        assert done.status == JobStatus.SUCCEEDED
        assert done.result == {"answer": 42}
        assert [p["objective"] for p in done.progress] == [10, 9, 8]
        assert done.finished_at is not None and done.started_at <= done.finished_at


def test_a_failing_job_is_recorded_as_failed_with_its_reason(engine):
    sessions = _sessions(engine)

    @jobs.handler("test-bad-input")
    def bad(context: jobs.JobContext) -> dict:
        raise InvalidInput([InputProblem("weeks", "must be 1 to 12", "choose fewer weeks")], "the plan request is wrong")

    @jobs.handler("test-crash")
    def crash(context: jobs.JobContext) -> dict:
        raise RuntimeError("disk on fire")

    with sessions() as session:
        first = jobs.enqueue(session, "test-bad-input", {})
        second = jobs.enqueue(session, "test-crash", {})
        third = jobs.enqueue(session, "no-such-kind", {})
        session.commit()
    worker = jobs.Worker(sessions, poll_seconds=0.01, stale_after_seconds=300)
    while worker.run_once():
        pass
    with sessions() as session:
        assert session.get(Job, first.id).status == JobStatus.FAILED
        assert "weeks: must be 1 to 12" in session.get(Job, first.id).error
        assert session.get(Job, first.id).message == "the plan request is wrong"
        assert "disk on fire" in session.get(Job, second.id).message
        assert "no handler" in session.get(Job, third.id).error


def test_a_cancelled_job_stays_cancelled_and_tells_its_handler(engine):
    sessions = _sessions(engine)
    seen: list[bool] = []

    @jobs.handler("test-cancel")
    def long(context: jobs.JobContext) -> dict:
        with context.sessions() as session:
            jobs.cancel(session, session.get(Job, context.job_id))
            session.commit()
        seen.append(context.cancelled())
        return {"finished": True}

    with sessions() as session:
        job = jobs.enqueue(session, "test-cancel", {})
        session.commit()
    jobs.Worker(sessions, poll_seconds=0.01, stale_after_seconds=300).run_once()
    with sessions() as session:
        assert session.get(Job, job.id).status == JobStatus.CANCELLED
    assert seen == [True]
