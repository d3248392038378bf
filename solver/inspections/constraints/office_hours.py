"""Within office hours of every agency involved, or out of hours at the agency's fee (RKC 3.2).

A part must lie wholly inside the open windows of each attending agency's office. An agency
that offers out-of-hours service may serve a consignment whose trader accepts it outside
those windows; that part is then flagged out of hours for the agency and pays its fee for
every started hour, weighted by ``out_of_hours_fee_weight``. The flag is exact both ways, so
the fee in the plan is the fee the agency will charge.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names, timeline
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.OFFICE_HOURS


def add_office_hours(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    site = problem.site
    penalties = []
    for request_vars, mode, part in vars.parts():
        request = request_vars.prepared.request
        low, high_start = part.prepared.low, part.prepared.high_start
        for agency in part.prepared.agencies:
            hours = part.prepared.hours[agency]
            served_out = part.out_of_hours.get(agency)
            if served_out is None:
                part.start_within(model, hours, [mode.chosen])
                continue
            model.add_implication(served_out, mode.chosen)
            part.start_within(model, hours, [mode.chosen, served_out.negated()])
            part.start_within(model, timeline.complement(hours, low, high_start + 1), [served_out])
            rule = site.agency(agency)
            fee = rule.out_of_hours_fee(part.prepared.duration)
            penalties.append(
                Penalty(
                    rule=NAME,
                    subject=agency,
                    message=(
                        f"{request.reference}: {agency} serves out of hours "
                        f"for {fee} {rule.currency}"
                    ),
                    weight=fee * site.rules.out_of_hours_fee_weight,
                    amount=served_out,
                    day=arrival_day(site, request),
                )
            )
    return penalties
