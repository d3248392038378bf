"""List-scheduling plans: the CP-SAT model's starting point, and the uncoordinated baseline.

``greedy_plan`` takes consignments in queue order (priority classes and quotas) and gives each
the cheapest joint slot left, else the sequential fallback; CP-SAT starts from it (a hint), so
even a short solve never returns less than this plan.

``uncoordinated_plan`` reproduces how a post works without coordination: first come, first
served, and every selecting agency inspects on its own, one after another (exit side first,
as the law wants), each unloading the truck again. It is the baseline the joint plan is
measured against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from solver.rules import Violation

from . import timeline
from .explain import Explainer
from .kpi import kpi_report
from .problem import (
    InspectionProblem,
    InspectionRequest,
    KpiReport,
    PlannedInspection,
    PlannedPart,
    UninspectedRequest,
)
from .queue import notice_deadline_minutes, planning_order
from .search import RequestPlanner
from .slots import Occupancy, SlotFinder


@dataclass(frozen=True, slots=True, kw_only=True)
class ListPlan:
    inspections: tuple[PlannedInspection, ...]
    uninspected: tuple[UninspectedRequest, ...]
    kpis: KpiReport


def _plan(
    problem: InspectionProblem,
    inspections: list[PlannedInspection],
    uninspected: list[UninspectedRequest],
) -> ListPlan:
    requests = {request.reference: request for request in problem.requests}
    return ListPlan(
        inspections=tuple(inspections),
        uninspected=tuple(uninspected),
        kpis=kpi_report(requests, inspections, len(uninspected)),
    )


def greedy_plan(problem: InspectionProblem) -> ListPlan:
    site = problem.site
    finder = SlotFinder(site, Occupancy(problem.bookings))
    low, high = problem.horizon
    inspections: list[PlannedInspection] = []
    uninspected: list[UninspectedRequest] = []
    for request in planning_order(problem):
        planner = RequestPlanner(
            finder,
            request,
            notice=notice_deadline_minutes(problem, request),
            not_before=low,
            not_after=high,
        )
        inspection, reasons = _plan_one(
            planner, soft_max_wait=not site.rules.max_wait.hard, horizon_end=high
        )
        if inspection is None:
            uninspected.append(UninspectedRequest(reference=request.reference, reasons=reasons))
            continue
        for part in inspection.parts:
            finder.occupancy.book(part)
        inspections.append(inspection)
    return _plan(problem, inspections, uninspected)


def _plan_one(
    planner: RequestPlanner, *, soft_max_wait: bool, horizon_end: int
) -> tuple[PlannedInspection | None, tuple[Violation, ...]]:
    joint = planner.best_joint(planner.max_wait)
    if joint is not None:
        return joint, ()
    explainer = Explainer(planner.site, planner.request)
    blockers = explainer.blockers(planner.joint(planner.max_wait))
    sequential = planner.best_sequential(planner.max_wait, joint_failure=blockers)
    if sequential is not None:
        return sequential, ()
    if not soft_max_wait:
        return None, blockers
    unlimited = horizon_end - planner.arrival
    late_options = [
        option
        for option in (
            planner.best_joint(unlimited),
            planner.best_sequential(unlimited, joint_failure=blockers),
        )
        if option is not None
    ]
    if not late_options:
        return None, explainer.blockers(planner.joint(unlimited))
    return min(late_options, key=lambda option: _late_cost(planner, option)), ()


def _late_cost(planner: RequestPlanner, inspection: PlannedInspection) -> int:
    rules = planner.rules
    late = max(0, inspection.waiting_minutes - planner.max_wait)
    sequential = rules.sequential_weight if inspection.mode != "joint" else 0
    fee = sum(inspection.fees.values())
    return (
        planner.score(inspection.waiting_minutes, fee) + rules.max_wait.weight * late + sequential
    )


def uncoordinated_plan(problem: InspectionProblem) -> ListPlan:
    """First come, first served, every agency separately; exit side before entry side."""
    site = problem.site
    finder = SlotFinder(site, Occupancy(problem.bookings))
    low, high = problem.horizon
    inspections: list[PlannedInspection] = []
    uninspected: list[UninspectedRequest] = []
    for request in sorted(problem.requests, key=lambda r: (r.expected_arrival, r.reference)):
        notice = notice_deadline_minutes(problem, request)
        parts = _separate_parts(finder, request, notice, max(low, request.arrival_minute), high)
        if parts is None:
            uninspected.append(UninspectedRequest(reference=request.reference, reasons=()))
            continue
        for part in parts:
            finder.occupancy.book(part)
        busy = len(parts) * request.duration_minutes
        release = timeline.minute_floor(parts[-1].end)
        inspections.append(
            PlannedInspection(
                reference=request.reference,
                mode="separate",
                parts=tuple(parts),
                waiting_minutes=release - request.arrival_minute - busy,
            )
        )
    return _plan(problem, inspections, uninspected)


def _separate_parts(
    finder: SlotFinder, request: InspectionRequest, notice: Mapping[str, int], low: int, high: int
) -> list[PlannedPart] | None:
    parts: list[PlannedPart] = []
    cursor = low
    for side in (request.exit_side, request.entry_side):
        remaining = set(finder.site.agencies_on(request, side))
        while remaining:
            # The truck goes to whichever of the side's agencies can take it first.
            options = []
            for agency in sorted(remaining):
                search = finder.search(
                    request,
                    (agency,),
                    low=cursor,
                    high_start=high - request.duration_minutes,
                    notice={agency: notice[agency]},
                    out_of_hours=finder.out_of_hours_agencies(request, (agency,)),
                )
                if search.feasible:
                    options.append((search.feasible[0][0], agency, search))
            if not options:
                return None
            start, agency, search = min(options, key=lambda option: option[:2])
            parts.append(finder.place(request, search, start))
            cursor = start + request.duration_minutes
            remaining.remove(agency)
    return parts
