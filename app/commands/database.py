from __future__ import annotations

import click
from flask.cli import AppGroup

from app import db as app_db
from models import migrate


@click.group(cls=AppGroup)
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command()
def upgrade() -> None:
    """Create or migrate the schema to the newest version."""
    engine = app_db.engine()
    migrate.upgrade(engine)
    click.echo(f"schema at {migrate.current_revision(engine)} on {engine.url.render_as_string(hide_password=True)}")


@db.command()
def current() -> None:
    """Show the schema version and whether it is the newest."""
    engine = app_db.engine()
    state = "up to date" if migrate.is_current(engine) else f"behind (newest is {migrate.head_revision(engine)})"
    click.echo(f"{migrate.current_revision(engine) or 'empty'}: {state}")
