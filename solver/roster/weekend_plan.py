"""Which weekends each officer works, planned for all officers at once where weekends are scarce.

Where officers may work only so many weekends and the weekend days demanded come close to what
those limits let them staff (``construct.weekends_scarce``), who works which weekend decides
most of what the roster leaves short, and it is a choice no officer can make alone: a weekend
one officer takes is one another need not. The roster built officer by officer settles it
greedily, and badly where demand grows over the horizon: each officer spends their allowance
on whichever weekends are short when their turn comes, the early ones as gladly as the late,
and the last weekends find every allowance spent (Instance 24 at 600 s: 924 officers missing
on weekends, 231 of them on the last two, where the officers' limits would staff all but 62).

So the weekends are planned first, as a min-cost flow of officer-weekends (``flow_plan``): each
officer with a limit gives at most that many weekends, each weekend they can work whole, to
the weekends that save most with one more officer, the weekend's requests pricing each
officer's arc. The flow settles how many officers each weekend gets and whom, exactly and in
a fraction of a second, and leaves shift types, skills and every rule across the weekdays to
the construction, which builds each officer's roster around the weekends the plan gives them.
Only parts searched by windows ask for a plan: elsewhere the construction has too little time
to build rosters around it (Instance 22, searched whole: the construction's first pass took
455 s of its 30 s, each officer's model held to the plan being slow to solve).

Instance 23 at 600 s, seed 1, the same day: 24,445 against 26,667 with the CP-SAT plan of the
weekend days this replaced (which needed 30 % of the construction's time and could not plan
Instance 24 at all); Instance 24: 94,588 against 151,067 without a plan.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from solver.roster.constraints.weekends import weekends
from solver.roster.model import RosterModel
from solver.roster.problem import Officer, RosterProblem

# A hard rule's weight in the plan: far above any soft one; and an arc's capacity without
# a limit.
_HARD_WISH = 1_000_000
_UNLIMITED = 1_000_000


def limited_weekdays(problem: RosterProblem) -> frozenset[int]:
    """The weekdays (Monday 0) of the weekends of officers with a weekend limit."""
    return frozenset().union(*(o.rules.weekend_days for o in problem.officers
                               if o.rules.max_weekends is not None))


def work_weekends_whole(built: RosterModel, officer: Officer) -> None:
    """The officer works each weekend of the horizon on all its days or on none (officers
    without a weekend limit are left free)."""
    if officer.rules.max_weekends is None:
        return
    for group in weekends(built.problem, officer):
        days = [built.vars.works(officer.id, index) for index in group if index >= 0]
        for one, other in itertools.pairwise(days):
            if not (isinstance(one, int) and isinstance(other, int)):
                built.model.add(one == other)


def keep_to_plan(built: RosterModel, officer: Officer, planned: frozenset[int]) -> None:
    """The officer works the weekend days the plan gives them, and no other: left free to
    choose, an officer serves a weekday as gladly as a weekend day, and the weekends the plan
    counted on go short (Instance 12: 99 officers missing against the plan's 40)."""
    for group in weekends(built.problem, officer):
        for index in group:
            if index < 0:
                continue  # history: already worked or not
            day = built.vars.works(officer.id, index)
            if not isinstance(day, int):
                built.model.add(day == int(index in planned))


def flow_plan(problem: RosterProblem,
              available: Callable[[Officer, int], bool]) -> dict[str, frozenset[int]]:
    """Who works which weekend, whole, as a min-cost flow of officer-weekends: each officer
    with a limit gives at most that many weekends to the weekends they are ``available`` on
    every day of, and each weekend's n-th officer is worth what one more officer saves on each
    of its days (the weight of a missing officer while its demand is not met). Requests on the
    weekend's days price an officer's arc. Shift types, skills and every rule across the
    weekdays are left to the construction: the flow only settles how many officers each
    weekend gets, and whom, which is the choice the officers' own replies get wrong."""
    value_of_day = _weekend_day_values(problem)
    wishes: dict[tuple[str, int], int] = defaultdict(int)
    for request in problem.requests:
        weight = request.enforcement.weight if not request.enforcement.hard else _HARD_WISH
        index = problem.day_index(request.day)
        wishes[request.officer_id, index] += weight if request.kind == "off" else -weight
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    nodes: dict[tuple[int, ...], int] = {}
    arcs: list[tuple[int, str, tuple[int, ...]]] = []
    supply = 0
    next_node = itertools.count(2)
    for officer in problem.officers:
        limit = officer.rules.max_weekends
        groups = [tuple(g) for g in weekends(problem, officer) if g[0] >= 0]
        allowance = len(groups) if limit is None else min(limit.value, len(groups))
        if not allowance:
            continue
        node = next(next_node)
        flow.add_arc_with_capacity_and_unit_cost(source, node, allowance, 0)
        flow.add_arc_with_capacity_and_unit_cost(node, sink, allowance, 0)
        supply += allowance
        for group in groups:
            if not all(available(officer, index) for index in group):
                continue
            if group not in nodes:
                nodes[group] = next(next_node)
                _add_weekend_value(flow, nodes[group], sink, [value_of_day[i] for i in group])
            cost = sum(wishes.get((officer.id, index), 0) for index in group)
            arc = flow.add_arc_with_capacity_and_unit_cost(node, nodes[group], 1, cost)
            if limit is not None:
                arcs.append((arc, officer.id, group))
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        return {}
    plan: dict[str, set[int]] = {o.id: set() for o in problem.officers
                                 if o.rules.max_weekends is not None}
    for arc, officer_id, group in arcs:
        if flow.flow(arc):
            plan[officer_id].update(group)
    return {officer_id: frozenset(days) for officer_id, days in plan.items()}


@dataclass(frozen=True, slots=True)
class _DayValue:
    """What each further officer on a day saves: the weights of its missing officers, the
    heaviest first, then the cost of one officer too many."""

    missing: tuple[int, ...]
    over: int


def _weekend_day_values(problem: RosterProblem) -> dict[int, _DayValue]:
    rows: dict[int, list[int]] = defaultdict(list)
    over: dict[int, int] = {}
    general = {c.shift_id for c in problem.shift_cover if c.skill is None}
    for cover in problem.shift_cover:
        if cover.skill is not None and cover.shift_id in general:
            continue  # the shift's officers in all are what the weekend's count meets
        index = problem.day_index(problem.shift(cover.shift_id).day)
        weight = _HARD_WISH if cover.under.hard else cover.under.weight
        rows[index] += [weight] * cover.required
        over[index] = min(over.get(index, cover.over_weight), cover.over_weight)
    return defaultdict(lambda: _DayValue((), 0), {
        index: _DayValue(tuple(sorted(weights, reverse=True)), over.get(index, 0))
        for index, weights in rows.items()})


def _add_weekend_value(flow: min_cost_flow.SimpleMinCostFlow, node: int, sink: int,
                       days: list[_DayValue]) -> None:
    """Arcs from a weekend to the sink whose costs are minus what its n-th officer saves:
    non-increasing in n, so the flow takes them in order."""
    most = max((len(day.missing) for day in days), default=0)
    for n in range(most):
        saved = sum(day.missing[n] if n < len(day.missing) else -day.over for day in days)
        flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, -saved)
    flow.add_arc_with_capacity_and_unit_cost(node, sink, _UNLIMITED, sum(d.over for d in days))
