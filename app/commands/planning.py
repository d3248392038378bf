from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import settings_of
from app.db import session_scope
from app.services.calendars import next_monday
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.planning.document import plan_document
from app.services.planning.pipeline import run_pipeline
from models import BorderPost, Plan, utcnow
from solver.config import SolverConfig


@click.command()
@click.argument("post_code", metavar="POST")
@click.option("--from", "first_day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="First day (local), default next Monday.")
@click.option("--weeks", type=int, default=4, show_default=True, help="Horizon, 1 to 12 weeks.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the plan as JSON (docs/plan-json.md).")
@click.option("--time-limit", type=float, default=None, help="Seconds per engine (default solver.time_limit_seconds).")
@click.option("--workers", type=int, default=None, help="CP-SAT workers (default solver.workers).")
@click.option("--seed", type=int, default=None, help="Random seed (default solver.seed).")
@click.option("--skip-if-planned", is_flag=True, help="Do nothing if the post already has a plan.")
@with_appcontext
def plan(post_code: str, first_day: object, weeks: int, json_path: Path | None, time_limit: float | None, workers: int | None, seed: int | None, skip_if_planned: bool) -> None:
    """Plan opening hours, staffing and roster for POST; store a draft plan and print a summary."""
    base = settings_of(current_app).solver
    try:
        config = SolverConfig(
            time_limit_seconds=time_limit if time_limit is not None else base.time_limit_seconds,
            workers=workers if workers is not None else base.workers,
            seed=seed if seed is not None else base.seed,
        )
    except ValueError as error:
        raise InvalidInput([InputProblem("--time-limit/--workers", str(error), "give a positive time limit and at least one worker")]) from None
    start = first_day.date() if first_day is not None else next_monday(date.today())  # type: ignore[attr-defined]
    with session_scope() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == post_code))
        if post is None:
            raise NotFound(f"no post {post_code!r}; load it with `juxta load`")
        if skip_if_planned and session.scalar(select(Plan.id).where(Plan.post_id == post.id).limit(1)) is not None:
            click.echo(f"post {post_code} already has a plan; skipped")
            return
        click.echo(f"planning {post.name} from {start} for {weeks} week(s): {config.time_limit_seconds:g} s per engine, {config.workers} worker(s), seed {config.seed}")
        result = run_pipeline(
            session, post, start, weeks, config, now=utcnow(),
            on_progress=lambda stage, point: click.echo(f"  {stage:>6} {point.seconds:7.1f} s  objective {point.objective:,.1f}  bound {point.bound:,.1f}"),
        )
        document = plan_document(session, result)
    click.echo(summary(document))
    if json_path is not None:
        json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
        click.echo(f"wrote {json_path}")


def summary(document: dict) -> str:  # type: ignore[type-arg]
    solver = document["solver"]
    lines = [f"plan {document['plan_id']} (v{document['version']}, {document['status']}): solver {solver['status']}"
             + (f", objective {solver['objective']:,.1f}, bound {solver['best_bound']:,.1f}, gap {solver['gap'] * 100:.2f} %" if solver["objective"] is not None and solver["gap"] is not None else "")]
    for run in solver["runs"]:
        gap = f"{run['gap'] * 100:.2f} %" if run["gap"] is not None else "-"
        lines.append(f"  {run['engine']:>8}: {run['status']}, objective {run['objective']}, bound {run['best_bound']}, gap {gap}, {run['wall_seconds']:.1f} s")
    hours = document["kpis"].get("hours", {})
    if hours:
        lines.append(
            f"  waiting: {hours['served_without_waiting_share'] * 100:.1f} % of trucks served without waiting; mean {hours['mean_wait_minutes']:.0f} min, "
            f"median {hours['median_wait_minutes']:.0f}, P90 {hours['p90_wait_minutes']:.0f}; staff hours {hours['staff_hours']:,.0f}"
        )
    roster = document["kpis"].get("roster", {})
    if roster:
        lines.append(f"  roster: {roster['shifts']} shifts, {roster['staff_hours']:,.0f} staff hours, {roster['cover_share'] * 100:.1f} % of needed officer-intervals covered")
    lines.append(f"  {len(document['windows'])} opening windows, {len(document['assignments'])} shift assignments")
    for item in document["explanations"][:10]:
        lines.append(f"  ! {item['rule']}: {item['message']}")
    return "\n".join(lines)
