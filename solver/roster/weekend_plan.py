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
a fraction of a second. Then each weekend's shifts are given out among its officers
(``shift_plan``), so that its demand is met shift type by shift type, and the construction
builds each officer's roster around the weekend shifts the two plans give them, leaving every
rule across the weekdays to it.
Parts searched by windows ask for a plan, and so do parts of four weeks or less, whose
officers' models solve in a tenth of a second held to it. A year-long part searched whole gets
none: on Instance 22 no officer has a roster around the flow's weekends at all (each must work
232 of the year's days, and weekends picked one by one and held whole leave room for 206 to
230; every change between a weekend worked and one off costs working days), and each officer's
model searched about 10 s in vain before being built free.

Instance 23 at 600 s, seed 1, the same day: 24,445 against 26,667 with the CP-SAT plan of the
weekend days the flow replaced (which needed 30 % of the construction's time and could not plan
Instance 24 at all); Instance 24: 94,588 against 151,067 without a plan. The shift plan took
them, on another day, from 23,175 to 21,106 and from 80,364 to 65,588.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ortools.graph.python import min_cost_flow

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.roster.constraints.weekends import weekends
from solver.roster.model import RosterModel, build_model
from solver.roster.problem import Officer, RosterProblem

ENGINE = "roster-weekend-plan"
# What one weekend's shifts get: Instance 24's 52 weekends were all proven optimal within it
# (45-49 s in all); at 1 s fifteen were not, and the plan left 278 officers missing against 199.
_SHIFT_PLAN_SECONDS = 5.0

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


def keep_to_plan(built: RosterModel, officer: Officer, planned: frozenset[int],
                 shifts: frozenset[str] = frozenset()) -> None:
    """The officer works the weekend days the plan gives them, and no other: left free to
    choose, an officer serves a weekday as gladly as a weekend day, and the weekends the plan
    counted on go short (Instance 12: 99 officers missing against the plan's 40). With
    ``shifts``, on those days they work those shifts (``shift_plan``)."""
    for group in weekends(built.problem, officer):
        for index in group:
            if index < 0:
                continue  # history: already worked or not
            day = built.vars.works(officer.id, index)
            if not isinstance(day, int):
                built.model.add(day == int(index in planned))
    for shift_id in shifts:
        if built.vars.has(officer.id, shift_id):
            built.model.add(built.vars.var(officer.id, shift_id) == 1)


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


def shift_plan(problem: RosterProblem, plan: dict[str, frozenset[int]],
               config: SolverConfig, seconds: float) -> dict[str, frozenset[str]]:
    """The shift each officer of ``plan`` works on each weekend day it gives them, chosen for
    all of a weekend's officers at once so that its demand is met shift by shift.

    The flow counts officers, not shift types; officers built one by one then pick types on
    their weekend days as their turn finds them open, and the types of one weekend come out
    mismatched (Instance 24: 197 officers missing on weekend days where the same day had
    officers to spare on another shift), which no later step repairs: each officer's minutes
    over the year are held to a narrow band, and trading an eight-hour shift for a ten-hour
    one is a change to their whole year. So each weekend is solved as a roster problem of its
    own (the engine's own model, on its days, with the officers the flow gives it, each held to
    working them): shifts an officer may not work, successions within the weekend, requests
    and demand count; rules over the horizon are left to the construction, except the limits
    on shifts of a type, which the weekends planned before spend. Each weekend gets up to
    ``_SHIFT_PLAN_SECONDS`` while any of ``seconds`` is left; a weekend left without a plan has
    its shifts chosen by the construction."""
    deadline = time.monotonic() + seconds
    used: dict[str, Counter[str]] = defaultdict(Counter)
    planned: dict[str, set[str]] = defaultdict(set)
    groups = sorted({tuple(g) for officer in problem.officers if officer.id in plan
                     for g in weekends(problem, officer) if g[0] >= 0})
    for group in groups:
        working = {officer_id for officer_id, days in plan.items() if set(group) <= days}
        left = min(_SHIFT_PLAN_SECONDS, deadline - time.monotonic())
        if not working or left <= 0:
            continue
        weekend = _weekend_problem(problem, group, working, used)
        built = build_model(weekend)
        for officer_id in working:
            for index in range(len(group)):
                day = built.vars.works(officer_id, index)
                if not isinstance(day, int):
                    built.model.add(day == 1)
        run = run_cpsat(built.model, SolverConfig(time_limit_seconds=left,
                                                  workers=config.workers, seed=config.seed),
                        engine=ENGINE)
        if not run.has_solution:
            continue  # the construction chooses this weekend's shifts itself
        for (officer_id, shift_id), on in built.read_values(run.solver).items():
            if on:
                planned[officer_id].add(shift_id)
                used[officer_id][problem.shift(shift_id).template_id] += 1
    return {officer_id: frozenset(shifts) for officer_id, shifts in planned.items()}


def _weekend_problem(problem: RosterProblem, group: tuple[int, ...], officer_ids: set[str],
                     used: dict[str, Counter[str]]) -> RosterProblem:
    """``problem`` on the days of ``group`` alone, for ``officer_ids``, with the rules over
    the horizon dropped but the limits on shifts of a type less what ``used`` spent."""
    first = problem.start + timedelta(days=group[0])
    last = problem.start + timedelta(days=group[-1])
    shifts = tuple(s for s in problem.shifts if first <= s.day <= last)
    kept = {s.id for s in shifts}
    opens = min((s.start for s in shifts), default=None)
    closes = max((s.end for s in shifts), default=None)

    def during(start: datetime, end: datetime) -> bool:
        return opens is not None and closes is not None and start < closes and end > opens
    return dataclasses.replace(
        problem,
        start=first,
        days=group[-1] - group[0] + 1,
        shifts=shifts,
        officers=tuple(_within_weekend(o, used[o.id]) for o in problem.officers
                       if o.id in officer_ids),
        shift_cover=tuple(c for c in problem.shift_cover if c.shift_id in kept),
        interval_cover=tuple(i for i in problem.interval_cover if during(i.start, i.end)),
        absences=tuple(a for a in problem.absences
                       if a.officer_id in officer_ids and during(a.start, a.end)),
        requests=tuple(r for r in problem.requests
                       if r.officer_id in officer_ids and first <= r.day <= last),
        history=(),
        history_days=0,
        pins=tuple(p for p in problem.pins if p.shift_id in kept and p.officer_id in officer_ids),
        published=None,
        fair_spread=(),
    )


def _within_weekend(officer: Officer, used: Counter[str]) -> Officer:
    rules = officer.rules
    return dataclasses.replace(officer, rules=dataclasses.replace(
        rules,
        max_shifts_per_template=rules.template_limits_less(used),
        working_time=(),
        min_consecutive_days=None,
        min_consecutive_days_off=None,
        max_weekends=None,
        weekly_rest_minutes=None,
        average_hours=None,
        max_night_shifts=None,
        overtime=None,
    ))
