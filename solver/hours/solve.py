"""``solve(problem, config) -> HoursSolution``: the hours engine's only entry point.

The problem is split into independent parts (``solver.hours.decompose``), each solved by
CP-SAT in turn within its share of the time limit; the objectives and bounds add up. A part
stopped by the time limit has its queues settled exactly for the windows it found (a short
second solve with every opening fixed), so the objective reported is that of the windows, to
the unit, which the checker recomputes.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.config import ProgressCallback, ProgressPoint, SolverConfig, SolveStats, SolveStatus
from solver.cpsat import hint_everything, run_cpsat
from solver.hours.baseline import fallback_reference
from solver.hours.build import HoursModel, build_model
from solver.hours.checker import CheckReport, evaluate
from solver.hours.decompose import Part, parts
from solver.hours.explain import explain_infeasibility
from solver.hours.penalties import OBJECTIVE_SCALE
from solver.hours.present import windows_from_states
from solver.hours.problem import HoursProblem, HoursSolution
from solver.hours.variables import open_throughout
from solver.rules import Violation

ENGINE = "hours"

# With every opening fixed, what is left (queues and the measures of soft rules) settles in
# presolve and the first LP.
_POLISH_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class _PartResult:
    stats: SolveStats
    states: dict[str, tuple[bool, ...]]
    costs: tuple[Violation, ...]
    waiting: dict[str, float]


def solve(
    problem: HoursProblem,
    config: SolverConfig | None = None,
    on_progress: ProgressCallback | None = None,
) -> HoursSolution:
    """Plan every office's opening windows; the objective and bound are in cost units."""
    return _solve(problem, config or SolverConfig(), on_progress, share_budget=True, started=time.monotonic())


def _solve(
    problem: HoursProblem,
    config: SolverConfig,
    on_progress: ProgressCallback | None,
    *,
    share_budget: bool,
    started: float,
) -> HoursSolution:
    """``solve``, with the time limit counted from ``started``."""
    # Smallest first: what a part settles early in its share passes on to the larger ones.
    split = parts(problem, share_budget=share_budget)
    sized = sorted(((_size(piece.problem), piece) for piece in split), key=lambda pair: pair[0])
    sizes = [size for size, _ in sized]
    pieces = [piece for _, piece in sized]
    results: list[_PartResult] = []
    points: list[ProgressPoint] = []
    bounded = all(piece.bound_adds_up for piece in pieces)
    for index, piece in enumerate(pieces):
        elapsed = time.monotonic() - started
        share = (config.time_limit_seconds - elapsed) * sizes[index] / sum(sizes[index:])
        done_objective = sum(r.stats.objective or 0.0 for r in results)
        done_bound = sum(r.stats.best_bound or 0.0 for r in results)

        def report(point: ProgressPoint, offset: float = elapsed,
                   objective: float = done_objective, bound: float = done_bound) -> None:
            combined = ProgressPoint(
                seconds=round(offset + point.seconds, 3),
                objective=objective + point.objective / OBJECTIVE_SCALE,
                # Costs are never negative: zero is the bound that still holds.
                bound=bound + point.bound / OBJECTIVE_SCALE if bounded else 0.0,
            )
            points.append(combined)
            if on_progress is not None:
                on_progress(combined)

        part_config = dataclasses.replace(config, time_limit_seconds=max(share, 0.5))
        result = _solve_part(piece, part_config, report)
        if result.stats.status == "unknown":
            # Nothing found in its share, and no fallback keeps every hard rule: rather than
            # lose the whole plan, the part gets half the time limit more (an overrun).
            retry = dataclasses.replace(config, time_limit_seconds=max(share, config.time_limit_seconds / 2))
            result = _solve_part(piece, retry, report)
        if result.stats.status not in ("optimal", "feasible") and not bounded:
            # The part's share of the budget was too small for it, which says nothing of the
            # budget: the whole problem, in the time left, either keeps it or explains why not.
            return _solve(problem, config, on_progress, share_budget=False, started=started)
        if result.stats.status not in ("optimal", "feasible"):
            explanation = (
                explain_infeasibility(piece.problem, part_config)
                if result.stats.status == "infeasible" else ()
            )
            return HoursSolution(
                status=result.stats.status,
                stats=_overall(config, result.stats.status, [], started, points),
                explanation=explanation,
            )
        results.append(result)
    statuses = {result.stats.status for result in results}
    # Parts kept to shares of a budget are each optimal for their share only.
    status: SolveStatus = "optimal" if statuses == {"optimal"} and bounded else "feasible"
    stats = _overall(config, status, results, started, points)
    if not bounded:
        stats = dataclasses.replace(stats, best_bound=None)
    states = {office_id: row for result in results for office_id, row in result.states.items()}
    windows = windows_from_states(problem, states)
    evaluation = evaluate(problem, windows)
    return HoursSolution(
        status=status,
        stats=stats,
        windows=windows,
        objective=stats.objective,
        best_bound=stats.best_bound,
        costs=tuple(cost for result in results for cost in result.costs),
        changes=evaluation.changes,
        kpis=evaluation.kpis,
        model_waiting_truck_hours={
            flow_id: hours for result in results for flow_id, hours in result.waiting.items()
        },
        parts=tuple(result.stats for result in results),
    )


def _size(problem: HoursProblem) -> int:
    """How much search a part needs, roughly: its deciding slots and the slots of the queues
    they gate (a 24/7 office decides nothing, and a queue only it gates is a constant)."""
    deciding = [office for office in problem.offices if not open_throughout(problem, office)]
    if not deciding:
        return 1
    ids = {office.id for office in deciding}
    gated = sum(1 for flow in problem.flows if any(check.office_id in ids for check in flow.checks))
    return 1 + problem.plan_slots * (len(deciding) + gated)


def _new_solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    # The model's own valid inequalities are what makes its relaxation tight; loading them all
    # at the root lets the first LP reach the bound at once instead of over many cut rounds.
    solver.parameters.add_lp_constraints_lazily = False
    # Presolve walks each queue's chain of backlogs one link per fix-point loop: on a month
    # of a busy post it spent 8-10 s before the search started (and all of a polish's
    # time), then left the model little smaller than the propagation finds it at once.
    solver.parameters.cp_model_presolve = False
    return solver


def _solve_part(part: Part, config: SolverConfig, report: ProgressCallback) -> _PartResult:
    started = time.monotonic()
    reference, evaluation = fallback_reference(part.problem)
    built = build_model(part.problem, hint=reference)
    # Building the model counts against the part's share of the time limit.
    budget = dataclasses.replace(
        config, time_limit_seconds=max(config.time_limit_seconds - (time.monotonic() - started), 0.5)
    )
    run = run_cpsat(built.model, budget, engine=ENGINE, on_progress=report, solver=_new_solver())
    if run.stats.status == "optimal":
        return _searched(part, built, run.solver, run.stats, run.stats.objective)
    stats = run.stats
    if stats.status == "unknown":
        # A search stopped before its first plan has still proved a bound.
        stats = dataclasses.replace(stats, best_bound=run.solver.best_objective_bound)
    # The reference hours are where the search started, yet a search stopped early may not
    # have got back to them: whichever costs less is the part's plan.
    fallback = _costed_by_checker(part, stats, started, reference, evaluation)
    if not run.has_solution:
        return fallback
    states = built.vars.values(run.solver)
    polished = _polish(built, states, budget, run.solver)
    found = (
        _costed_by_checker(part, stats, started, states) if polished is None
        else _searched(part, built, polished[0], stats, polished[1])
    )
    if not found.states or (
        fallback.states and (fallback.stats.objective or 0) < (found.stats.objective or 0)
    ):
        return fallback
    return found


def _searched(
    part: Part, built: HoursModel, solver: cp_model.CpSolver, stats: SolveStats, objective: float | None
) -> _PartResult:
    """A part's plan as the model costs it, read from ``solver`` (the search or its polish)."""
    states = built.vars.values(solver)
    return _PartResult(
        stats=dataclasses.replace(
            stats,
            objective=None if objective is None else objective / OBJECTIVE_SCALE,
            best_bound=None if stats.best_bound is None else stats.best_bound / OBJECTIVE_SCALE,
            progress=(),
        ),
        states={office_id: states[office_id] for office_id in part.offices},
        costs=tuple(
            penalty.violation(value)
            for penalty in built.penalties
            if penalty.weight and (value := int(solver.value(penalty.expr))) != 0
        ),
        waiting={
            flow_id: sum(int(solver.value(group.waiting)) for group in groups) / OBJECTIVE_SCALE
            for flow_id, groups in built.vars.queues.items()
            # Waiting that costs nothing is not minimised, so the model's figure for it is
            # only an upper bound of the queue; the checker's replay measures it.
            if part.problem.flow(flow_id).waiting_cost_per_truck_hour
        },
    )


def _part_name(part: Part) -> str:
    return ", ".join(sorted(part.offices)) if len(part.offices) <= 4 else f"{len(part.offices)} offices"


def _costed_by_checker(
    part: Part,
    stats: SolveStats,
    started: float,
    states: dict[str, tuple[bool, ...]],
    evaluation: CheckReport | None = None,
) -> _PartResult:
    """Windows the search could not cost exactly in its time, costed by the checker's replay
    (``evaluation``, when the caller has it already).

    Two cases: the search found nothing, and the aligned reference hours (the offices' own
    hours aligned so counterparts open together) are the plan where the checker finds they
    keep every hard rule; or the search found windows but could not settle their queues
    exactly. Either way the cost is the checker's, and the search's bound, if it proved one,
    still bounds the optimum.
    """
    if evaluation is None:
        evaluation = evaluate(part.problem, windows_from_states(part.problem, states))
    if evaluation.errors:
        return _PartResult(stats=stats, states={}, costs=(), waiting={})
    costs = tuple(
        Violation(rule=rule, subject=_part_name(part), message=f"{rule}: {cost:g}", cost=cost)
        for rule, cost in sorted(evaluation.costs.items())
        if cost
    )
    return _PartResult(
        stats=dataclasses.replace(
            stats,
            status="feasible",
            objective=evaluation.objective,
            best_bound=None if stats.best_bound is None else stats.best_bound / OBJECTIVE_SCALE,
            wall_seconds=round(time.monotonic() - started, 3),
            progress=(),
        ),
        states={office_id: states[office_id] for office_id in part.offices},
        costs=costs,
        waiting={},
    )


def _polish(
    built: HoursModel,
    states: dict[str, tuple[bool, ...]],
    config: SolverConfig,
    incumbent: cp_model.CpSolver,
) -> tuple[cp_model.CpSolver, float] | None:
    """Settle queues and soft-rule measures optimally for the windows found.

    A search stopped by its time limit may leave trucks waiting that the open offices could
    have cleared; the windows are what the plan decides, so its cost is that of the best
    clearance they allow, which is what the checker's first-in-first-out replay computes.
    """
    model = built.model
    for office_id, row in states.items():
        for literal, value in zip(built.vars.open[office_id], row, strict=True):
            model.add(literal == int(value))
    hint_everything(model, incumbent)
    polish_config = dataclasses.replace(
        config, time_limit_seconds=min(_POLISH_SECONDS, config.time_limit_seconds)
    )
    run = run_cpsat(model, polish_config, engine=ENGINE, solver=_new_solver())
    if run.stats.status != "optimal" or run.stats.objective is None:
        return None
    return run.solver, run.stats.objective


def _overall(
    config: SolverConfig,
    status: SolveStatus,
    results: list[_PartResult],
    started: float,
    points: list[ProgressPoint],
) -> SolveStats:
    has_solution = status in ("optimal", "feasible")
    return SolveStats(
        engine=ENGINE,
        status=status,
        objective=sum(r.stats.objective or 0.0 for r in results) if has_solution else None,
        best_bound=sum(r.stats.best_bound or 0.0 for r in results) if has_solution else None,
        seed=config.seed,
        time_limit_seconds=config.time_limit_seconds,
        workers=config.workers,
        wall_seconds=round(time.monotonic() - started, 3),
        progress=tuple(points),
    )
