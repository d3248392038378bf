"""The ``juxta`` console script: one entry point, one sub-command per task.

Bad input exits with code 2 and a message that names the file, place, field and fix;
it never prints a traceback.
"""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from app import create_app
from app.config import ConfigError
from app.services.errors import InvalidInput, NotFound

INPUT_ERROR = 2


class JuxtaGroup(FlaskGroup):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InvalidInput as error:
            click.echo(f"error: {error.summary}", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            ctx.exit(INPUT_ERROR)
        except (NotFound, ConfigError) as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(INPUT_ERROR)
        return None


@click.group(cls=JuxtaGroup, create_app=lambda: create_app(), add_default_commands=False, add_version_option=False, load_dotenv=False)
def cli() -> None:
    """Juxta: coordinated opening hours, rosters and joint inspections for border posts."""


# FlaskGroup's own options (--app, --env-file, --debug) describe Flask's generic runner; juxta
# always builds its one app from config.toml, so they would only confuse.
cli.params = [param for param in cli.params if param.name not in ("app", "env_file", "debug")]


def _register() -> None:
    from app.commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register()


def main() -> None:
    cli.main(prog_name="juxta", args=sys.argv[1:])
