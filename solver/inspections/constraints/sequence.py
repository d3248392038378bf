"""Exit controls before entry controls, when a joint slot cannot be had.

The fallback to a joint inspection is sequential: the exit country's agencies finish before
the entry country's begin (UK SI 1994/1405 and the juxtaposed-control treaties), or the
reverse where the two administrations allow reversal of controls for the consignment. Joint
is preferred (RKC 3.35), so each sequential inspection costs ``sequential_weight``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..names import SEQUENTIAL_MODES
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.SEQUENCE


def add_sequence(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    rules = problem.site.rules
    penalties = []
    for request_vars in vars.requests.values():
        request = request_vars.prepared.request
        for mode_name in SEQUENTIAL_MODES:
            mode = request_vars.modes.get(mode_name)
            if mode is None:
                continue
            if mode_name == "entry_first" and not request.reversal_allowed:
                model.add(mode.chosen == 0)
                continue
            first, second = mode.parts
            model.add(second.start >= first.start + request.duration_minutes).only_enforce_if(
                mode.chosen
            )
            order = (
                "exit side first" if mode_name == "exit_first" else "entry side first (reversal)"
            )
            penalties.append(
                Penalty(
                    rule=NAME,
                    subject=request.reference,
                    message=f"{request.reference} is inspected one side after the other, {order}",
                    weight=rules.sequential_weight,
                    amount=mode.chosen,
                    day=arrival_day(problem.site, request),
                )
            )
    return penalties
