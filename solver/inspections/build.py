"""The batch model: variables, every rule family, and the objective.

The objective is the issue's: maximise the weighted number of consignments inspected and
minimise waiting (and every other penalty). It is written as the total value of all requests
minus every penalty, the uninspected consignments' forgone value being one of them, so that
each point of the objective is a named ``Penalty``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.cpsat import new_model

from . import timeline
from .bounds import add_waiting_floors
from .constraints import FAMILIES, Family
from .penalties import Penalty
from .prepare import PreparedBatch, prepare
from .problem import InspectionProblem, PlannedInspection, PlannedPart
from .variables import BatchVars, PartVars


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    vars: BatchVars
    penalties: list[Penalty]
    total_value: int


def build(
    problem: InspectionProblem,
    *,
    tighten: bool = True,
    families: Sequence[Family] = FAMILIES,
    prepared: PreparedBatch | None = None,
) -> BuiltModel:
    if prepared is None:
        prepared = prepare(problem, tighten=tighten)
    model = new_model()
    variables = BatchVars(model, problem, prepared)
    penalties = [penalty for family in families for penalty in family(model, problem, variables)]
    if tighten:
        add_waiting_floors(model, problem, variables)
    total_value = sum(p.priority.value for p in prepared.requests)
    model.maximize(
        total_value
        - cp_model.LinearExpr.weighted_sum(
            [p.amount for p in penalties], [p.weight for p in penalties]
        )
    )
    return BuiltModel(model=model, vars=variables, penalties=penalties, total_value=total_value)


def add_hint(built: BuiltModel, inspections: Iterable[PlannedInspection]) -> int:
    """Start the search from a known plan (the greedy one); returns how many it placed."""
    planned = {inspection.reference: inspection for inspection in inspections}
    hinted = 0
    for reference, request_vars in built.vars.requests.items():
        inspection = planned.get(reference)
        mode = request_vars.modes.get(inspection.mode) if inspection else None
        prepared = built.vars.prepared
        if (
            inspection is None
            or mode is None
            or not all(
                _fits(part_vars, part, prepared)
                for part_vars, part in zip(mode.parts, inspection.parts, strict=True)
            )
        ):
            built.model.add_hint(request_vars.inspected, False)
            for other in request_vars.modes.values():
                built.model.add_hint(other.chosen, False)
            continue
        built.model.add_hint(request_vars.inspected, True)
        built.model.add_hint(request_vars.waiting, inspection.waiting_minutes)
        built.model.add_hint(
            request_vars.first_start, timeline.minute_floor(inspection.first_start)
        )
        for other in request_vars.modes.values():
            built.model.add_hint(other.chosen, other is mode)
        for part_vars, part in zip(mode.parts, inspection.parts, strict=True):
            built.model.add_hint(
                part_vars.step, timeline.minute_floor(part.start) // part_vars.grid
            )
            for agency, choices in part_vars.officers.items():
                for pool_id, literal in choices.items():
                    built.model.add_hint(
                        literal,
                        pool_id == prepared.officer_pool_of.get(part.officer_for(agency) or ""),
                    )
            for pool_id, literal in part_vars.bays.items():
                built.model.add_hint(literal, pool_id == prepared.bay_pool_of.get(part.bay_id))
            charged = {charge.agency for charge in part.out_of_hours}
            for agency, literal in part_vars.out_of_hours.items():
                built.model.add_hint(literal, agency in charged)
        hinted += 1
    return hinted


def _fits(part_vars: PartVars, part: PlannedPart, prepared: PreparedBatch) -> bool:
    start = timeline.minute_floor(part.start)
    return (
        start % part_vars.grid == 0
        and timeline.contains(part_vars.domain, start)
        and prepared.bay_pool_of.get(part.bay_id) in part_vars.bays
        and all(
            prepared.officer_pool_of.get(part.officer_for(agency) or "") in choices
            for agency, choices in part_vars.officers.items()
        )
    )
