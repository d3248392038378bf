"""Implied constraints that make the solver's bound honest: waiting floors.

Waiting is tied to the starts by constraints that hold only for the chosen mode, which CP-SAT's
LP relaxation cannot use, so on its own the bound it proves assumes every consignment can be
inspected the minute it arrives. A consignment arriving at night for an office that opens at
8 must wait whatever else happens; one linear inequality per request says so. These remove no
plan (each floor is the cheapest placement the request's modes allow on their own); they only
let the proven gap close.
"""

from __future__ import annotations

from collections.abc import Mapping

from ortools.sat.python import cp_model

from . import timeline
from .problem import InspectionProblem
from .timeline import Spans
from .variables import BatchVars


def add_waiting_floors(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> None:
    """Waiting (and fees) no lower than the cheapest placement each mode allows on its own."""
    site = problem.site
    for request_vars in vars.requests.values():
        prepared = request_vars.prepared
        floors = []
        for mode in request_vars.modes.values():
            last = mode.parts[-1]
            if not last.prepared.starts:
                continue
            busy_between = (len(mode.parts) - 1) * prepared.request.duration_minutes
            floors.append(
                (last.prepared.starts[0][0] - prepared.arrival - busy_between, mode.chosen)
            )
        if floors:
            model.add(
                request_vars.waiting
                >= cp_model.LinearExpr.weighted_sum([c for _, c in floors], [w for w, _ in floors])
            )
        joint = request_vars.modes.get("joint")
        if joint is None or not joint.parts[0].out_of_hours:
            continue
        # Out of hours, an earlier start costs a fee instead of waiting: the floor is the
        # cheapest of the two at every start the joint part may take.
        part = joint.parts[0]
        weight = prepared.priority.wait_weight
        fee_weight = site.rules.out_of_hours_fee_weight
        fees = {
            a: site.agency(a).out_of_hours_fee(part.prepared.duration) * fee_weight
            for a in part.out_of_hours
        }
        cheapest = min(
            weight * (start - prepared.arrival)
            + sum(
                fee
                for a, fee in fees.items()
                if not timeline.contains(part.prepared.hours[a], start)
            )
            for start in _candidate_starts(
                part.prepared.starts, part.prepared.hours, fees, part.grid
            )
        )
        model.add(
            weight * request_vars.waiting
            + cp_model.LinearExpr.weighted_sum(
                [part.out_of_hours[a] for a in fees], [fees[a] for a in fees]
            )
            >= cheapest * joint.chosen
        )


def _candidate_starts(
    starts: Spans, hours: Mapping[str, Spans], fees: Mapping[str, int], grid: int
) -> list[int]:
    """The first grid start of every stretch where the set of agencies out of hours is constant
    (the cheapest start of a stretch is its first: cost grows with waiting)."""
    cuts = sorted({edge for agency in fees for span in hours[agency] for edge in span})
    found = []
    for start, end in starts:
        edges = [start, *(c for c in cuts if start < c < end)]
        for edge in edges:
            first = -(-edge // grid) * grid
            if first < end:
                found.append(first)
    return found
