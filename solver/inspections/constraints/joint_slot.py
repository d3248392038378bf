"""Joint inspection slot: every selecting agency of both sides is there, at one bay.

For each part of the chosen mode (the one joint part, or each side's part), exactly one
qualified officer of every agency is chosen and must be on duty at the agency's office for
the whole part; exactly one bay with every capability the consignment needs is chosen and
must be open for the whole part. A consignment is inspected in exactly one mode, or not at all.
That the officers and the bay are not busy elsewhere is the no-double-booking rule.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.JOINT_SLOT


def add_joint_slot(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    for request in vars.requests.values():
        model.add(
            cp_model.LinearExpr.sum([m.chosen for m in request.modes.values()]) == request.inspected
        )
    for _, mode, part in vars.parts():
        prepared = part.prepared
        for agency, choices in part.officers.items():
            model.add(cp_model.LinearExpr.sum(list(choices.values())) == mode.chosen)
            for officer_id, chosen in choices.items():
                part.start_within(model, prepared.officer_starts[agency][officer_id], [chosen])
        model.add(cp_model.LinearExpr.sum(list(part.bays.values())) == mode.chosen)
        for bay_id, chosen in part.bays.items():
            part.start_within(model, prepared.bay_starts[bay_id], [chosen])
    return []
