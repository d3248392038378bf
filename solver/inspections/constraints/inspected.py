"""Consignments inspected: each is worth its priority class's value when it is inspected.

The model maximises the value of the consignments inspected minus every penalty; a
consignment left out forgoes its value, which is how the plan reports it.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.INSPECTED


def add_inspected(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    return [
        Penalty(
            rule=NAME,
            subject=request_vars.reference,
            message=(
                f"{request_vars.reference} ({request_vars.prepared.priority.name}) is not inspected"
            ),
            weight=request_vars.prepared.priority.value,
            amount=1 - request_vars.inspected,
            day=arrival_day(problem.site, request_vars.prepared.request),
        )
        for request_vars in vars.requests.values()
    ]
