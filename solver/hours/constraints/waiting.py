"""Expected truck waiting, from a deterministic first-in-first-out queue per flow.

The queue. Per flow (direction and cargo category) and slot t of the grid, in hundredths of a
truck, with c the flow's capacity per slot:

    backlog[t] = max(0, backlog[t-1] + arrivals[t] - c x [every checking office open at t])

so a truck that arrives while an office it needs is closed waits until the office opens and
the queue ahead of it clears. Waiting in truck-hours is the sum of end-of-slot backlogs, a
quarter hour each: a truck cleared in the slot it arrives waits nothing, one cleared k slots
later k quarter hours (Little's law in discrete time, whatever the order; first in first out
matters only for the distribution of waits, which the checker replays).

Groups. The model chains the queue over groups rather than slots: a group is a run of at most
four slots in which every checking office keeps one state (one decision step). Over a group of
n slots with start backlog B0 and arrivals a1..an, the end backlog and the group's waiting
W = B1 + ... + Bn follow from the recursion in closed form. Closed: Bi = B0 + a1 + ... + ai.
Open, when no slot brings more trucks than the capacity (so the queue, once empty, stays
empty): Bi = max(0, B0 + a1 + ... + ai - i c), hence

    end  >= B0 + A(1..n) - n c x open
    W    >= m B0 + sum_{i<=m} A(1..i) - c x open x m(m+1)/2      for m = 1..n

and the largest right-hand side is exact. Every office gating the flow contributes its own
copy (the queue moves only when all are open). A group where some slot brings more than the
capacity, and every slot of a flow with a maximum wait (which needs each slot's backlog), is
split into single slots, where the two forms coincide with the recursion itself. Chaining
groups instead of slots keeps the chain short, which is what CP-SAT's propagation pays for.

Maximum wait: under first in first out no truck waits more than k slots exactly when the
backlog at the end of every slot is made of trucks that arrived in its last k slots,
``backlog[t] <= arrivals[t-k+1..t]``; the excess counts trucks waiting beyond the limit in
that slot, so its sum is truck-slots beyond the limit.

Valid inequalities (``_clearing_cuts``) tighten the relaxation; a flow whose every checking
office is open throughout (24/7 by a hard rule, nothing closing it) has a fixed queue, computed
here and entered into the objective as a constant.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.penalties import Penalty, per_truck_hour
from solver.hours.problem import SLOT_MINUTES, SLOTS_PER_HOUR, CargoFlow, HoursProblem, Office
from solver.hours.variables import HardRule, HoursVars, Literal, open_throughout

NAME = "Expected truck waiting and maximum wait"

# How far back the clearing inequalities reach from each decision step: with these windows
# the relaxation of the Kapitan Andreevo instance comes within 0.3 % of the optimum.
CLEARING_WINDOWS_MINUTES: tuple[int, ...] = (15, 60, 120, 180, 240, 360, 480)


@dataclass(frozen=True, slots=True)
class QueueGroup:
    """Slots [first, last] of one flow's queue in which every checking office keeps one state."""

    first: int
    last: int
    waiting: cp_model.LinearExprT
    end: cp_model.LinearExprT


def add_waiting(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for flow in problem.flows:
        offices = [problem.office(check.office_id) for check in flow.checks]
        if all(open_throughout(problem, office) for office in offices):
            groups = _fixed_queue(problem, flow, offices)
        else:
            groups = _modelled_queue(model, problem, vars, flow, offices)
            if not vars.explain:
                for office in offices:
                    if not open_throughout(problem, office):
                        _clearing_cuts(model, problem, vars, flow, office, groups)
        vars.queues[flow.id] = groups
        penalties.append(per_truck_hour(
            names.WAITING, flow.name, None, sum(group.waiting for group in groups),
            flow.waiting_cost_per_truck_hour, "trucks waiting",
        ))
        if flow.max_wait_minutes is not None:
            penalties += _max_wait(model, problem, vars, flow, groups)
    return penalties


def _states(
    problem: HoursProblem, vars: HoursVars, offices: list[Office], slot: int
) -> tuple[bool, tuple[cp_model.IntVar, ...]]:
    """Whether some checking office is surely closed at ``slot``, and the literals of those
    that decide (24/7 offices never gate)."""
    closed = False
    gates: dict[int, cp_model.IntVar] = {}
    for office in offices:
        if slot < problem.plan_slots and open_throughout(problem, office):
            continue
        state: Literal = vars.state(office.id, slot)
        if isinstance(state, int):
            closed = closed or state == 0
        else:
            gates[state.index] = state
    return closed, tuple(gates.values())


def _fixed_queue(problem: HoursProblem, flow: CargoFlow, offices: list[Office]) -> list[QueueGroup]:
    capacity = problem.capacity_centi[flow.id]
    groups, waiting = [], 0
    for slot, arriving in enumerate(problem.arrivals_centi[flow.id]):
        open_ = slot < problem.plan_slots or all(
            problem.runout_open[office.id][slot - problem.plan_slots] for office in offices
        )
        waiting = max(0, waiting + arriving - (capacity if open_ else 0))
        groups.append(QueueGroup(first=slot, last=slot, waiting=waiting, end=waiting))
    return groups


def _modelled_queue(
    model: cp_model.CpModel,
    problem: HoursProblem,
    vars: HoursVars,
    flow: CargoFlow,
    offices: list[Office],
) -> list[QueueGroup]:
    arrivals = problem.arrivals_centi[flow.id]
    capacity = problem.capacity_centi[flow.id]
    cumulative = list(accumulate(arrivals))
    single = flow.max_wait_minutes is not None
    limits = (
        _wait_limits(problem, flow) if single and flow.max_wait.hard and not vars.explain else None
    )
    groups: list[QueueGroup] = []
    previous: cp_model.LinearExprT = 0
    slot = 0
    while slot < problem.total_slots:
        closed, gates = _states(problem, vars, offices, slot)
        last = slot
        while (
            not single
            and last + 1 < problem.total_slots
            and last + 1 - slot < SLOTS_PER_HOUR
            and _states(problem, vars, offices, last + 1) == (closed, gates)
            and max(arrivals[slot : last + 2]) <= capacity
        ):
            last += 1
        if max(arrivals[slot : last + 1]) > capacity:
            last = slot
        group = _group(model, flow, slot, last, previous, arrivals, cumulative, capacity,
                       closed, gates, limits)
        groups.append(group)
        previous = group.end
        slot = last + 1
    return groups


def _group(
    model: cp_model.CpModel,
    flow: CargoFlow,
    first: int,
    last: int,
    before: cp_model.LinearExprT,
    arrivals: tuple[int, ...],
    cumulative: list[int],
    capacity: int,
    closed: bool,
    gates: tuple[cp_model.IntVar, ...],
    limits: list[int] | None,
) -> QueueGroup:
    size = last - first + 1
    running = list(accumulate(arrivals[first : last + 1]))  # A(1..i)
    upper = cumulative[last] if limits is None else min(cumulative[last], limits[last])
    end = model.new_int_var(0, upper, f"backlog[{flow.id}][{last}]")
    waiting: cp_model.IntVar = end
    if size > 1:
        waiting = model.new_int_var(
            0, sum(cumulative[first : last + 1]), f"waiting[{flow.id}][{first}..{last}]"
        )
    # A closed group, or one whose every checking office is open for sure, is one line each.
    openings: tuple[cp_model.LinearExprT, ...] = (0,) if closed else (gates or (1,))
    for opening in openings:
        model.add(end >= before + running[-1] - size * capacity * opening)
        if size > 1:
            for m in range(1, size + 1):
                model.add(
                    waiting
                    >= m * before + sum(running[:m]) - capacity * (m * (m + 1) // 2) * opening
                )
    return QueueGroup(first=first, last=last, waiting=waiting, end=end)


def _clearing_cuts(
    model: cp_model.CpModel,
    problem: HoursProblem,
    vars: HoursVars,
    flow: CargoFlow,
    office: Office,
    groups: list[QueueGroup],
) -> None:
    """Valid inequalities that stop the relaxation from clearing trucks through an office
    that is open a fraction of a step, or open twice in one block.

    A truck arriving in slot u is cleared by the end of slot t only if the office is open at
    u or a block of it starts in (u, t]. So over slots s..t, whatever the capacity,

        backlog[t] >= sum_u arrivals[u] x (1 - open[u] - sum_{tau in (u, t]} start[tau]),

    which every plan satisfies. They are summed over each decision step of the office (its
    slots share one literal, and the sum bounds the queue groups that make up the step),
    for windows reaching ``CLEARING_WINDOWS_MINUTES`` back to the start of a step.
    """
    arrivals = problem.arrivals_centi[flow.id]
    row = vars.open[office.id]
    starts, _ = vars.transitions(office.id)
    prefix = [0, *accumulate(arrivals[: problem.plan_slots])]
    steps: list[tuple[int, int]] = []
    for t in range(problem.plan_slots):
        if t and row[t].index == row[t - 1].index:
            steps[-1] = (steps[-1][0], t)
        else:
            steps.append((t, t))
    step_of = [0] * problem.plan_slots
    for number, (first, last) in enumerate(steps):
        for t in range(first, last + 1):
            step_of[t] = number
    # A step's own queue groups: groups are contiguous and in slot order.
    group_firsts = [group.first for group in groups]
    waiting_within: dict[int, list[cp_model.LinearExprT]] = {}
    for number, (first, last) in enumerate(steps):
        within = waiting_within[number] = []
        index = bisect_left(group_firsts, first)
        while index < len(groups) and groups[index].first <= last:
            if groups[index].last <= last:
                within.append(groups[index].waiting)
            index += 1
    for number, (first, last) in enumerate(steps):
        size = last - first + 1
        # Arrivals in the step itself, each counted for the slots of the step from its own on.
        own = sum(arrivals[u] * (last - u + 1) for u in range(first, last + 1))
        arrived = sum(prefix[first + 1 : last + 2])
        waiting = sum(waiting_within[number])
        previous = -1
        for minutes in CLEARING_WINDOWS_MINUTES:
            earliest = step_of[max(0, first - minutes // SLOT_MINUTES + 1)]
            s = steps[earliest][0]
            if s == previous:
                continue
            previous = s
            total = arrived - size * prefix[s]
            if total == 0:
                continue
            # Slots of one step share their open literal, and a block can start only at a
            # step's first slot: one term per step of each kind (the literals are distinct).
            literals: list[cp_model.IntVar] = []
            weights: list[int] = []
            for k in range(earliest, number + 1):
                step_first, step_last = steps[k]
                terms = [(row[step_first], own if k == number
                          else (prefix[step_last + 1] - prefix[step_first]) * size)]
                if step_first > s:
                    terms.append((starts[step_first], (prefix[step_first] - prefix[s]) * size))
                for literal, weight in terms:
                    if weight and not isinstance(literal, int):
                        literals.append(literal)
                        weights.append(weight)
            model.add(waiting + cp_model.LinearExpr.weighted_sum(literals, weights) >= total)


def _wait_limits(problem: HoursProblem, flow: CargoFlow) -> list[int]:
    """Most trucks that may still wait at the end of each slot: those of its last k slots."""
    assert flow.max_wait_minutes is not None
    length = flow.max_wait_minutes // SLOT_MINUTES
    arrivals = problem.arrivals_centi[flow.id]
    window, limits = 0, []
    for slot, arriving in enumerate(arrivals):
        window += arriving
        if slot >= length:
            window -= arrivals[slot - length]
        limits.append(window)
    return limits


def _max_wait(
    model: cp_model.CpModel,
    problem: HoursProblem,
    vars: HoursVars,
    flow: CargoFlow,
    groups: list[QueueGroup],
) -> list[Penalty]:
    """On single-slot groups: each slot's backlog against the trucks of its last k slots."""
    limits = _wait_limits(problem, flow)
    cumulative = list(accumulate(problem.arrivals_centi[flow.id]))
    rule = HardRule(names.MAX_WAIT, flow.name, None,
                    f"no truck of {flow.name} waits more than {flow.max_wait_minutes} minutes")
    excesses: list[cp_model.LinearExprT] = []
    for group in groups:
        slot, waiting, limit = group.last, group.end, limits[group.last]
        if isinstance(waiting, int):
            if waiting <= limit:
                continue
            if flow.max_wait.hard:
                vars.require(model.add_bool_or([]), rule)
            else:
                excesses.append(waiting - limit)
            continue
        if flow.max_wait.hard:
            if vars.explain:
                vars.require(model.add(waiting <= limit), rule)
            continue
        if cumulative[slot] <= limit:
            continue
        excess = model.new_int_var(0, cumulative[slot] - limit, f"beyond_max_wait[{flow.id}][{slot}]")
        model.add(waiting - limit <= excess)
        excesses.append(excess)
    if not excesses:
        return []
    return [per_truck_hour(names.MAX_WAIT, flow.name, None, sum(excesses), flow.max_wait.weight,
                           f"trucks waiting beyond {flow.max_wait_minutes} minutes")]
