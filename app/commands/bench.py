"""``juxta bench``: the engines on public benchmarks.

``juxta bench shifts [INSTANCE...]`` reads Employee Shift Scheduling Benchmark instances
(Curtois & Qu, Instances 1-24) into the roster engine's own problem, solves each in a fresh
process, checks the roster independently, writes it as the benchmark's tab-separated grid and
prints objective, bound, gap to the best known and seconds. The instance files are not part of
the repository: they are read from ``../shared/benchmarks/shift-scheduling`` (or
``$JUXTA_SHIFT_BENCHMARKS``, or ``--directory``).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app import settings_of
from app.services.errors import InputProblem, InvalidInput

# The protocol: 60 s per instance (1-12); 2 workers is also the config's default.
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_OUT = Path("bench/out/shifts")
ALL_INSTANCES = tuple(str(n) for n in range(1, 25))
COLUMNS = ("instance", "objective", "bound", "best known", "gap", "seconds", "peak MB", "status", "checked")


@click.group()
def bench() -> None:
    """Run the engines on public benchmark instances."""


def _row(cells: list[str]) -> str:
    widths = (12, 10, 10, 10, 9, 8, 8, 10, 7)
    return "  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells, widths, strict=True)))


@bench.command("shifts")
@click.argument("instances", nargs=-1, metavar="[INSTANCE...]")
@click.option("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, show_default=True, help="Seconds per instance.")
@click.option("--workers", type=int, default=None, help="CP-SAT workers (default solver.workers, 2).")
@click.option("--seed", type=int, default=None, help="Random seed (default solver.seed).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True, help="Directory for the roster grids.")
@click.option("--directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Instance directory (default $JUXTA_SHIFT_BENCHMARKS, else ../shared/benchmarks/shift-scheduling).")
@with_appcontext
def shifts(instances: tuple[str, ...], time_limit: float, workers: int | None, seed: int | None, out: Path, directory: Path | None) -> None:
    """Solve shift-scheduling benchmark INSTANCEs (Instance5, 5 or a path; default 1-24).

    Each roster is written to OUT/<instance>.roster.txt: one line per employee in file
    order, one tab-separated column per day, an empty cell for a day off.
    """
    from solver.roster.benchmark import (
        DIRECTORY_VARIABLE,
        benchmark_directory,
        format_table,
        resolve_instances,
        run_shift_benchmark,
    )

    base = settings_of(current_app).solver
    workers = workers if workers is not None else base.workers
    seed = seed if seed is not None else base.seed
    problems = []
    if time_limit <= 0:
        problems.append(InputProblem("--time-limit", f"{time_limit:g} is not a positive number of seconds", "give e.g. --time-limit 60"))
    if workers < 1:
        problems.append(InputProblem("--workers", f"{workers} workers", "give at least one worker, e.g. --workers 2"))
    folder = benchmark_directory(directory)
    names = list(instances) or list(ALL_INSTANCES)
    if not folder.is_dir():
        problems.append(InputProblem(
            "--directory", f"the benchmark directory {folder} does not exist",
            f"put the instances in {folder}, set {DIRECTORY_VARIABLE} or pass --directory"))
        paths = []
    else:
        paths = resolve_instances(names, directory)
        for name, path in zip(names, paths, strict=True):
            if not path.is_file():
                problems.append(InputProblem(
                    "INSTANCE", f"no instance {name!r} ({path} does not exist)",
                    f"name one of Instance1 ... Instance24 (or 1 ... 24) in {folder}, or give the path of an instance file"))
    if problems:
        raise InvalidInput(problems, summary=f"{len(problems)} problem(s) with `juxta bench shifts`")

    click.echo(f"shift scheduling benchmark: {len(paths)} instance(s) from {folder}, {time_limit:g} s each, {workers} worker(s), seed {seed}; grids to {out}")
    click.echo(_row(list(COLUMNS)))
    results = []
    for path in paths:
        [result] = run_shift_benchmark([path], time_limit, workers, out, seed)
        results.append(result)
        gap = "-" if result.gap is None else f"{100 * result.gap:.1f} %"
        click.echo(_row([
            result.instance,
            "-" if result.objective is None else str(result.objective),
            "-" if result.bound is None else str(result.bound),
            "-" if result.best_known is None else str(result.best_known),
            gap, f"{result.seconds:.1f}", f"{result.peak_rss_mb:.0f}", result.status,
            "yes" if result.feasible else "NO",
        ]))
    click.echo("")
    click.echo(format_table(results))
