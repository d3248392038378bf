"""``juxta export``, ``juxta sync``, ``juxta import-ics`` and ``juxta import``: the calendar and
table features of the web interface, for scripts and cron jobs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import settings_of
from app.db import session_scope
from app.services import caldav_sync, ics_import, tables
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.feeds import FeedSettings, Selection
from models import BorderPost, CalendarKind, Plan, utcnow

KINDS = click.Choice([kind.value for kind in CalendarKind])


def _feed_settings() -> FeedSettings:
    return FeedSettings.from_config(settings_of(current_app))


def _post(session, code: str) -> BorderPost:  # type: ignore[no-untyped-def]
    post = session.scalar(select(BorderPost).where(BorderPost.code == code))
    if post is None:
        raise NotFound(f"no post {code!r} is loaded")
    return post


def _plan(session, plan_id: int) -> Plan:  # type: ignore[no-untyped-def]
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"no plan with id {plan_id}")
    return plan


@click.command("export")
@click.argument("fmt", metavar="ics|csv|xlsx", type=click.Choice(["ics", "csv", "xlsx"]))
@click.option("--plan", "plan_id", type=int, required=True, help="The plan's id.")
@click.option("--side", default=None, help="Only this side's offices, officers and agencies.")
@click.option("--agency", default=None)
@click.option("--office", default=None)
@click.option("--officer", default=None, help="An officer's staff number.")
@click.option("--bay", default=None, help="Inspections at this bay (ics and csv).")
@click.option("--calendar", "calendars", type=KINDS, multiple=True, help="hours, shifts or inspections (repeat for several; default all, csv needs one).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export(fmt: str, plan_id: int, side: str | None, agency: str | None, office: str | None, officer: str | None, bay: str | None, calendars: tuple[str, ...], out: Path) -> None:
    """Write a plan as iCalendar, CSV or Excel: the same file the web interface gives."""
    with session_scope() as session:
        plan = _plan(session, plan_id)
        selection = Selection.of(list(calendars) or None, side=side, agency=agency, office=office, officer=officer, bay=bay)
        data = tables.export(session, plan, selection, fmt, _feed_settings())
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data)} bytes): plan {plan_id}, {selection.describe()}")


@click.command("sync")
@click.argument("target_ref", metavar="PUSH-TARGET")
@click.option("--plan", "plan_id", type=int, default=None, help="Push this plan instead of the published one.")
@with_appcontext
def sync(target_ref: str, plan_id: int | None) -> None:
    """Push a side's calendars to a neighbour's CalDAV server (only what changed)."""
    with session_scope() as session:
        target = caldav_sync.find_push_target(session, target_ref)
        plan = _plan(session, plan_id) if plan_id is not None else None
        report = caldav_sync.push(session, target, _feed_settings(), utcnow(), plan=plan)
    click.echo(report.summary())
    if not report.ok:
        raise click.exceptions.Exit(1)


@click.command("import-ics")
@click.argument("post_code", metavar="POST")
@click.argument("side", metavar="SIDE")
@click.argument("location", metavar="FILE-OR-URL")
@click.option("--from", "first", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="First local day (default today).")
@click.option("--to", "last", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Last local day (default a year on).")
@with_appcontext
def import_ics(post_code: str, side: str, location: str, first: object, last: object) -> None:
    """Read a neighbour's published calendar of closures, reduced hours and holidays."""
    first_day = first.date() if first is not None else date.today()  # type: ignore[attr-defined]
    last_day = last.date() if last is not None else first_day + timedelta(days=366)  # type: ignore[attr-defined]
    data, source = ics_import.read_source(location)
    with session_scope() as session:
        result = ics_import.import_closures(session, _post(session, post_code), side, data, source, first_day=first_day, last_day=last_day)
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"  note: {note}")
    for skipped in result.skipped:
        click.echo(f"  skipped {skipped.uid} {skipped.summary!r}: {skipped.reason}")


@click.command("import")
@click.argument("table", type=click.Choice(list(tables.IMPORTABLE)))
@click.argument("post_code", metavar="POST")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_table(table: str, post_code: str, file: Path) -> None:
    """Add or update officers, leave or demand of a loaded post from CSV or Excel: all rows or none."""
    if file.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise InvalidInput([InputProblem("FILE", f"{file.name} is neither .csv nor .xlsx", "save the table as CSV (UTF-8) or Excel")])
    with session_scope() as session:
        report = tables.import_table(session, _post(session, post_code), table, file.read_bytes(), file.name)
    click.echo(report.summary())

