"""Split an hours problem into parts that no rule connects, and solve them one by one.

Offices that are open 24/7 by a hard rule with nothing able to close them are constants. The
others are linked when a rule spans them: counterparts with joint controls or correlated
hours, the checking offices of one flow (its queue moves only when all are open), a flow's
checking offices and its lead customs office under a dependency rule. Each connected group
becomes a part: its offices and the flows they check, plus every constant office (open
throughout, at no cost there). A last part holds the constant offices' own costs and the
flows only they check.

Every cost term of the objective belongs to exactly one part, so the parts' optima add up to
the optimum of the whole and their bounds to a bound of it: the split loses nothing and lets
each part be proven on its own.

A staff-hour budget spans every office, so a budgeted problem is one part; how the solver
shares a budget among the parts of the same problem without it is ``solver.hours.budget``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from solver.hours.problem import HoursProblem, Office, StaffingCapacity
from solver.hours.variables import open_throughout
from solver.ids import Groups


@dataclass(frozen=True, slots=True)
class Part:
    """A problem of its own, and the offices whose windows and costs it decides."""

    problem: HoursProblem
    offices: frozenset[str]


def parts(problem: HoursProblem) -> list[Part]:
    """The independent parts of ``problem``; the constant part comes last. A problem with a
    staff-hour budget stays whole."""
    constant = {o.id for o in problem.offices if open_throughout(problem, o)}
    deciding = [o.id for o in problem.offices if o.id not in constant]
    whole = [Part(problem, frozenset(o.id for o in problem.offices))]
    if not deciding or not constant and len(deciding) == 1 or problem.staff_hours_budget is not None:
        return whole
    groups = _connected(problem, deciding, constant)
    result = [
        Part(_part(problem, members, constant, keep_constant_costs=False), frozenset(members))
        for members in groups
    ]
    if constant:
        result.append(Part(_part(problem, set(), constant, keep_constant_costs=True), frozenset(constant)))
    # A part's grid runs from the earliest local midnight of its own offices' zones; where
    # that is not the whole problem's grid, its slots would not line up with the plan's.
    if any(part.problem.grid_start != problem.grid_start or part.problem.plan_end != problem.plan_end
           for part in result):
        return whole
    return result


def _offices_deciding(flow_ids: list[str], lead: str | None, constant: set[str]) -> set[str]:
    return {office_id for office_id in [*flow_ids, *([lead] if lead else [])] if office_id not in constant}


def _flow_offices(problem: HoursProblem, constant: set[str]) -> dict[str, set[str]]:
    """Per flow, the offices that decide its queue or its dependency rule."""
    return {
        flow.id: _offices_deciding(
            [check.office_id for check in flow.checks],
            flow.lead_office_id if flow.dependency is not None else None,
            constant,
        )
        for flow in problem.flows
    }


def _connected(problem: HoursProblem, deciding: list[str], constant: set[str]) -> list[set[str]]:
    linked = Groups(deciding)

    def link(ids: Iterator[str]) -> None:
        linked.join(office_id for office_id in ids if office_id not in constant)

    for first, second in problem.counterpart_pairs():
        rule = problem.correlation_of(first, second)
        if first.joint_controls or (rule and (rule.min_share_percent or rule.min_overlap_minutes)):
            link(iter((first.id, second.id)))
    for ids in _flow_offices(problem, constant).values():
        link(iter(sorted(ids)))
    return sorted(linked.groups(), key=lambda group: min(group))


def _part(
    problem: HoursProblem, members: set[str], constant: set[str], *, keep_constant_costs: bool
) -> HoursProblem:
    included = members | constant
    offices = tuple(
        _within(office, included, free=office.id in constant and not keep_constant_costs)
        for office in problem.offices
        if office.id in included
    )
    deciding = _flow_offices(problem, constant)
    if keep_constant_costs:
        flows = tuple(f for f in problem.flows if not deciding[f.id])
        published = tuple(p for p in problem.published if p.office_id in constant)
    else:
        flows = tuple(f for f in problem.flows if deciding[f.id] & members)
        published = tuple(p for p in problem.published if p.office_id in members)
    # Crews are shared among the flows an office checks; a part sees only some of those
    # flows, so each check keeps the clearance rate the whole problem gave it.
    flows = tuple(
        dataclasses.replace(flow, checks=tuple(
            check if check.throughput_per_hour is not None or not check.officer_minutes_per_truck
            else dataclasses.replace(check, throughput_per_hour=(
                problem.check_officers[flow.id, check.office_id] * 60 / check.officer_minutes_per_truck
            ))
            for check in flow.checks
        ))
        for flow in flows
    )
    closures = tuple(
        dataclasses.replace(closure, office_ids=tuple(i for i in closure.office_ids if i in included))
        for closure in problem.neighbour_closures
        if not closure.office_ids or set(closure.office_ids) & included
    )
    return dataclasses.replace(
        problem, offices=offices, flows=flows, published=published, neighbour_closures=closures,
        staff_hours_budget=None,
    )


def _within(office: Office, included: set[str], *, free: bool) -> Office:
    """The office as a part sees it: links to offices outside the part dropped (no rule of
    the part spans them), and a constant office's costs (staff hours, premium, staffing
    capacity) left to the constant part."""
    changes: dict[str, object] = {}
    if office.counterpart_id is not None and office.counterpart_id not in included:
        changes.update(counterpart_id=None, joint_controls=False, correlation=None)
    if free:
        # Open throughout, it can break its staffing capacity only by a constant amount.
        changes.update(officer_hour_cost=0, out_of_hours_premium=0, staffing=StaffingCapacity())
    return dataclasses.replace(office, **changes) if changes else office
