"""Batch plans run by a worker (job kind ``inspection_batch``) and from the command line
(``juxta inspections plan`` / ``offers``); every solve goes through the checker."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.cli import cli
from app.db import session_scope
from app.services import jobs
from app.services.inspection_batch import BATCH_JOB, BatchSettings, enqueue_batch
from models import Job, JobStatus, Plan, PlanKind
from solver import inspections as engine
from solver.config import SolverConfig
from tests.booking.builders import NOW, T0, booker, build_post, everyone_on_duty, post_of, request
from tests.conftest import make_test_app


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    app = make_test_app(sqlite_url)
    with app.app_context(), session_scope() as session:
        build_post(session)
        everyone_on_duty(session, BC2=[])
        request(session, "Q-1", ("BG-CUS", "TR-CUS"), 1.0)
        request(session, "Q-2", ("BG-CUS",), 1.0)
    yield app
    app.extensions["juxta.engine"].dispose()


@pytest.fixture
def solves(
    monkeypatch: pytest.MonkeyPatch,
) -> list[tuple[engine.InspectionProblem, engine.BatchSolution]]:
    """Every batch solve of the test, to pass through the independent checker."""
    seen: list[tuple[engine.InspectionProblem, engine.BatchSolution]] = []
    solve = engine.plan_batch

    def recorded(problem, config, on_progress=None):  # type: ignore[no-untyped-def]
        solution = solve(problem, config, on_progress)
        seen.append((problem, solution))
        return solution

    monkeypatch.setattr(engine, "plan_batch", recorded)
    return seen


def _all_checked(solves) -> None:  # type: ignore[no-untyped-def]
    assert solves
    for problem, solution in solves:
        report = engine.check(problem, solution)
        assert report.ok and report.objective == solution.objective


def test_a_queued_batch_runs_in_a_worker_and_links_its_plan(app: Flask, solves) -> None:  # type: ignore[no-untyped-def]
    importlib.import_module("app.jobs")  # registers the job handlers, as `juxta worker` does
    sessions = app.extensions["juxta.sessions"]
    with app.app_context(), session_scope() as session:
        job = enqueue_batch(
            session,
            post_of(session),
            BatchSettings(
                first_day=T0.date(), config=SolverConfig(time_limit_seconds=5, workers=1)
            ),
            booker(session),
        )
        job_id = job.id
    assert jobs.claim_next(sessions, 60) == job_id
    jobs.run_job(sessions, job_id)
    _all_checked(solves)
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job.kind == BATCH_JOB and job.status == JobStatus.SUCCEEDED, job.error
        plan = session.get(Plan, job.plan_id)
        assert (
            plan.kind == PlanKind.INSPECTIONS
            and job.result["plan"] == plan.version
            and job.result["inspected"] == 2
        )
        assert job.progress and all(point["stage"] == "inspections" for point in job.progress)
        assert plan.created_by_id is not None


def test_the_command_line_plans_a_day_and_writes_its_figures(
    app: Flask, solves, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "plan.json"
    result = app.test_cli_runner().invoke(
        cli,
        [
            "inspections",
            "plan",
            "mini",
            "--from",
            T0.date().isoformat(),
            "--days",
            "1",
            "--time-limit",
            "5",
            "--workers",
            "1",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    _all_checked(solves)
    assert "plan v2 (draft): 2 requests, 2 inspected" in result.output and "factor" in result.output
    written = json.loads(out.read_text())
    assert written["kpis"]["inspected"] == 2 and written["stats"]["seed"] == 1
    queued = app.test_cli_runner().invoke(
        cli, ["inspections", "plan", "mini", "--from", T0.date().isoformat(), "--queue"]
    )
    assert queued.exit_code == 0 and "queued job" in queued.output
    unknown = app.test_cli_runner().invoke(
        cli, ["inspections", "plan", "nowhere", "--from", T0.date().isoformat()]
    )
    assert unknown.exit_code == 2 and "no post 'nowhere'" in unknown.output


def test_the_command_line_shows_the_offers_of_a_request(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importlib.import_module("app.commands.inspections"), "utcnow", lambda: NOW)
    result = app.test_cli_runner().invoke(
        cli, ["inspections", "offers", "mini", "--reference", "Q-1", "--max", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("joint:")]
    assert len(lines) == 2 and "BG-CUS BC1" in lines[0]
    with app.app_context(), session_scope() as session:
        assert session.scalar(select(Job.id)) is None
