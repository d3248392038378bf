"""Maximum wait: no consignment waits longer than its class allows (TFA 7.9 for perishables).

Waiting is the time between arrival and release during which nobody inspects the consignment.
Hard: it never exceeds the maximum (a consignment that cannot make it is left uninspected,
and the plan says why). Soft: it may, at the rule's weight per minute beyond the maximum.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.MAX_WAIT


def add_max_wait(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    enforcement = problem.site.rules.max_wait
    high = problem.horizon[1]
    penalties = []
    for request_vars in vars.requests.values():
        prepared = request_vars.prepared
        if enforcement.hard:
            model.add(request_vars.waiting <= prepared.max_wait)
            continue
        upper = max(0, high - prepared.arrival - prepared.max_wait)
        late = model.new_int_var(0, upper, f"late[{request_vars.reference}]")
        model.add_max_equality(late, [0, request_vars.waiting - prepared.max_wait])
        penalties.append(
            Penalty(
                rule=NAME,
                subject=request_vars.reference,
                message=(
                    f"{request_vars.reference} waits {{amount}} min beyond its maximum wait of "
                    f"{prepared.max_wait} min"
                ),
                weight=enforcement.weight,
                amount=late,
                day=arrival_day(problem.site, prepared.request),
            )
        )
    return penalties
