"""``solve(problem, config) -> HoursSolution``: the hours engine's only entry point.

The problem is split into independent parts (``solver.hours.decompose``), each solved by
CP-SAT in turn within its share of the time limit; the objectives and bounds add up. Each
part starts from the cheapest legal aligned hours (``solver.hours.baseline``) as a whole
plan, or, where every queue of the part waits on the same few offices, from the cheapest plan
mended from its Lagrangian relaxation (``solver.hours.lagrangian``), whose bound joins the
search's; it is improved two days at a time when it has the time (``solver.hours.rolling``),
then searched whole. A part stopped by the time limit has its plan settled exactly for the
windows it found (a short solve with every opening fixed and every queue as the checker
replays it, ``solver.hours.settle``), so the objective reported is that of the windows, to
the unit, which the checker recomputes. A staff-hour budget is shared among the parts after
they are planned without it (``solver.hours.budget``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.config import ProgressCallback, ProgressPoint, SolverConfig, SolveStats, SolveStatus
from solver.cpsat import run_cpsat
from solver.hours import names
from solver.hours.baseline import fallback_reference
from solver.hours.budget import (
    Choice,
    Option,
    allocate,
    blend,
    choice,
    leanest_reference,
    officer_slots,
)
from solver.hours.build import HoursModel, build_model
from solver.hours.checker import CheckReport, evaluate
from solver.hours.decompose import Part, parts
from solver.hours.explain import explain_infeasibility
from solver.hours.lagrangian import ROUNDS as LAGRANGIAN_ROUNDS
from solver.hours.lagrangian import applies as lagrangian_applies
from solver.hours.lagrangian import lagrangian, seconds_per_round
from solver.hours.penalties import OBJECTIVE_SCALE
from solver.hours.present import windows_from_states
from solver.hours.problem import SLOTS_PER_HOUR, HoursProblem, HoursSolution
from solver.hours.rolling import improve_by_days
from solver.hours.settle import ENGINE, new_solver, settle_hint, settled
from solver.hours.variables import open_throughout
from solver.rules import HARD, Violation

# Under a staff-hour budget: the share of the time limit the parts get without it, and the
# share of what is left that the first part searched again within its officer-hours gets.
_UNBUDGETED_SHARE = 0.7
# A part given this long spends a share of it planning again a few days at a time
# (``solver.hours.rolling``), which improves a month's plan several times faster than CP-SAT
# on the whole month; the rest goes to that search, which proves the bound. Below it, the
# whole-month search needs all the time to reach its first relaxation (Kapitan Andreevo's
# plant health and food safety: 3 s to build, 2.5 s to the first bound).
ROLLING_MIN_SECONDS = 12.0
ROLLING_SHARE = 0.5
_FIRST_SEARCH_SHARE = 0.75
# A part whose queues all wait on the same few offices first spends this share of its time on
# the Lagrangian relaxation (``solver.hours.lagrangian``): its mended solutions beat the
# aligned hours by far (Kapitan Andreevo's plant health and food safety: 5.13 M against 5.83 M
# in 4 s) and its bound CP-SAT's where opening comes in blocks. A deterministic run does a
# fixed number of rounds instead.
LAGRANGIAN_SHARE = 0.5
DETERMINISTIC_ROUNDS = 8
# Its programme counts blocks a day where this many rounds of it fit: a stronger bound and
# plans, round for round, at up to three times a round's time (the veterinary offices: a bound
# of 529,000 rather than 485,000 in 4 s), which a part with less time spends better on more
# rounds (the CITES desks: 60,000 after two rounds, 89,000 after four without).
COUNTED_ROUNDS = 3


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
    config = config or SolverConfig()
    return _solve(problem, config, _Progress(on_progress), share_budget=True, started=time.monotonic())


class _Progress:
    """The plan's progress as the sum over its parts: what the parts done so far settled plus
    the current part's search."""

    def __init__(self, on_progress: ProgressCallback | None) -> None:
        self._on_progress = on_progress
        self.points: list[ProgressPoint] = []

    def part(self, offset: float, objective: float, bound: float | None) -> ProgressCallback:
        def report(point: ProgressPoint) -> None:
            combined = ProgressPoint(
                seconds=round(offset + point.seconds, 3),
                objective=objective + point.objective / OBJECTIVE_SCALE,
                # Costs are never negative: zero is the bound that still holds.
                bound=0.0 if bound is None else bound + point.bound / OBJECTIVE_SCALE,
            )
            self.points.append(combined)
            if self._on_progress is not None:
                self._on_progress(combined)

        return report


@dataclass(frozen=True, slots=True)
class _Failed:
    """A part with no plan: what its search ended with, and the time it had."""

    status: SolveStatus
    part: Part
    config: SolverConfig


def _solve(
    problem: HoursProblem,
    config: SolverConfig,
    progress: _Progress,
    *,
    share_budget: bool,
    started: float,
) -> HoursSolution:
    """``solve``, with the time limit counted from ``started``."""
    if problem.staff_hours_budget is not None and share_budget:
        unbudgeted = dataclasses.replace(problem, staff_hours_budget=None)
        split = parts(unbudgeted)
        if len(split) > 1:
            return _solve_within_budget(problem, split, config, progress, started)
    outcome = _solve_parts(parts(problem), config, progress, started, config.time_limit_seconds)
    if isinstance(outcome, _Failed):
        explanation = (
            explain_infeasibility(outcome.part.problem, outcome.config)
            if outcome.status == "infeasible" else ()
        )
        return HoursSolution(
            status=outcome.status,
            stats=_overall(config, outcome.status, [], None, started, progress.points),
            explanation=explanation,
        )
    results = [result for _, result in outcome]
    status: SolveStatus = "optimal" if all(r.stats.status == "optimal" for r in results) else "feasible"
    return _assembled(problem, config, status, results, _bound_of(results), started, progress.points)


def _solve_parts(
    split: list[Part], config: SolverConfig, progress: _Progress, started: float, until: float
) -> list[tuple[Part, _PartResult]] | _Failed:
    """Each part in turn, within the time up to ``until`` seconds after ``started``."""
    # Smallest first: what a part settles early in its share passes on to the larger ones.
    sized = sorted(((_size(piece.problem), piece) for piece in split), key=lambda pair: pair[0])
    sizes = [size for size, _ in sized]
    results: list[tuple[Part, _PartResult]] = []
    for index, (_, piece) in enumerate(sized):
        elapsed = time.monotonic() - started
        share = (until - elapsed) * sizes[index] / sum(sizes[index:])
        done = [result for _, result in results]
        report = progress.part(elapsed, sum(r.stats.objective or 0.0 for r in done), _bound_of(done) or 0.0)
        part_config = dataclasses.replace(config, time_limit_seconds=max(share, 0.5))
        result = _solve_part(piece, part_config, report)
        if result.stats.status == "unknown":
            # Nothing found in its share, and no fallback keeps every hard rule: rather than
            # lose the whole plan, the part gets half the time limit more (an overrun).
            retry = dataclasses.replace(config, time_limit_seconds=max(share, config.time_limit_seconds / 2))
            result = _solve_part(piece, retry, report)
        if result.stats.status not in ("optimal", "feasible"):
            return _Failed(status=result.stats.status, part=piece, config=part_config)
        results.append((piece, result))
    return results


def _solve_within_budget(
    problem: HoursProblem, split: list[Part], config: SolverConfig, progress: _Progress, started: float
) -> HoursSolution:
    """Plan the parts without the budget, then share it where officer-hours save most
    (``solver.hours.budget``); the whole problem where no share can hold."""
    assert problem.staff_hours_budget is not None
    outcome = _solve_parts(split, config, progress, started, config.time_limit_seconds * _UNBUDGETED_SHARE)
    if isinstance(outcome, _Failed):
        return _solve(problem, config, progress, share_budget=False, started=started)
    results = [result for _, result in outcome]
    # The budget only removes plans: the unbudgeted bound bounds the budgeted optimum too.
    bound = _bound_of(results)
    constant = {office.id for office in problem.offices if open_throughout(problem, office)}
    constant_slots = sum(office.crew for office in problem.offices if office.id in constant) * problem.plan_slots
    available = problem.staff_hours_budget * SLOTS_PER_HOUR - constant_slots
    deciding = [(piece, result) for piece, result in outcome if not piece.offices <= constant]
    kept = [result for piece, result in outcome if piece.offices <= constant]
    used = [officer_slots(piece.problem, result.states, piece.offices) for piece, result in deciding]
    if sum(used) <= available:
        status: SolveStatus = "optimal" if all(r.stats.status == "optimal" for r in results) else "feasible"
        return _assembled(problem, config, status, results, bound, started, progress.points)
    choices: list[Choice[_PartResult]] = []
    free_by_part = [result for _, result in deciding]
    for (piece, result), slots in zip(deciding, used, strict=True):
        lean = leanest_reference(piece.problem, piece.offices)
        if lean is None:
            return _solve(problem, config, progress, share_budget=False, started=started)
        rows, report = lean.plan
        stats = dataclasses.replace(result.stats, best_bound=None)
        lean_plan = _costed_by_checker(piece, stats, time.monotonic(), rows, report)
        free = Option(plan=result, officer_slots=slots, cost=result.stats.objective or 0.0)
        choices.append(choice(Option(plan=lean_plan, officer_slots=lean.officer_slots, cost=lean.cost), free))

    def search(index: int, allowed: int) -> Option[_PartResult] | None:
        piece = deciding[index][0]
        hours = (constant_slots + allowed) // SLOTS_PER_HOUR
        if hours * SLOTS_PER_HOUR - constant_slots < choices[index].lean.officer_slots:
            return None
        budgeted = Part(
            dataclasses.replace(piece.problem, staff_hours_budget=hours, staff_budget_rule=HARD), piece.offices
        )
        left = config.time_limit_seconds - (time.monotonic() - started)
        others = sum(_size(part.problem) for part, _ in deciding if part is not piece)
        # What this search leaves unused passes on to the next part, which needs some time.
        share = left if not others else left * _FIRST_SEARCH_SHARE
        elapsed = time.monotonic() - started
        report = progress.part(elapsed, sum(c.lean.cost for i, c in enumerate(choices) if i != index), bound)
        # Start from the lean plan with the free plan's most valuable extra hours added.
        starts = blend(piece.problem, piece.offices, choices[index].lean.plan.states,
                       free_by_part[index].states, allowed)
        result = _solve_part(budgeted, dataclasses.replace(config, time_limit_seconds=max(share, 0.5)), report,
                             starts)
        if result.stats.status not in ("optimal", "feasible"):
            return None
        return Option(plan=result, officer_slots=officer_slots(piece.problem, result.states, piece.offices),
                      cost=result.stats.objective or 0.0)

    chosen = allocate(choices, available, search)
    rule = problem.staff_budget_rule
    if not rule.hard:
        # A soft budget is shared as if hard; the unbudgeted plan may still cost less with
        # what it pays for the officer-hours beyond it.
        beyond = (sum(used) - available) / SLOTS_PER_HOUR
        overrun = Violation(
            rule=names.STAFF_BUDGET, subject=problem.post, amount=beyond, cost=beyond * rule.weight,
            message=f"{beyond:g} officer-hours beyond the budget of {problem.staff_hours_budget}",
        )
        unbudgeted_cost = sum(result.stats.objective or 0.0 for _, result in deciding) + overrun.cost
        if chosen is None or unbudgeted_cost < sum(option.cost for option in chosen):
            return _assembled(problem, config, "feasible", results, bound, started, progress.points,
                              extra_costs=(overrun,))
    if chosen is None:
        return _solve(problem, config, progress, share_budget=False, started=started)
    return _assembled(
        problem, config, "feasible", [option.plan for option in chosen] + kept, bound, started, progress.points
    )


def _bound_of(results: list[_PartResult]) -> float | None:
    bounds = [result.stats.best_bound for result in results]
    return None if None in bounds else sum(b for b in bounds if b is not None)


def _assembled(
    problem: HoursProblem,
    config: SolverConfig,
    status: SolveStatus,
    results: list[_PartResult],
    bound: float | None,
    started: float,
    points: list[ProgressPoint],
    extra_costs: tuple[Violation, ...] = (),
) -> HoursSolution:
    """The plan from each part's windows, costs and statistics, and ``extra_costs`` that no
    part pays (a soft budget's overrun)."""
    stats = _overall(config, status, results, bound, started, points, extra_costs)
    states = {office_id: row for result in results for office_id, row in result.states.items()}
    windows = windows_from_states(problem, states)
    evaluation = evaluate(problem, windows)
    return HoursSolution(
        status=status,
        stats=stats,
        windows=windows,
        objective=stats.objective,
        best_bound=stats.best_bound,
        costs=tuple(cost for result in results for cost in result.costs) + extra_costs,
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


def _solve_part(
    part: Part, config: SolverConfig, report: ProgressCallback, starts: Sequence[dict[str, tuple[bool, ...]]] = ()
) -> _PartResult:
    """``starts``: openings of the part's own offices to start from and fall back on, the
    first of them that keeps every hard rule; by default the cheapest legal aligned reference.
    Where the Lagrangian relaxation applies, its best mended solution replaces the start if it
    costs less, and its bound joins the search's."""
    started = time.monotonic()
    reference, evaluation = fallback_reference(part.problem)
    for rows in starts:
        candidate = {**reference, **rows}
        report_on = evaluate(part.problem, windows_from_states(part.problem, candidate))
        if not report_on.errors:
            reference, evaluation = candidate, report_on
            break
    seconds = LAGRANGIAN_SHARE * config.time_limit_seconds
    if part.problem.staff_hours_budget is not None or not lagrangian_applies(part.problem):
        return _search_part(part, config, report, started, reference, evaluation)
    # The estimates are the same on any machine, so a deterministic run repeats its choice.
    least_rounds = DETERMINISTIC_ROUNDS if config.deterministic else 1
    count_blocks = seconds_per_round(part.problem) * max(least_rounds, COUNTED_ROUNDS) <= seconds
    # A long horizon of quarter-hour steps makes a round too slow for the time given.
    if seconds_per_round(part.problem, count_blocks=count_blocks) * least_rounds > seconds:
        return _search_part(part, config, report, started, reference, evaluation)
    relaxed = lagrangian(
        part.problem, reference, incumbent=None if evaluation.errors else evaluation.objective,
        # A deterministic run stops after a count of rounds, not a time.
        seconds=None if config.deterministic else seconds,
        rounds=DETERMINISTIC_ROUNDS if config.deterministic else LAGRANGIAN_ROUNDS,
        count_blocks=count_blocks,
    )
    if relaxed.states is not None and relaxed.report is not None and (
        evaluation.errors or relaxed.report.objective < evaluation.objective
    ):
        reference, evaluation = relaxed.states, relaxed.report
    return _with_bound(_search_part(part, config, report, started, reference, evaluation), relaxed.bound)


def _with_bound(result: _PartResult, bound: float) -> _PartResult:
    """The part's result with a bound proven another way, where it is stronger. A bound can
    only meet the plan's cost (then the plan is optimal); the cost caps it against rounding."""
    stats = result.stats
    if stats.objective is None or (stats.best_bound is not None and stats.best_bound >= bound):
        return result
    proven = bound >= stats.objective - 1e-6
    return dataclasses.replace(result, stats=dataclasses.replace(
        stats, best_bound=min(bound, stats.objective), status="optimal" if proven else stats.status,
    ))


def _search_part(
    part: Part,
    config: SolverConfig,
    report: ProgressCallback,
    started: float,
    reference: dict[str, tuple[bool, ...]],
    evaluation: CheckReport,
) -> _PartResult:
    """CP-SAT from ``reference`` (its checker's ``evaluation``), within what is left of the
    part's time since ``started``."""
    budgeted = part.problem.staff_hours_budget is not None

    def left() -> float:
        return config.time_limit_seconds - (time.monotonic() - started)

    has_time = left() >= ROLLING_MIN_SECONDS
    if not evaluation.errors and not budgeted and has_time:
        reference, evaluation = improve_by_days(
            part.problem, reference, evaluation, config, ROLLING_SHARE * left()
        )
    built = build_model(part.problem, hint=reference)
    if not evaluation.errors and (budgeted or has_time):
        # A hint of the openings alone is no plan: CP-SAT's first-plan heuristics found the
        # first one of a month of plant health's hours after 6 s (under a budget none at all).
        # With the start's queues settled, the hint is a whole plan to improve on at once. A
        # part with little time needs it all for its first relaxation instead: its start is
        # its fallback anyway.
        settle_hint(built, reference, evaluation, dataclasses.replace(config, time_limit_seconds=max(left() / 2, 0.5)))
    # Building the model counts against the part's share of the time limit.
    budget = dataclasses.replace(config, time_limit_seconds=max(left(), 0.5))
    run = run_cpsat(built.model, budget, engine=ENGINE, on_progress=report, solver=new_solver())
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
    # The polish only prices the windows found, which the checker can do too: it gets what
    # is left of the part's time, so that it does not overrun the limit by much.
    found_evaluation = evaluate(part.problem, windows_from_states(part.problem, states))
    polished = _polish(built, states, found_evaluation,
                       dataclasses.replace(config, time_limit_seconds=max(left(), 1.0)), run.solver)
    found = (
        _costed_by_checker(part, stats, started, states, found_evaluation) if polished is None
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
    evaluation: CheckReport,
    config: SolverConfig,
    incumbent: cp_model.CpSolver,
) -> tuple[cp_model.CpSolver, float] | None:
    """Settle queues and soft-rule measures optimally for the windows found.

    A search stopped by its time limit may leave trucks waiting that the open offices could
    have cleared; the windows are what the plan decides, so its cost is that of the best
    clearance they allow, which is what the checker's first-in-first-out replay computes
    (``evaluation``, its report on the windows).
    """
    if evaluation.errors:
        return None
    run = settled(built, states, evaluation, config, incumbent)
    if run.stats.status != "optimal" or run.stats.objective is None:
        return None
    return run.solver, run.stats.objective


def _overall(
    config: SolverConfig,
    status: SolveStatus,
    results: list[_PartResult],
    bound: float | None,
    started: float,
    points: list[ProgressPoint],
    extra_costs: tuple[Violation, ...] = (),
) -> SolveStats:
    has_solution = status in ("optimal", "feasible")
    paid = sum(r.stats.objective or 0.0 for r in results) + sum(cost.cost for cost in extra_costs)
    return SolveStats(
        engine=ENGINE,
        status=status,
        objective=paid if has_solution else None,
        best_bound=bound if has_solution else None,
        seed=config.seed,
        time_limit_seconds=config.time_limit_seconds,
        workers=config.workers,
        wall_seconds=round(time.monotonic() - started, 3),
        progress=tuple(points),
    )
