"""Where a sample post's gap sits: each independent part of its hours or roster problem, solved
on its own.

    python -m bench parts hours kapitan-andreevo --time-limit 30
    python -m bench parts hours kapitan-andreevo --only VET --time-limit 300 --relaxation
    python -m bench parts roster rusumo --time-limit 60

A plan shares its time limit among its parts; here each part gets the whole limit, so a long
limit shows what a part converges to, and whether its plan or its bound holds the gap.
``--relaxation`` also bounds each part by the linear relaxation of its CP-SAT model
(``solver.relaxation``: PDLP, the bound proven from its duals), which owes nothing to the
search and says how strong the formulation itself is. The roster parts
are those of the roster problem the pipeline builds from the hours it plans first
(``--hours-seconds``). Every plan goes through the engine's independent checker.

Not part of ``make bench``: a diagnostic, run by hand under ``flock /tmp/juxta-bench.lock``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from bench.hours import SAMPLE_FIRST_DAY, sample_post, sample_problem
from solver import hours as hours_engine
from solver import roster as roster_engine
from solver.config import SolverConfig
from solver.hours.build import build_model as build_hours_model
from solver.hours.decompose import parts as hours_parts
from solver.hours.penalties import OBJECTIVE_SCALE
from solver.relaxation import RelaxationBound, linear_relaxation_bound
from solver.roster.model import build_model as build_roster_model
from solver.roster.solve import split_problem

SAMPLES = ("kapitan-andreevo", "rusumo")
# At most this long for PDLP on one part's relaxation (a diagnostic, not a plan's budget).
RELAXATION_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class PartFigures:
    name: str
    size: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    relaxation: RelaxationBound | None = None
    # The model's objective units per unit of the plan's cost.
    relaxation_scale: int = 1

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None or not self.objective:
            return None
        return (self.objective - self.bound) / self.objective


def hours_figures(sample: str, *, weeks: int, config: SolverConfig, only: str | None,
                  relaxation: bool) -> list[PartFigures]:
    problem = sample_problem(sample, weeks=weeks)
    figures = []
    for part in hours_parts(problem):
        if only and not any(only in office for office in part.offices):
            continue
        started = time.monotonic()
        solution = hours_engine.solve(part.problem, config)
        seconds = time.monotonic() - started
        errors = hours_engine.check(part.problem, solution).errors
        if errors:
            raise SystemExit(f"the checker refuses the plan of {sorted(part.offices)}: {errors[:3]}")
        lp = _relaxation(build_hours_model(part.problem).model, config) if relaxation else None
        figures.append(PartFigures(
            name=", ".join(sorted(part.offices)),
            size=f"{len(part.problem.flows)} flows",
            status=solution.status, objective=solution.objective, bound=solution.best_bound,
            seconds=seconds, relaxation=lp, relaxation_scale=OBJECTIVE_SCALE,
        ))
    return figures


def roster_figures(sample: str, *, weeks: int, config: SolverConfig, hours_seconds: float,
                   only: str | None, relaxation: bool) -> list[PartFigures]:
    from app.services.planning.pipeline import roster_problem_after_hours

    with sample_post(sample, weeks=weeks) as (session, post, hours_problem):
        hours = hours_engine.solve(hours_problem, SolverConfig(
            time_limit_seconds=hours_seconds, workers=config.workers, seed=config.seed))
        _, problem = roster_problem_after_hours(session, post, SAMPLE_FIRST_DAY, 7 * weeks,
                                                hours_problem, hours)
    figures = []
    for part in split_problem(problem):
        name = ", ".join(agency.name for agency in part.agencies)
        if only and only not in name:
            continue
        started = time.monotonic()
        solution = roster_engine.solve(part, config)
        seconds = time.monotonic() - started
        errors = roster_engine.check(part, solution).errors
        if errors:
            raise SystemExit(f"the checker refuses the roster of {name}: {errors[:3]}")
        lp = _relaxation(build_roster_model(part).model, config) if relaxation else None
        figures.append(PartFigures(
            name=name, size=f"{len(part.officers)} officers",
            status=solution.status,
            objective=None if solution.objective is None else float(solution.objective),
            bound=None if solution.best_bound is None else float(solution.best_bound),
            seconds=seconds, relaxation=lp,
        ))
    return figures


def _relaxation(model: cp_model.CpModel, config: SolverConfig) -> RelaxationBound:
    return linear_relaxation_bound(model, RELAXATION_SECONDS, config.workers)


def _print(figures: list[PartFigures]) -> None:
    print("| part | size | status | objective | bound | gap | seconds | relaxation bound | its seconds |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for row in figures:
        gap = "-" if row.gap is None else f"{100 * row.gap:.1f} %"
        lp = row.relaxation
        relaxation = "- | -" if lp is None else (
            f"{_number(None if lp.bound is None else lp.bound / row.relaxation_scale)} | {lp.seconds:.1f}")
        print(f"| {row.name} | {row.size} | {row.status} | {_number(row.objective)} | "
              f"{_number(row.bound)} | {gap} | {row.seconds:.1f} | {relaxation} |")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench parts", description=__doc__.split("\n")[0])
    parser.add_argument("engine", choices=("hours", "roster"))
    parser.add_argument("sample", choices=SAMPLES)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for each part")
    parser.add_argument("--hours-seconds", type=float, default=30.0,
                        help="roster: seconds for the hours the roster covers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="only the parts whose office ids (hours) or agency names "
                                       "(roster) contain this text")
    parser.add_argument("--relaxation", action="store_true",
                        help="also bound each part by its model's linear relaxation (PDLP)")
    args = parser.parse_args(argv)
    config = SolverConfig(time_limit_seconds=args.time_limit, workers=args.workers, seed=args.seed)
    if args.engine == "hours":
        figures = hours_figures(args.sample, weeks=args.weeks, config=config, only=args.only,
                                relaxation=args.relaxation)
    else:
        figures = roster_figures(args.sample, weeks=args.weeks, config=config,
                                 hours_seconds=args.hours_seconds, only=args.only,
                                 relaxation=args.relaxation)
    _print(figures)


if __name__ == "__main__":
    main(sys.argv[1:])
