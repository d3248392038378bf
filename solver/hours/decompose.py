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

A staff-hour budget spans every office. Left whole, a month of a busy post is too big to
search; so the budget is shared among the parts. Each part first gets what the reference hours
it can fall back on use, so that it has a plan within its share; the rest goes in proportion to
the officer-hours of the parts' own reference hours; the constant offices' hours count once.
The plan keeps the whole budget, but a part kept to its share may cost more than the whole
problem would, so the parts' bounds no longer add up to a bound and none is claimed
(``Part.bound_adds_up``). Where a share proves too small for its part, the solver goes back to
the whole problem (``share_budget=False``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from solver.hours.baseline import legal_references
from solver.hours.problem import SLOTS_PER_HOUR, HoursProblem, Office
from solver.hours.variables import open_throughout
from solver.ids import Groups


@dataclass(frozen=True, slots=True)
class Part:
    """A problem of its own, and the offices whose windows and costs it decides."""

    problem: HoursProblem
    offices: frozenset[str]
    # False when a staff-hour budget was shared among the parts: each part's bound is then
    # that of its share, not a bound of the whole problem.
    bound_adds_up: bool = True


def parts(problem: HoursProblem, *, share_budget: bool = True) -> list[Part]:
    """The independent parts of ``problem``; the constant part comes last. A problem with a
    staff-hour budget stays whole unless ``share_budget``."""
    constant = {o.id for o in problem.offices if open_throughout(problem, o)}
    deciding = [o.id for o in problem.offices if o.id not in constant]
    whole = [Part(problem, frozenset(o.id for o in problem.offices))]
    if not deciding or not constant and len(deciding) == 1 or (
        problem.staff_hours_budget is not None and not share_budget
    ):
        return whole
    groups = _connected(problem, deciding, constant)
    pieces = [_part(problem, members, constant, keep_constant_costs=False) for members in groups]
    budgets = _shared_budget(problem, pieces, constant)
    if budgets is None:
        # A budget the constant offices alone exceed: the whole problem explains it.
        return whole
    shared = problem.staff_hours_budget is not None and len(groups) > 1
    result = [
        Part(piece if budget is None else dataclasses.replace(piece, staff_hours_budget=budget),
             frozenset(members), bound_adds_up=not shared)
        for piece, members, budget in zip(pieces, groups, budgets, strict=True)
    ]
    if constant:
        result.append(Part(_part(problem, set(), constant, keep_constant_costs=True), frozenset(constant),
                           bound_adds_up=not shared))
    # A part's grid runs from the earliest local midnight of its own offices' zones; where
    # that is not the whole problem's grid, its slots would not line up with the plan's.
    if any(part.problem.grid_start != problem.grid_start or part.problem.plan_end != problem.plan_end
           for part in result):
        return whole
    return result


def _shared_budget(
    problem: HoursProblem, pieces: list[HoursProblem], constant: set[str]
) -> list[int | None] | None:
    """Each part's staff-hour budget, counting the constant offices every part includes:
    ``None`` for each when the problem has no budget, ``None`` overall when the constant
    offices alone are over it.

    Each part first gets the officer-hours of the reference hours it can fall back on (so
    that every part has a plan within its share when the budget allows one), then the rest
    in proportion to its offices' reference hours."""
    if problem.staff_hours_budget is None:
        return [None] * len(pieces)
    slots = problem.plan_slots
    crews = {office.id: office.crew for office in problem.offices}
    constant_slots = sum(crews[office_id] for office_id in constant) * slots
    available = problem.staff_hours_budget * SLOTS_PER_HOUR - constant_slots
    if available < 0:
        return None

    def officer_slots(piece: HoursProblem, rows: dict[str, tuple[bool, ...]]) -> int:
        return sum(crews[o.id] * sum(rows[o.id][:slots]) for o in piece.offices if o.id not in constant)

    weights = [officer_slots(piece, piece.reference_open) for piece in pieces]
    if not any(weights):
        weights = [1] * len(pieces)
    total = sum(weights)
    floors = [
        min((officer_slots(piece, rows) for rows, _ in legal_references(piece)), default=None)
        for piece in pieces
    ]
    if None not in floors:
        # Whole hours, rounded up, so that each part's fallback fits its share.
        first = [-(-(floor + constant_slots) // SLOTS_PER_HOUR) for floor in floors if floor is not None]
        spare = available - sum(hours * SLOTS_PER_HOUR - constant_slots for hours in first)
        if spare >= 0:
            return [hours + spare * weight // total // SLOTS_PER_HOUR
                    for hours, weight in zip(first, weights, strict=True)]
    # Rounded down, so that the shares never add up to more than the budget.
    return [(available * weight // total + constant_slots) // SLOTS_PER_HOUR for weight in weights]


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
    the part spans them), and a constant office's costs left to the constant part."""
    changes: dict[str, object] = {}
    if office.counterpart_id is not None and office.counterpart_id not in included:
        changes.update(counterpart_id=None, joint_controls=False, correlation=None)
    if free:
        changes.update(officer_hour_cost=0, out_of_hours_premium=0)
    return dataclasses.replace(office, **changes) if changes else office
