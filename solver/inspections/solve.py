"""Batch planning: the engine's entry point, ``plan_batch(problem, config)``.

The greedy plan (queue order, cheapest joint slot, else the sequential fallback) seeds
CP-SAT, which then improves it under every rule. The plan that comes back names every
penalty it pays, says for each sequential inspection why no joint slot could be had, and for
each consignment left uninspected what blocked it, all against the final plan.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ortools.sat.python import cp_model

from solver.config import ProgressCallback, SolverConfig
from solver.cpsat import CpSatRun, run_cpsat
from solver.rules import Violation

from . import names, timeline
from .build import BuiltModel, add_hint, build
from .explain import Explainer, booking_conflicts, local_time
from .greedy import greedy_plan
from .kpi import kpi_report
from .problem import (
    Attendance,
    BatchSolution,
    ExistingBooking,
    InspectionProblem,
    OutOfHoursCharge,
    PlannedInspection,
    PlannedPart,
    PostSite,
    UninspectedRequest,
)
from .queue import notice_deadline_minutes
from .search import RequestPlanner
from .slots import Occupancy, SlotFinder
from .variables import ModeVars, PartVars

ENGINE = "inspections"


def plan_batch(
    problem: InspectionProblem, config: SolverConfig, on_progress: ProgressCallback | None = None
) -> BatchSolution:
    built = build(problem)
    add_hint(built, greedy_plan(problem).inspections)
    solver = cp_model.CpSolver()
    # Probing in presolve costs a week's model about ten seconds on two cores before the first
    # solution, and the proven bound here comes from the LP (see ``bounds``), not from probing.
    solver.parameters.cp_model_probing_level = 0
    run = run_cpsat(built.model, config, engine=ENGINE, on_progress=on_progress, solver=solver)
    if not run.has_solution and run.stats.status == "unknown":
        run = _greedy_run(built, config, run)
    if not run.has_solution:
        return _no_plan(problem, run)
    return _plan(problem, built, run)


def _greedy_run(built: BuiltModel, config: SolverConfig, timed_out: CpSatRun) -> CpSatRun:
    """When the time limit ends the search before its first solution, the greedy plan (the
    hint) is still a plan: evaluate it in the model, so that it comes back with its objective
    and penalties like any other."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    evaluation = SolverConfig(
        time_limit_seconds=max(5.0, config.time_limit_seconds), workers=1, seed=config.seed
    )
    run = run_cpsat(built.model, evaluation, engine=ENGINE, solver=solver)
    stats = dataclasses.replace(
        run.stats,
        status="feasible" if run.has_solution else timed_out.stats.status,
        best_bound=timed_out.stats.best_bound,
        time_limit_seconds=config.time_limit_seconds,
        workers=config.workers,
        wall_seconds=round(timed_out.stats.wall_seconds + run.stats.wall_seconds, 3),
    )
    return CpSatRun(solver=run.solver, stats=stats)


solve = plan_batch


def _plan(problem: InspectionProblem, built: BuiltModel, run: CpSatRun) -> BatchSolution:
    solver = run.solver
    site = problem.site
    drafts: list[tuple[str, ModeVars, int]] = []
    left_out: list[str] = []
    for reference, request_vars in built.vars.requests.items():
        if not solver.boolean_value(request_vars.inspected):
            left_out.append(reference)
            continue
        mode = next(m for m in request_vars.modes.values() if solver.boolean_value(m.chosen))
        drafts.append((reference, mode, solver.value(request_vars.waiting)))
    officers, bays = _members(built, solver, [mode for _, mode, _ in drafts])
    planned = [
        PlannedInspection(
            reference=reference,
            mode=mode.mode,
            parts=tuple(
                _part(site, solver, part, officers[id(part)], bays[id(part)]) for part in mode.parts
            ),
            waiting_minutes=waiting,
        )
        for reference, mode, waiting in drafts
    ]
    inspections, uninspected = _explained(problem, planned, left_out)
    violations = tuple(
        penalty.violation(amount)
        for penalty in built.penalties
        if (amount := solver.value(penalty.amount)) > 0
    )
    requests = {request.reference: request for request in problem.requests}
    assert run.stats.objective is not None
    return BatchSolution(
        status=run.stats.status,
        stats=run.stats,
        inspections=inspections,
        uninspected=uninspected,
        violations=violations,
        objective=round(run.stats.objective),
        kpis=kpi_report(requests, inspections, len(uninspected)),
    )


def _members(
    built: BuiltModel, solver: cp_model.CpSolver, modes: list[ModeVars]
) -> tuple[dict[int, tuple[Attendance, ...]], dict[int, str]]:
    """Name the officers and the bay of each part from the pools the model booked.

    The model never lets a pool hold more inspections at once than it has capacity, and the
    members of a pool of several are interchangeable with room for one each, so taking the
    inspections by start time and giving each to a member already free always succeeds.
    """
    wanted: dict[tuple[str, str], list[tuple[int, int, int, str]]] = defaultdict(list)
    for mode in modes:
        for part in mode.parts:
            start = solver.value(part.start)
            end = start + part.prepared.duration
            for agency, choices in part.officers.items():
                pool_id = next(p for p, literal in choices.items() if solver.boolean_value(literal))
                wanted[("officer", pool_id)].append((start, end, id(part), agency))
            pool_id = next(p for p, literal in part.bays.items() if solver.boolean_value(literal))
            wanted[("bay", pool_id)].append((start, end, id(part), ""))
    prepared = built.vars.prepared
    officers: dict[int, list[Attendance]] = defaultdict(list)
    bays: dict[int, str] = {}
    for (kind, pool_id), bookings in wanted.items():
        pool = (prepared.officer_pools if kind == "officer" else prepared.bay_pools)[pool_id]
        free_from = dict.fromkeys(pool.members, -1)
        for start, end, part_key, agency in sorted(bookings):
            if len(pool.members) == 1:
                member = pool.members[0]
            else:
                # The member free the latest keeps the others' free stretches long.
                member = max(
                    (m for m, free in free_from.items() if free <= start),
                    key=lambda m: (free_from[m], m),
                )
                free_from[member] = end
            if kind == "officer":
                officers[part_key].append(Attendance(agency=agency, officer_id=member))
            else:
                bays[part_key] = member
    return {
        key: tuple(sorted(found, key=lambda a: a.agency)) for key, found in officers.items()
    }, bays


def _part(
    site: PostSite,
    solver: cp_model.CpSolver,
    part: PartVars,
    officers: tuple[Attendance, ...],
    bay_id: str,
) -> PlannedPart:
    start = solver.value(part.start)
    duration = part.prepared.duration
    return PlannedPart(
        agencies=part.prepared.agencies,
        start=timeline.instant(start),
        end=timeline.instant(start + duration),
        bay_id=bay_id,
        officers=officers,
        out_of_hours=tuple(
            OutOfHoursCharge(
                agency=agency,
                fee=site.agency(agency).out_of_hours_fee(duration),
                currency=site.agency(agency).currency,
            )
            for agency, literal in part.out_of_hours.items()
            if solver.boolean_value(literal)
        ),
    )


def _explained(
    problem: InspectionProblem, planned: list[PlannedInspection], left_out: list[str]
) -> tuple[tuple[PlannedInspection, ...], tuple[UninspectedRequest, ...]]:
    """Why sequential inspections are not joint and why left-out consignments are left out,
    each against everything else the plan booked."""
    booked = {inspection.reference: inspection.as_booking() for inspection in planned}

    def blockers(reference: str) -> tuple[Violation, ...]:
        others = [b for ref, bookings in booked.items() if ref != reference for b in bookings]
        finder = SlotFinder(problem.site, Occupancy((*problem.bookings, *others)))
        request = problem.request(reference)
        low, high = problem.horizon
        planner = RequestPlanner(
            finder,
            request,
            notice=notice_deadline_minutes(problem, request),
            not_before=low,
            not_after=high,
        )
        limit = planner.max_wait if problem.site.rules.max_wait.hard else high - planner.arrival
        found = Explainer(problem.site, request).blockers(planner.joint(limit))
        if found or reference not in booked:
            return found
        return _joint_was_dearer(planner, limit, booked[reference])

    inspections = tuple(
        inspection
        if inspection.mode == "joint"
        else dataclasses.replace(inspection, joint_failure=blockers(inspection.reference))
        for inspection in planned
    )
    uninspected = tuple(
        UninspectedRequest(reference=ref, reasons=blockers(ref)) for ref in left_out
    )
    return inspections, uninspected


def _joint_was_dearer(
    planner: RequestPlanner, limit: int, sequential: tuple[ExistingBooking, ...]
) -> tuple[Violation, ...]:
    joint = planner.best_joint(limit)
    assert joint is not None, "no blocker means a joint slot exists"
    zone = planner.site.side(planner.request.facility).zone
    joint_start = local_time(timeline.minute_floor(joint.first_start), zone)
    release = local_time(timeline.minute_floor(max(b.end for b in sequential)), zone)
    return (
        Violation(
            rule=names.SEQUENCE,
            subject=planner.request.reference,
            message=(
                f"a joint slot was left only at {joint_start}, "
                f"waiting {joint.waiting_minutes} min; "
                f"one side after the other releases the consignment at {release}"
            ),
        ),
    )


def _no_plan(problem: InspectionProblem, run: CpSatRun) -> BatchSolution:
    conflicts = booking_conflicts(problem.site, problem.bookings)
    requests = {request.reference: request for request in problem.requests}
    return BatchSolution(
        status=run.stats.status,
        stats=run.stats,
        inspections=(),
        uninspected=tuple(UninspectedRequest(reference=ref, reasons=conflicts) for ref in requests),
        violations=conflicts,
        objective=None,
        kpis=kpi_report(requests, (), len(requests)),
    )
