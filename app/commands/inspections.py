"""``juxta inspections plan`` and ``juxta inspections offers``: batch plans of joint inspections
and the offers for one request, for scripts, cron jobs and benchmarks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.db import session_scope
from app.services import booking as booking_service
from app.services.errors import NotFound
from app.services.inspection_batch import BatchSettings, enqueue_batch, plan_inspections
from models import BorderPost, utcnow
from solver.config import SolverConfig

JSON_FILE = click.Path(dir_okay=False, writable=True, path_type=Path)


@click.group(cls=AppGroup)
def inspections() -> None:
    """Joint inspections: batch plans and offers."""


def _post(session, code: str) -> BorderPost:  # type: ignore[no-untyped-def]
    post = session.scalar(select(BorderPost).where(BorderPost.code == code))
    if post is None:
        raise NotFound(f"no post {code!r} is loaded")
    return post


def _write_json(path: Path | None, payload: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
        click.echo(f"wrote {path}")


@inspections.command("plan")
@click.argument("post_code", metavar="POST")
@click.option(
    "--from",
    "first_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First local day of arrivals.",
)
@click.option("--days", type=click.IntRange(1, 14), default=1, show_default=True)
@click.option(
    "--plan",
    "staffing_version",
    type=int,
    default=None,
    help="Staffing plan version (default: the published plan).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds CP-SAT may search.",
)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--queue", is_flag=True, help="Queue the plan for a worker instead of planning here.")
@click.option(
    "--json",
    "json_path",
    type=JSON_FILE,
    default=None,
    help="Also write the KPIs and explanations to this file.",
)
def plan(
    post_code: str,
    first_day: Any,
    days: int,
    staffing_version: int | None,
    time_limit: float,
    workers: int,
    seed: int,
    queue: bool,
    json_path: Path | None,
) -> None:
    """Plan the pending inspection requests arriving from --from for --days days; store a draft."""
    settings = BatchSettings(
        first_day=date.fromisoformat(first_day.date().isoformat()),
        days=days,
        staffing_version=staffing_version,
        config=SolverConfig(time_limit_seconds=time_limit, workers=workers, seed=seed),
    )
    with session_scope() as session:
        post = _post(session, post_code)
        if queue:
            job = enqueue_batch(session, post, settings, None)
            click.echo(
                f"queued job {job.id}: inspections of {post.code} from {settings.first_day} for {days} day(s)"
            )
            return
        outcome = plan_inspections(session, post, settings)
        solution, plan_row = outcome.solution, outcome.plan
        kpis = plan_row.kpis
        gap = solution.stats.gap
        click.echo(
            f"plan v{plan_row.version} (draft): {kpis['requests']} requests, {kpis['inspected']} inspected "
            f"({kpis['joint']} joint, {kpis['sequential']} sequential, {kpis['out_of_hours']} out of hours), "
            f"{kpis['not_inspected']} not inspected, {len(outcome.batch.skipped)} left out"
        )
        click.echo(
            f"solver {solution.status}: objective {solution.objective}, bound {solution.stats.best_bound}, "
            f"gap {'-' if gap is None else f'{gap:.2%}'}, {solution.stats.wall_seconds:.1f} s, seed {seed}, {workers} worker(s)"
        )
        click.echo(
            f"arrival to start: mean {kpis['arrival_to_start_mean_minutes']} min, median {kpis['arrival_to_start_median_minutes']}, "
            f"P90 {kpis['arrival_to_start_p90_minutes']}; to release: mean {kpis['arrival_to_release_mean_minutes']} min; "
            f"uncoordinated mean {kpis['uncoordinated_arrival_to_release_mean_minutes']} min, factor {kpis['joint_vs_uncoordinated_factor']}"
        )
        _write_json(
            json_path,
            {
                "plan": plan_row.version,
                "status": solution.status,
                "stats": solution.stats.as_dict(),
                "kpis": kpis,
                "explanations": plan_row.explanations,
            },
        )


@inspections.command("offers")
@click.argument("post_code", metavar="POST")
@click.option("--reference", required=True, help="The consignment reference of a saved request.")
@click.option("--max", "max_offers", type=click.IntRange(1, 10), default=3, show_default=True)
@click.option("--json", "json_path", type=JSON_FILE, default=None)
def offers(post_code: str, reference: str, max_offers: int, json_path: Path | None) -> None:
    """The best joint slots for a saved request right now, or what blocks them."""
    with session_scope() as session:
        post = _post(session, post_code)
        request = booking_service.get_request(session, post, reference)
        result = booking_service.offers(session, request, utcnow(), max_offers=max_offers)
        for offer in (*result.offers, *result.fallback):
            parts = "; then ".join(
                f"{part.start_at:%a %d %b %H:%M}Z at {part.resource_code} with "
                + ", ".join(f"{a.agency_code} {a.officer_code}" for a in part.attendees)
                for part in offer.parts
            )
            fees = ", ".join(f"{amount} {currency}" for currency, amount in offer.fees.items())
            click.echo(
                f"{offer.mode}: {parts}; waits {offer.waiting_minutes} min{f'; out of hours {fees}' if fees else ''}"
            )
        for blocker in result.blockers:
            click.echo(f"blocked ({blocker.rule}): {blocker.message}")
        for remedy in result.remedies:
            click.echo(f"would unblock ({remedy.kind}): {remedy.message}")
        if not (result.offers or result.fallback or result.blockers):
            click.echo("no slot")
        _write_json(json_path, result.as_dict())
