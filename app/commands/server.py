from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from app import settings_of
from app.services.jobs import Worker
from models import migrate


def _worker() -> Worker:
    settings = settings_of(current_app)
    import app.jobs  # noqa: F401  (registers the job handlers)

    return Worker(current_app.extensions["juxta.sessions"], poll_seconds=settings.jobs_poll_seconds, stale_after_seconds=settings.jobs_stale_after_seconds)


@click.command()
@click.option("--host", default=None, help="Overrides server.host.")
@click.option("--port", type=int, default=None, help="Overrides server.port.")
@with_appcontext
def serve(host: str | None, port: int | None) -> None:
    """Serve the web interface (and, with jobs.mode = "in-process", run background jobs)."""
    from waitress import serve as waitress_serve

    settings = settings_of(current_app)
    engine = current_app.extensions["juxta.engine"]
    if not migrate.is_current(engine):
        raise click.ClickException("the database schema is not current; run `juxta db upgrade` first")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.jobs_mode == "in-process":
        _worker().start_thread()
    host, port = host or settings.server_host, port or settings.server_port
    click.echo(f"Juxta on http://{host}:{port}/ (jobs: {settings.jobs_mode})")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=settings.server_threads, ident="juxta")  # type: ignore[attr-defined]


@click.command()
@click.option("--once", is_flag=True, help="Run at most one job, then exit.")
@with_appcontext
def worker(once: bool) -> None:
    """Run background jobs (plan runs) from the shared database; start as many as you like."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runner = _worker()
    if once:
        ran = runner.run_once()
        click.echo("ran one job" if ran else "no job waiting")
        return
    click.echo("worker polling for jobs; Ctrl-C to stop")
    try:
        runner.run_forever()
    except KeyboardInterrupt:
        runner.stop()
