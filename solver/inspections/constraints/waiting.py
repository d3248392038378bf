"""Waiting from arrival: every minute a consignment waits costs its class's wait weight.

This is the term that makes a plan fast: perishables and live animals weigh more per minute,
so they go first when officers or bays are scarce.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.WAITING


def add_waiting(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    penalties = []
    for request_vars in vars.requests.values():
        prepared = request_vars.prepared
        if prepared.priority.wait_weight == 0:
            continue
        penalties.append(
            Penalty(
                rule=NAME,
                subject=request_vars.reference,
                message=(
                    f"{request_vars.reference} waits {{amount}} min between arrival and release"
                ),
                weight=prepared.priority.wait_weight,
                amount=request_vars.waiting,
                day=arrival_day(problem.site, prepared.request),
            )
        )
    return penalties
