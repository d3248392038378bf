"""An agency whose checks a cargo category needs is open whenever customs handles that
category (plant health for produce, veterinary for livestock). Without this rule the cargo
simply waits (the waiting family prices that); with it, hard or soft per hour customs is
open while a needed office is closed."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.penalties import Penalty, per_hour
from solver.hours.problem import HoursProblem
from solver.hours.variables import HardRule, HoursVars

NAME = "Agencies a category needs open with customs"


def add_dependency(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for flow in problem.flows:
        if flow.dependency is None or flow.lead_office_id is None:
            continue
        lead = problem.office(flow.lead_office_id)
        for check in flow.checks:
            if check.office_id == lead.id:
                continue
            needed = problem.office(check.office_id)
            subject = f"{needed.name} for {flow.name}"
            missing = []
            for lead_open, needed_open in zip(vars.open[lead.id], vars.open[needed.id], strict=True):
                if lead_open.index == needed_open.index:
                    continue
                if flow.dependency.hard:
                    vars.require(
                        model.add_implication(lead_open, needed_open),
                        HardRule(names.DEPENDENCY, subject, None,
                                 f"{needed.name} is open whenever {lead.name} handles {flow.name}"),
                    )
                else:
                    gap = model.new_bool_var(f"dependency_gap[{flow.id}][{needed.id}][{len(missing)}]")
                    model.add(lead_open - needed_open <= gap)
                    missing.append(gap)
            if missing:
                penalties.append(per_hour(names.DEPENDENCY, subject, None, sum(missing),
                                          flow.dependency.weight,
                                          f"closed while {lead.name} handles {flow.name}"))
    return penalties
