"""Notice periods: no agency inspects before its pre-notification period has run out.

Each agency's deadline was counted in its own working days, calendar and zone when the
problem was prepared (one working day for a CHED, 4 h under the derogation, 48 h for a
wildlife notice). Hard: a part starts no earlier than the deadlines of the agencies attending
it. Soft: it may, at the rule's weight per minute short of each deadline.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.NOTICE


def add_notice(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    enforcement = problem.site.rules.notice
    penalties = []
    for request_vars, mode, part in vars.parts():
        request = request_vars.prepared.request
        for agency, deadline in part.prepared.notice.items():
            if enforcement.hard:
                model.add(part.start >= deadline).only_enforce_if(mode.chosen)
                continue
            if deadline <= part.prepared.low:
                continue
            gap = deadline - part.prepared.low
            short = model.new_int_var(
                0, gap, f"notice_short[{request.reference},{agency},{mode.mode}]"
            )
            raw = model.new_int_var(0, gap, f"notice_gap[{request.reference},{agency},{mode.mode}]")
            model.add_max_equality(raw, [0, deadline - part.start])
            model.add(short == raw).only_enforce_if(mode.chosen)
            model.add(short == 0).only_enforce_if(mode.chosen.negated())
            penalties.append(
                Penalty(
                    rule=NAME,
                    subject=agency,
                    message=(
                        f"{request.reference}: {agency} inspects {{amount}} min "
                        "before its notice period ends"
                    ),
                    weight=enforcement.weight,
                    amount=short,
                    day=arrival_day(problem.site, request),
                )
            )
    return penalties
