from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.db import session_scope
from app.services.calendars import next_monday
from app.services.errors import InvalidInput
from app.services.scenario.generate import GeneratorSettings, write_generated
from app.services.scenario.load import load_scenario, post_exists
from app.services.scenario.validate import read_scenario
from app.services.scenario.validate import validate as validate_scenario

SCENARIO_PATH = click.Path(exists=True, path_type=Path)


@click.command()
@click.argument("path", type=SCENARIO_PATH)
def validate(path: Path) -> None:
    """Check a scenario folder or workbook and report every problem at once."""
    scenario, problems = validate_scenario(path)
    if problems:
        raise InvalidInput(problems, f"{path}: {len(problems)} problem(s)")
    assert scenario is not None
    click.echo(
        f"{path}: valid — post {scenario.post.code}, {len(scenario.sides)} sides, {len(scenario.agencies)} agencies, "
        f"{len(scenario.offices)} offices, {len(scenario.officers)} officers, {len(scenario.demand)} demand rows"
    )


@click.command()
@click.argument("path", type=SCENARIO_PATH)
@click.option("--replace", is_flag=True, help="Replace a post of the same code (its plans and bookings go too).")
@click.option("--skip-existing", is_flag=True, help="Do nothing if a post of the same code is loaded.")
@with_appcontext
def load(path: Path, replace: bool, skip_existing: bool) -> None:
    """Load a scenario in one transaction: all of it or nothing."""
    scenario = read_scenario(path)
    with session_scope() as session:
        if skip_existing and post_exists(session, scenario.post.code):
            click.echo(f"post {scenario.post.code} is already loaded; skipped")
            return
        report = load_scenario(session, scenario, replace=replace)
    counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in report.counts.items())
    click.echo(f"{'replaced' if report.replaced else 'loaded'} post {report.post_code}: {counts}")


@click.command()
@click.option("--officers", type=click.IntRange(min=2), required=True, help="Officers in all, both sides.")
@click.option("--days", type=click.IntRange(min=1, max=366), required=True, help="Days covered by leave and inspection requests.")
@click.option("--trucks-per-day", type=click.IntRange(min=0), required=True, help="Trucks a day, both directions.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="First day (default: next Monday).")
@click.option("--code", default="synthetic", show_default=True, help="The generated post's code.")
@click.option("--xlsx", is_flag=True, help="Write the tables as one scenario.xlsx instead of CSV files.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def generate(officers: int, days: int, trucks_per_day: int, seed: int, start: object, code: str, xlsx: bool, out: Path) -> None:
    """Write a valid synthetic scenario of the given size to OUT."""
    first = start.date() if start is not None else None  # type: ignore[attr-defined]
    settings = GeneratorSettings(officers=officers, days=days, trucks_per_day=trucks_per_day, seed=seed, start=first or next_monday(date.today()), code=code)
    summary = write_generated(settings, out, excel=xlsx)
    click.echo(f"wrote {out}: {summary}")
