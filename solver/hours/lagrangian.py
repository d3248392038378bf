"""Lagrangian relaxation of a part whose queues each wait on a few offices: a lower bound, and
plans mended from its solutions.

Why. CP-SAT's bound on such a part comes from the linear relaxation of its model, which may open
an office a fraction of every hour and so serve a thin flow as it arrives: on the Kapitan
Andreevo sample the veterinary offices' relaxation proved 462,000 against plans of 650,000, and
CITES 30,000 against 190,000, however long it ran (``docs/benchmarks.md``). And its search from
aligned hours is slow on a month of a busy part. Here offices are open or closed, never a
fraction: a dynamic programme over the joint state of the offices a set of queues waits on (at
most ``MAX_OFFICES``) decides them, slot by slot, in about a second a month; its solutions,
mended into plans (``solver.hours.repair``), start the search. The joint state also counts the
blocks each office has begun on its local day where that keeps it small (``_StateSpace``).
An office that two sets of queues wait on is decided in both programmes, owned by the first
and copied into the second, and a multiplier per slot prices their disagreement (any real
plan has none, so the price, of either sign, costs it nothing).

The relaxation keeps, exactly as the checker costs them: staff hours, the out-of-hours premium,
mandatory and never-open windows, holidays, weekends, date-ranged hours, neighbours' closures,
the notice period, joint controls, dependencies on customs, each block's fragmentation cost,
that an office changes state only where its decision step begins, and, for the offices it
counts blocks of, the most blocks a day. It prices instead of enforcing, each count by a
multiplier: the open hours of each staffing period beyond its capacity (the multiplier at most
the rule's weight), the blocks of each local day beyond the most allowed (offices not counted),
and the slots after each block's start (break's stop) within its shortest length that are not
open (closed). It leaves out the counterparts' overlap and share and the
staff-hour budget. Its minimum is at most the part's optimum, for three reasons:

* every soft cost left out is never negative, and every hard rule left out only admits more
  plans;
* a priced count is at most zero in any plan that keeps its hard rule, and a staffing
  penalty ``w x max(0, H - cap)`` is at least ``l x (H - cap)`` for any ``l`` in ``[0, w]``;
* each closure of the queues is charged at most what the real queues hold while its trucks
  wait (``_Queues``).

The multipliers follow subgradient steps towards the cheapest plan known (Polyak's length).
The programme carries, for a stopped queue, the slot its closure began, so it is quadratic in
the slots where offices may change state (a month of hourly steps: 230,000 closures, vectorised
over their starts), less the closures a later one dominates.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product

import numpy as np

from solver.hours.checker import CheckReport, evaluate
from solver.hours.constraints.calendar import override_slots
from solver.hours.constraints.common import plan_range
from solver.hours.present import windows_from_states
from solver.hours.problem import SLOT_MINUTES, CargoFlow, HoursProblem, Office
from solver.hours.repair import keep_block_rules
from solver.hours.variables import open_throughout, shares_step
from solver.ids import Groups
from solver.rules import Enforcement

# At most this many offices decide (2**3 joint states a slot), and at most this many joint
# states once blocks are counted (``_StateSpace``): two offices with two blocks a day each.
MAX_OFFICES = 3
MAX_STATES = 36
# Costs in 1/400 of a unit, so that a quarter hour at a per-hour weight and a hundredth of a
# truck waiting a quarter hour at a per-truck-hour cost are both whole numbers.
SCALE = 400
_PER_SLOT = SCALE // 4
# Rounds of multipliers, and how many without a better bound before the steps shorten.
ROUNDS = 30
PATIENCE = 3
# The round that tries the multipliers the start suggests: after the first step, which is worth
# more on plant health and food safety (4,445,575 against 4,354,597 from the suggestion).
_SUGGESTION_ROUND = 2
# For ``seconds_per_round``: half the rates measured on a fast day (2026-11-29: 60 us a slot
# and group, 250 million visits a second; a month of plant health and food safety, 0.67 s).
_SECONDS_PER_SLOT = 120e-6
_VISITS_PER_SECOND = 125e6
_MENDING_SECONDS = 0.2
# A state a hard rule forbids; sums of a few stay far from int64's limit.
_INFINITE = 10**17


def applies(problem: HoursProblem) -> bool:
    """Every flow waits on some deciding office, no slot brings a flow more trucks than it
    clears in one, and no group (``_groups``) has more than ``MAX_OFFICES`` offices."""
    return bool(problem.flows) and _groups(problem) is not None and all(
        0 < problem.capacity_centi[flow.id] >= max(problem.arrivals_centi[flow.id], default=0)
        for flow in problem.flows
    )


def seconds_per_round(problem: HoursProblem, *, count_blocks: bool = True) -> float:
    """About how long one round takes on a slow day of this project's machine (twice the
    measured times): per group and slot, a fixed cost of the array operations, plus a visit
    to every closure begun at a slot where some office of the group may change state, in
    every joint state and each state it may have come from; then the two mended plans'
    checks."""
    groups = _groups(problem)
    assert groups is not None
    visits = 0
    for group in groups:
        changing = np.zeros(problem.plan_slots, dtype=bool)
        for office in group.offices:
            changing |= ~np.array(shares_step(problem, office), dtype=bool)
        changes = int(changing.sum())
        # About half the closures are live at a slot; a state has one state before it where
        # no office may change, one per subset of offices changing where one may.
        states, _ = _StateSpace.size(group, count_blocks=count_blocks)
        per_slot = changes * 2 ** len(group.offices) + problem.plan_slots - changes
        visits += changes * states * per_slot // 2
    return (len(groups) * problem.plan_slots * _SECONDS_PER_SLOT + visits / _VISITS_PER_SECOND
            + _MENDING_SECONDS)


@dataclass(frozen=True, slots=True)
class _Group:
    """Offices the programme decides together: those one set of queues waits on, with every
    deciding office that joint controls or a dependency ties to them. An office in several
    groups is a copy in all but its first, which ``owns`` it: carries its costs, multipliers
    and rules with other offices; multipliers make the copies agree with it."""

    offices: tuple[Office, ...]
    flows: tuple[CargoFlow, ...]
    owned: frozenset[str]
    # The offices its queues wait on (they move when all of these are open).
    gate: frozenset[str]


def _groups(problem: HoursProblem) -> list[_Group] | None:
    """The groups, those with queues first (one per set of offices a flow waits on), then each
    other group of tied deciding offices; None where a flow waits on no deciding office or a
    group has more than ``MAX_OFFICES``."""
    deciding = _deciding(problem)
    ids = {office.id for office in deciding}
    by_gate: dict[frozenset[str], list[CargoFlow]] = {}
    for flow in problem.flows:
        gate = frozenset(check.office_id for check in flow.checks if check.office_id in ids)
        if not gate:
            return None
        by_gate.setdefault(gate, []).append(flow)
    tied = Groups(ids)
    for first, second in _pairs(problem):
        if first in ids and second in ids:
            tied.join((first, second))
    components = tied.groups()
    # A group takes whole the tied offices it is first to hold (it owns them, and the rules
    # between them); an office an earlier group owns it holds as a copy, alone.
    groups: list[_Group] = []
    owned_so_far: set[str] = set()
    for gate, flows in by_gate.items():
        owned = set().union(*(component for component in components if component & gate - owned_so_far))
        groups.append(_Group(offices=tuple(o for o in deciding if o.id in owned | gate), flows=tuple(flows),
                             owned=frozenset(owned), gate=gate))
        owned_so_far |= owned
    for component in components:
        if not component & owned_so_far:
            groups.append(_Group(offices=tuple(o for o in deciding if o.id in component), flows=(),
                                 owned=frozenset(component), gate=frozenset()))
    if any(len(group.offices) > MAX_OFFICES for group in groups):
        return None
    return groups


def _pairs(problem: HoursProblem) -> list[tuple[str, str]]:
    """Offices a rule the relaxation keeps ties together: joint controls, and a dependency's
    lead with each checking office."""
    pairs = [(first.id, second.id) for first, second in problem.counterpart_pairs() if first.joint_controls]
    for flow in problem.flows:
        if flow.dependency is not None and flow.lead_office_id is not None:
            pairs += [(flow.lead_office_id, check.office_id) for check in flow.checks
                      if check.office_id != flow.lead_office_id]
    return pairs


@dataclass(frozen=True, slots=True)
class LagrangianResult:
    """The best bound over the rounds (cost units), and the cheapest of the relaxation's
    solutions, mended (``solver.hours.repair``), that keeps every hard rule, with the checker's
    report on it (None if none did)."""

    bound: float
    states: dict[str, tuple[bool, ...]] | None
    report: CheckReport | None
    rounds: int


def lagrangian(
    problem: HoursProblem,
    start: Mapping[str, tuple[bool, ...]],
    *,
    incumbent: float | None = None,
    seconds: float | None = None,
    rounds: int = ROUNDS,
    count_blocks: bool = True,
) -> LagrangianResult:
    """Up to ``rounds`` rounds (fewer if ``seconds`` run out): solve the relaxation, mend its
    solution into a plan, and move the multipliers by a subgradient step of Polyak's length
    towards the cheapest plan known (``incumbent``, or one mended here); the length halves after
    ``PATIENCE`` rounds without a better bound, from the best multipliers found. ``start``
    gives the states of offices the relaxation does not decide (open throughout), and may give
    a whole plan: the third round then tries the multipliers the plan suggests
    (``_Relaxation.suggested``) instead of a step, and the steps go on from the better;
    ``count_blocks``: whether the programme counts blocks a day where it can (each round
    slower, the bound stronger; ``_StateSpace``)."""
    if not applies(problem):
        raise ValueError("the Lagrangian relaxation needs every flow to wait on the same offices")
    started = time.monotonic()
    relaxation = _Relaxation(problem, count_blocks=count_blocks)
    must_open = {key: frozenset(np.flatnonzero(row.closed >= _INFINITE).tolist())
                 for key, row in relaxation.rows.items()}
    must_close = {key: frozenset(np.flatnonzero(row.opened >= _INFINITE).tolist())
                  for key, row in relaxation.rows.items()}
    best = -math.inf
    best_state = relaxation.snapshot()
    plan: dict[str, tuple[bool, ...]] | None = None
    report: CheckReport | None = None
    length, idle, done = 2.0, 0, 0
    suggested = relaxation.suggested(start)
    worth_trying = any(price.any() for price in suggested)
    while done < rounds and (not done or seconds is None or time.monotonic() - started < seconds):
        trying = worth_trying and done == _SUGGESTION_ROUND
        if trying:
            relaxation.prices = suggested
        value = relaxation.evaluate()
        done += 1
        for lengthen in (True, False):
            mended = keep_block_rules(problem, {**start, **relaxation.sequence}, must_open, must_close,
                                      lengthen=lengthen)
            checked = evaluate(problem, windows_from_states(problem, mended))
            if not checked.errors and (report is None or checked.objective < report.objective):
                plan, report = mended, checked
        if value > best:
            best, best_state, idle = value, relaxation.snapshot(), 0
        elif trying:
            # Worse than the steps so far: they go on from the best multipliers.
            relaxation.restore(best_state)
        else:
            idle += 1
            if idle >= PATIENCE:
                length, idle = length / 2, 0
                relaxation.restore(best_state)
        current = relaxation.value
        known = [cost for cost in (incumbent, report.objective if report else None) if cost is not None]
        target = min(known) if known and min(known) > current else max(best * 1.05, current + 1.0)
        if not relaxation.step_towards(target, length):
            break
    return LagrangianResult(bound=best, states=plan, report=report, rounds=done)


class _Relaxation:
    """The relaxation at its current multipliers, and its last solution.

    Multipliers, each with the count it prices (at most zero in every plan that keeps the rule,
    or at most the rule's soft cost): a staffing period's open slots beyond its capacity (per
    hour, up to the rule's weight); a local day's blocks beyond the most allowed (per block,
    for offices whose blocks the programme does not count); and, per slot a block could start
    (stop) at, the slots of its shortest length (break) that are not open (closed). The last
    two are hard rules: their multipliers have no top."""

    def __init__(self, problem: HoursProblem, *, count_blocks: bool = True) -> None:
        self.problem = problem
        self.deciding = _deciding(problem)
        self.rows = {office.id: _office_rows(problem, office) for office in problem.offices}
        self.fixed_cost = sum(
            int(self.rows[office.id].opened.sum())
            for office in problem.offices if office not in self.deciding
        )
        groups = _groups(problem)
        assert groups is not None
        self.groups = groups
        self.queues = [_Queues(problem, group.flows) for group in groups]
        self.spaces = [_StateSpace.of(problem, group, count_blocks=count_blocks) for group in groups]
        counted = set().union(*(space.counted for space in self.spaces))
        self.periods = [period for office in self.deciding for period in self.rows[office.id].periods]
        # Blocks a day are priced only where the programme does not count them.
        self.days = [day for office in self.deciding if office.id not in counted for day in self.rows[office.id].days]
        self.hours_price = np.zeros(len(self.periods), dtype=np.int64)
        self.blocks_price = np.zeros(len(self.days), dtype=np.int64)
        # Per office with a hard shortest block (break) of more than one slot: its length in
        # slots, and a multiplier per plan slot.
        size = problem.plan_slots
        self.runs = {
            (office.id, kind): (length, np.zeros(size, dtype=np.int64))
            for office in self.deciding
            for kind, minutes, rule in (("block", office.blocks.min_block_minutes, office.blocks.min_block),
                                        ("break", office.blocks.min_fragment_minutes, office.blocks.min_fragment))
            if rule.hard and (length := minutes // SLOT_MINUTES) > 1
        }
        # Per copy of an office (its id, the index of the group it is copied into): a multiplier
        # per plan slot on the owner open and the copy closed (negative: the other way round).
        self.copies = {
            (office.id, index): np.zeros(size, dtype=np.int64)
            for index, group in enumerate(groups) for office in group.offices if office.id not in group.owned
        }
        self.value = 0.0
        self.sequence: dict[str, tuple[bool, ...]] = {}
        self.copied: dict[tuple[str, int], tuple[bool, ...]] = {}

    @property
    def prices(self) -> tuple[np.ndarray, ...]:
        return (self.hours_price.copy(), self.blocks_price.copy(),
                *(price.copy() for _, price in self.runs.values()),
                *(price.copy() for price in self.copies.values()))

    @prices.setter
    def prices(self, value: tuple[np.ndarray, ...]) -> None:
        self.hours_price, self.blocks_price = value[0].copy(), value[1].copy()
        for key, price in zip(self.runs, value[2:2 + len(self.runs)], strict=True):
            self.runs[key] = (self.runs[key][0], price.copy())
        for copy_key, copy_price in zip(self.copies, value[2 + len(self.runs):], strict=True):
            self.copies[copy_key] = copy_price.copy()

    def suggested(self, plan: Mapping[str, tuple[bool, ...]]) -> tuple[np.ndarray, ...]:
        """Multipliers a plan suggests: each staffing period the plan opens beyond its
        capacity at the rule's weight (where the penalty binds, that is its exact price), every
        other multiplier at zero. On the Kapitan Andreevo sample's veterinary offices, whose
        aligned hours exceed half their periods, a round from them bounded 585,661 against
        529,064 after three rounds from zero; elsewhere the steps from zero do better, so the
        suggestion is one round's trial. Offices ``plan`` does not give suggest nothing."""
        zero = tuple(np.zeros_like(price) for price in self.prices)
        hours = np.array([
            period.weight if period.office_id in plan
            and sum(plan[period.office_id][slot] for slot in period.slots.tolist()) > period.limit else 0
            for period in self.periods
        ], dtype=np.int64)
        return (hours, *zero[1:])

    def snapshot(self) -> tuple[object, ...]:
        return self.prices, self.value, dict(self.sequence), dict(self.copied)

    def restore(self, state: tuple[object, ...]) -> None:
        prices, value, sequence, copied = state
        self.prices = prices  # type: ignore[assignment]
        self.value = value  # type: ignore[assignment]
        self.sequence = dict(sequence)  # type: ignore[call-overload]
        self.copied = dict(copied)  # type: ignore[call-overload]

    def evaluate(self) -> float:
        problem, deciding = self.problem, self.deciding
        size = problem.plan_slots
        opened = {office.id: self.rows[office.id].opened.copy() for office in deciding}
        starting = {office.id: np.zeros(size, dtype=np.int64) for office in deciding}
        stopping = {office.id: np.zeros(size, dtype=np.int64) for office in deciding}
        constant = self.fixed_cost
        for period, hours_price in zip(self.periods, self.hours_price.tolist(), strict=True):
            opened[period.office_id][period.slots] += _PER_SLOT * hours_price
            constant -= _PER_SLOT * hours_price * period.limit
        for day, blocks_price in zip(self.days, self.blocks_price.tolist(), strict=True):
            starting[day.office_id][day.slots] += SCALE * blocks_price
            constant -= SCALE * blocks_price * day.limit
        for (office_id, kind), (length, run_prices) in self.runs.items():
            spans = _spans(size, length)
            # A block starting at s: each of its next slots closed counts one; a break
            # stopping at s: each of its next slots open counts one.
            weight = SCALE * run_prices
            following = _following(weight, length, size)
            if kind == "block":
                starting[office_id] += weight * spans
                opened[office_id] -= following
            else:
                stopping[office_id] += weight * spans
                opened[office_id] += following
                constant -= int((weight * spans).sum())
        for (owner_id, _), price in self.copies.items():
            opened[owner_id] += SCALE * price
        self.sequence, self.copied = {}, {}
        for index, (group, queues) in enumerate(zip(self.groups, self.queues, strict=True)):
            group_opened, group_closed = {}, {}
            for office in group.offices:
                if office.id in group.owned:
                    group_opened[office.id] = opened[office.id]
                    group_closed[office.id] = self.rows[office.id].closed
                else:
                    # A copy costs nothing of its own; what a hard rule forbids the owner, it
                    # forbids the copy too, since both are the office's one state in a plan.
                    own = self.rows[office.id]
                    group_opened[office.id] = np.where(own.opened >= _INFINITE, _INFINITE,
                                                       -SCALE * self.copies[(office.id, index)])
                    group_closed[office.id] = np.where(own.closed >= _INFINITE, _INFINITE, 0)
            space = self.spaces[index]
            cost, moves = space.costs(_joint_costs(problem, group, group_opened, group_closed),
                                      _transitions(problem, group, starting, stopping))
            least, sequence = _programme(problem, group, space, cost, moves, queues)
            constant += least
            for position, office in enumerate(group.offices):
                row = tuple(state[position] for state in sequence)
                if office.id in group.owned:
                    self.sequence[office.id] = row
                else:
                    self.copied[(office.id, index)] = row
        self.value = constant / SCALE
        return self.value

    def step_towards(self, target: float, scale: float) -> bool:
        """One subgradient step of every multiplier (Polyak's length, times ``scale``); False
        when the last solution keeps every relaxed rule exactly (no step can help)."""
        size = self.problem.plan_slots
        rows = {key: np.array(row, dtype=np.int64) for key, row in self.sequence.items()}
        starts = {key: np.concatenate(([0], row[1:] & (1 - row[:-1]))) for key, row in rows.items()}
        stops = {key: np.concatenate(([0], (1 - row[1:]) & row[:-1])) for key, row in rows.items()}
        # Each count in the plan's cost units per unit of its multiplier.
        gradients = [
            np.array([(rows[p.office_id][p.slots].sum() - p.limit) / 4 for p in self.periods]),
            np.array([float(starts[d.office_id][d.slots].sum() - d.limit) for d in self.days]),
        ]
        tops = [np.array([p.weight for p in self.periods]), np.array([d.weight for d in self.days])]
        bottoms = [np.zeros(len(self.periods)), np.zeros(len(self.days))]
        for (office_id, kind), (length, _) in self.runs.items():
            spans = _spans(size, length)
            ahead = _ahead(rows[office_id], length, size)
            if kind == "block":
                gradients.append((spans * starts[office_id] - ahead).astype(float))
            else:
                gradients.append((spans * stops[office_id] + ahead - spans).astype(float))
            tops.append(np.full(size, _HARD_PRICE))
            bottoms.append(np.zeros(size))
        for office_id, index in self.copies:
            # An equation: its multiplier may take either sign.
            gradients.append((rows[office_id] - np.array(self.copied[(office_id, index)], dtype=np.int64))
                             .astype(float))
            tops.append(np.full(size, _HARD_PRICE))
            bottoms.append(np.full(size, -_HARD_PRICE))
        prices = self.prices
        norm = sum(
            float(np.sum(np.where(((g > 0) & (p < t)) | ((g < 0) & (p > b)), g * g, 0.0)))
            for g, p, t, b in zip(gradients, prices, tops, bottoms, strict=True)
        )
        if not norm:
            return False
        step = scale * (target - self.value) / norm
        self.prices = tuple(
            np.clip(np.round(p + step * g), b, t).astype(np.int64)
            for g, p, t, b in zip(gradients, prices, tops, bottoms, strict=True)
        )
        return True


def _spans(size: int, length: int) -> np.ndarray:
    """Per slot s, how many of the next ``length - 1`` slots lie in the plan."""
    return np.minimum(length - 1, size - 1 - np.arange(size))


def _following(weight: np.ndarray, length: int, size: int) -> np.ndarray:
    """Per slot t, the sum of ``weight[s]`` over the ``length - 1`` slots s before it."""
    sums = np.concatenate(([0], np.cumsum(weight)))
    index = np.arange(size)
    return sums[index] - sums[np.maximum(0, index - length + 1)]


def _ahead(row: np.ndarray, length: int, size: int) -> np.ndarray:
    """Per slot s, how many of the next ``length - 1`` slots ``row`` has open."""
    sums = np.concatenate(([0], np.cumsum(row)))
    index = np.arange(size)
    return sums[np.minimum(size, index + length)] - sums[index + 1]


def _deciding(problem: HoursProblem) -> list[Office]:
    return [office for office in problem.offices if not open_throughout(problem, office)]


# --- per office: what each slot costs open and closed ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Limited:
    """A count the relaxation prices instead of enforcing: the office's open slots in a
    staffing period, or the blocks it starts on a local day, at most ``limit`` without cost;
    its multiplier may go up to ``weight`` (a hard rule: without limit)."""

    office_id: str
    slots: np.ndarray
    limit: int
    weight: int


@dataclass(frozen=True, slots=True)
class _OfficeRows:
    """Per plan slot, what being open and being closed cost (1/``SCALE``; ``_INFINITE`` where
    a hard rule forbids it), and the counts the multipliers price."""

    opened: np.ndarray
    closed: np.ndarray
    periods: list[_Limited]
    days: list[_Limited]


# A multiplier of a hard limit: no plan pays it, so any price bounds; this one stays in int64.
_HARD_PRICE = 10**6


def _office_rows(problem: HoursProblem, office: Office) -> _OfficeRows:
    size = problem.plan_slots
    opened = np.zeros(size, dtype=np.int64)
    closed = np.zeros(size, dtype=np.int64)

    opened += _PER_SLOT * office.crew * office.officer_hour_cost
    regular = np.zeros(size, dtype=bool)
    for window in problem.regular_windows[office.id]:
        covered = plan_range(problem, window.start, window.end)
        regular[covered.start:covered.stop] = True
    opened[~regular] += _PER_SLOT * office.crew * office.out_of_hours_premium

    musts = [(window.start, window.end) for window in office.mandatory]
    if office.always_open:
        musts.append((problem.grid_start, problem.plan_end))
    for start, end in musts:
        _charge(closed, plan_range(problem, start, end), office.mandatory_rule)
    for window in office.never_open:
        _charge(opened, plan_range(problem, window.start, window.end), office.never_open_rule)
    for closure in problem.neighbour_closures:
        if closure.applies_to(office):
            allowed = {slot for w in closure.open_windows for slot in plan_range(problem, w.start, w.end)}
            _charge(opened, [s for s in plan_range(problem, closure.start, closure.end) if s not in allowed],
                    closure.enforcement)

    side = problem.side(office.side)
    staffing, blocks = office.staffing, office.blocks
    periods: list[_Limited] = []
    days: list[_Limited] = []

    def limited(slot_list: list[int], limit: int, rule: Enforcement) -> _Limited:
        weight = _HARD_PRICE if rule.hard else rule.weight
        return _Limited(office.id, np.array(slot_list, dtype=np.int64), limit, weight)

    exclusive = {override.label: override_slots(problem, office, override)
                 for override in office.overrides if override.exclusive is not None}
    weeks: dict[int, list[int]] = defaultdict(list)
    for day in problem.office_days[office.id]:
        day_slots = list(range(day.first_slot, day.end_slot))
        weeks[day.week] += day_slots
        if office.closed_on_holidays is not None and day.holiday is not None:
            _charge(opened, day_slots, office.closed_on_holidays)
        if office.closed_on_weekends is not None and day.day.weekday() in side.weekend_days:
            _charge(opened, day_slots, office.closed_on_weekends)
        override = office.override_on(day.day)
        if override is not None and override.exclusive is not None:
            within = exclusive[override.label]
            _charge(opened, [slot for slot in day_slots if slot not in within], override.exclusive)
        if staffing.max_open_minutes_per_day is not None and not staffing.enforcement.hard:
            periods.append(limited(day_slots, staffing.max_open_minutes_per_day // SLOT_MINUTES,
                                   staffing.enforcement))
        days.append(limited(day_slots, blocks.max_blocks_per_day, blocks.max_blocks))
    if staffing.max_open_minutes_per_week is not None and not staffing.enforcement.hard:
        for week_slots in weeks.values():
            periods.append(limited(week_slots, staffing.max_open_minutes_per_week // SLOT_MINUTES,
                                   staffing.enforcement))
    if staffing.max_open_minutes_in_plan is not None and not staffing.enforcement.hard:
        periods.append(limited(list(range(size)), staffing.max_open_minutes_in_plan // SLOT_MINUTES,
                               staffing.enforcement))

    policy = problem.notice
    if policy is not None:
        published: dict[int, bool] = {}
        for entry in problem.published_for(office.id):
            for slot in plan_range(problem, entry.start, entry.end):
                published[slot] = False
            for window in entry.windows:
                for slot in plan_range(problem, window.start, window.end):
                    published[slot] = True
        for slot, was_open in published.items():
            start = problem.slot_start(slot)
            if start >= policy.deadline:
                continue
            changed = closed if was_open else opened
            if start < policy.now or policy.enforcement.hard:
                changed[slot] = _INFINITE
            else:
                changed[slot] += _PER_SLOT * policy.enforcement.weight
    return _OfficeRows(opened=np.minimum(opened, _INFINITE), closed=np.minimum(closed, _INFINITE),
                       periods=periods, days=days)


def _charge(row: np.ndarray, slots: Iterable[int], rule: Enforcement) -> None:
    """Per slot of ``slots`` in that state: the rule's weight per hour, or forbidden."""
    index = np.fromiter(slots, dtype=np.int64)
    if not len(index):
        return
    if rule.hard:
        row[index] = _INFINITE
    else:
        np.add.at(row, index, _PER_SLOT * rule.weight)


# --- joint states -----------------------------------------------------------------------------------


def _joint_costs(
    problem: HoursProblem, group: _Group, opened: dict[str, np.ndarray], closed: dict[str, np.ndarray]
) -> np.ndarray:
    """Per plan slot and joint state (bit i: the group's office i open), what the slot costs,
    including the rules between two offices the group owns: joint controls and dependencies."""
    deciding = list(group.offices)
    size = problem.plan_slots
    states = list(product((False, True), repeat=len(deciding)))
    position = {office.id: index for index, office in enumerate(deciding)}
    cost = np.zeros((size, len(states)), dtype=np.int64)
    for column, state in enumerate(states):
        for index, office in enumerate(deciding):
            cost[:, column] += opened[office.id] if state[index] else closed[office.id]

    constant = {office.id for office in problem.offices if open_throughout(problem, office)}

    def apart(first: str, second: str, rule: Enforcement, *, only_first_open: bool) -> None:
        """Charge every slot where ``first`` is open and ``second`` closed (and, unless
        ``only_first_open``, the other way round too). Offices open throughout are open; a
        rule between offices this group does not own is another group's (``_groups`` puts
        tied offices in the same groups, owned by the same one)."""
        if not {first, second} <= group.owned | constant or not {first, second} & group.owned:
            return
        for column, state in enumerate(states):
            first_open = state[position[first]] if first in position else True
            second_open = state[position[second]] if second in position else True
            if (first_open and not second_open) or (not only_first_open and second_open and not first_open):
                if rule.hard:
                    cost[:, column] = _INFINITE
                else:
                    cost[:, column] += _PER_SLOT * rule.weight

    for first, second in problem.counterpart_pairs():
        if first.joint_controls:
            apart(first.id, second.id, problem.joint_rule_of(first, second), only_first_open=False)
    for flow in problem.flows:
        if flow.dependency is None or flow.lead_office_id is None:
            continue
        for check in flow.checks:
            if check.office_id != flow.lead_office_id:
                apart(flow.lead_office_id, check.office_id, flow.dependency, only_first_open=True)
    return np.minimum(cost, _INFINITE)


def _transitions(
    problem: HoursProblem, group: _Group, starting: dict[str, np.ndarray], stopping: dict[str, np.ndarray]
) -> np.ndarray:
    """Per slot s >= 1 and pair of joint states (at s - 1, at s): each block an owned office
    starts costs its fragmentation and ``starting`` (its multipliers), each it stops
    ``stopping``; any office may change state only where a new decision step begins."""
    deciding = list(group.offices)
    size = problem.plan_slots
    states = list(product((False, True), repeat=len(deciding)))
    count = len(states)
    moves = np.zeros((size, count, count), dtype=np.int64)
    for index, office in enumerate(deciding):
        fixed = np.array(shares_step(problem, office), dtype=bool)
        for before, state_before in enumerate(states):
            for after, state_after in enumerate(states):
                if state_before[index] == state_after[index]:
                    continue
                moves[fixed, before, after] = _INFINITE
                if office.id not in group.owned:
                    continue
                if state_after[index]:
                    moves[~fixed, before, after] += SCALE * office.blocks.block_cost + starting[office.id][~fixed]
                else:
                    moves[~fixed, before, after] += stopping[office.id][~fixed]
    moves[0] = 0
    return np.minimum(moves, _INFINITE)


@dataclass(frozen=True, slots=True)
class _StateSpace:
    """The joint states a group's programme walks: each office's open state and, for each
    office in ``counted``, the blocks it has begun so far on its local day, so that the most
    blocks a day, a hard rule, holds exactly rather than by a multiplier (the relaxation's
    solutions on the Kapitan Andreevo sample broke it more than any other rule). An office is
    counted while the states stay at most ``MAX_STATES``; the others' blocks stay priced."""

    bits: np.ndarray  # (states, offices): open or not
    column: np.ndarray  # (states,): the joint open state's column in ``_joint_costs``
    counted: frozenset[str]
    differ: np.ndarray  # (states, states): some office's open state differs
    # (slots, states, states): the moves the counts allow, None when nothing is counted; and
    # the states the plan may begin in (no block begins in its first slot).
    allowed: np.ndarray | None
    initial: np.ndarray

    @staticmethod
    def size(group: _Group, *, count_blocks: bool = True) -> tuple[int, list[tuple[int, Office]]]:
        """How many joint states the group walks, and the offices (with their positions) whose
        blocks it counts."""
        states = 2 ** len(group.offices)
        counted: list[tuple[int, Office]] = []
        for position, office in enumerate(group.offices):
            if not count_blocks or office.id not in group.owned or not office.blocks.max_blocks.hard:
                continue
            if states * (office.blocks.max_blocks_per_day + 1) > MAX_STATES:
                continue
            states *= office.blocks.max_blocks_per_day + 1
            counted.append((position, office))
        return states, counted

    @staticmethod
    def of(problem: HoursProblem, group: _Group, *, count_blocks: bool = True) -> _StateSpace:
        offices = list(group.offices)
        _, counted = _StateSpace.size(group, count_blocks=count_blocks)
        joint = list(product(
            product((False, True), repeat=len(offices)),
            product(*(range(office.blocks.max_blocks_per_day + 1) for _, office in counted)),
        ))
        bits = np.array([opened for opened, _ in joint], dtype=bool).reshape(len(joint), len(offices))
        counts = np.array([tally for _, tally in joint], dtype=np.int64).reshape(len(joint), len(counted))
        column = bits.astype(np.int64) @ (1 << np.arange(len(offices) - 1, -1, -1, dtype=np.int64))
        differ = (bits[:, None, :] != bits[None, :, :]).any(axis=2)
        initial = counts.sum(axis=1) == 0
        if not counted:
            return _StateSpace(bits=bits, column=column, counted=frozenset(), differ=differ,
                               allowed=None, initial=initial)
        size = problem.plan_slots
        # Per counted office, whether each slot begins one of its local days (the count
        # starts again there).
        new_day = np.zeros((size, len(counted)), dtype=bool)
        for index, (_, office) in enumerate(counted):
            for day in problem.office_days[office.id]:
                if 0 <= day.first_slot < size:
                    new_day[day.first_slot, index] = True
        kinds, kind_of = np.unique(new_day, axis=0, return_inverse=True)
        matrices = []
        for kind in kinds:
            allowed = np.ones((len(joint), len(joint)), dtype=bool)
            for index, (position, _) in enumerate(counted):
                begins = (~bits[:, None, position]) & bits[None, :, position]
                after = counts[None, :, index]
                expected = begins if kind[index] else counts[:, None, index] + begins
                allowed &= after == expected
            matrices.append(allowed)
        return _StateSpace(bits=bits, column=column, counted=frozenset(office.id for _, office in counted),
                           differ=differ, allowed=np.stack(matrices)[kind_of.reshape(-1)], initial=initial)

    def costs(self, cost: np.ndarray, moves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The joint open states' slot costs and moves (``_joint_costs``, ``_transitions``)
        for these states."""
        cost = cost[:, self.column]
        cost[0, ~self.initial] = _INFINITE
        moves = moves[:, self.column[:, None], self.column[None, :]]
        if self.allowed is not None:
            moves = np.where(self.allowed, moves, _INFINITE)
        return cost, moves


# --- the queues: what a closure's trucks cost --------------------------------------------------------


class _Queues:
    """What each closure of the queues costs at least, whatever the rest of the plan.

    Per flow with capacity C a slot and arrivals a(t) <= C in every slot, a closure [c, o) of
    its queue (stopped from c, moving again at o) is charged, at every slot t from c on,

        h(t) = A(c..t) - C x (slots in [o, t])     while positive,

    as if the queue were empty at c and moved in every slot from o on. The sum of the
    positive h(t) of all closures never exceeds the real backlog at t: writing the closures'
    arrivals and service slot by slot, every term of the sum either is the real queue's net
    intake since the earliest of them or is a later stretch's arrivals less its full capacity,
    which is never positive when no slot brings more than C. Waiting is the sum of end-of-slot
    backlogs, so the h(t) bound it; trucks waiting beyond the maximum wait are, first in first
    out, the backlog beyond the last ``limit`` slots' arrivals W(t), and max(0, x - W) adds up
    at least as fast as its terms, so max(0, h(t) - W(t)) of each closure bounds them too.

    In closed form, with G(t) = C (t + 1) - A(0..t) (rising, since a(t) <= C) and
    H(t) = G(t) + W(t) (rising too), h(t) = V - G(t) and h(t) - W(t) = V - H(t) for t >= o,
    V = A(c..o-1) + G(o-1): each sum ends where G or H reaches V (a binary search) and is
    a difference of prefix sums, for every closure start at once. After the plan the offices
    keep their reference hours, which the run-out charges count exactly.
    """

    def __init__(self, problem: HoursProblem, flows: Iterable[CargoFlow]) -> None:
        self.problem = problem
        self.flows = [_FlowQueue.of(problem, flow) for flow in flows]

    def closure(self, starts: np.ndarray, opening: int) -> np.ndarray:
        """Per closure start c of ``starts`` (all before ``opening``), what the closure
        [c, ``opening``) costs at least; ``opening`` = the plan's end: closed until then."""
        total = np.zeros(len(starts), dtype=np.int64)
        for queue in self.flows:
            waited, late = queue.closure(starts, opening, self.problem.plan_slots)
            total += waited * queue.cost
            if queue.limit_rule is not None:
                if queue.limit_rule.hard:
                    total[late > 0] = _INFINITE
                else:
                    total += late * queue.limit_rule.weight
        return np.minimum(total, _INFINITE)


@dataclass(frozen=True, slots=True)
class _FlowQueue:
    cost: int
    capacity: int
    limit: int
    limit_rule: Enforcement | None
    trucks: np.ndarray  # trucks[k]: hundredths of a truck arriving in slots < k
    weighted: np.ndarray  # weighted[k]: the same, each times its arrival slot
    rising: np.ndarray  # G(t)
    rising_sums: np.ndarray  # sums of G(t) over slots < k
    late_rising: np.ndarray  # H(t)
    late_rising_sums: np.ndarray
    runout_moves: np.ndarray  # per run-out slot, the slots the queue has moved in so far
    runout_window: np.ndarray  # per run-out slot, W(t)

    @staticmethod
    def of(problem: HoursProblem, flow: CargoFlow) -> _FlowQueue:
        arrivals = np.array(problem.arrivals_centi[flow.id], dtype=np.int64)
        every = len(arrivals)
        capacity = problem.capacity_centi[flow.id]
        trucks = np.concatenate(([0], np.cumsum(arrivals)))
        weighted = np.concatenate(([0], np.cumsum(arrivals * np.arange(every, dtype=np.int64))))
        rising = capacity * np.arange(1, every + 1, dtype=np.int64) - trucks[1:]
        # Without a maximum wait, W(t) covers every arrival so far: nothing is ever late.
        limit = every + 1 if flow.max_wait_minutes is None else flow.max_wait_minutes // SLOT_MINUTES
        window = trucks[1:] - trucks[np.maximum(0, np.arange(every) - limit + 1)]
        late_rising = rising + window
        size = problem.plan_slots
        moves = np.array([all(problem.runout_open[check.office_id][k] for check in flow.checks)
                          for k in range(every - size)], dtype=np.int64)
        return _FlowQueue(
            cost=flow.waiting_cost_per_truck_hour, capacity=capacity, limit=limit,
            limit_rule=None if flow.max_wait_minutes is None else flow.max_wait,
            trucks=trucks, weighted=weighted,
            rising=rising, rising_sums=np.concatenate(([0], np.cumsum(rising))),
            late_rising=late_rising, late_rising_sums=np.concatenate(([0], np.cumsum(late_rising))),
            runout_moves=np.cumsum(moves), runout_window=window[size:],
        )

    def closure(self, starts: np.ndarray, opening: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Truck-slots of waiting, and beyond the maximum wait, that the closure
        [c, ``opening``) is charged, per start c of ``starts``."""
        trucks, weighted, limit = self.trucks, self.weighted, self.limit
        arrived = trucks[opening] - trucks[starts]
        # While closed, every truck of the closure waits; those of its first slots are late.
        waited = opening * arrived - (weighted[opening] - weighted[starts])
        late = np.zeros(len(starts), dtype=np.int64)
        edge = opening - limit
        if edge > 0:
            early = starts < edge
            late[early] = (edge * (trucks[edge] - trucks[starts[early]])
                           - (weighted[edge] - weighted[starts[early]]))
        if opening < size:
            level = arrived + self.capacity * opening - trucks[opening]  # V = A(c..o-1) + G(o-1)
            waited += self._above(level, opening, self.rising, self.rising_sums)
            late += self._above(level, opening, self.late_rising, self.late_rising_sums)
        else:
            # Closed to the plan's end: the run-out's hours, as they are, clear the backlog.
            backlog = arrived[:, None] - self.capacity * self.runout_moves[None, :]
            waited += np.maximum(0, backlog).sum(axis=1)
            late += np.maximum(0, backlog - self.runout_window[None, :]).sum(axis=1)
        return waited, late

    @staticmethod
    def _above(level: np.ndarray, opening: int, rising: np.ndarray, sums: np.ndarray) -> np.ndarray:
        """Sum over t >= ``opening`` of max(0, level - rising(t)), ``rising`` non-decreasing."""
        ends = np.maximum(opening, np.searchsorted(rising, level, side="left"))
        return (ends - opening) * level - (sums[ends] - sums[opening])


# --- the programme -----------------------------------------------------------------------------------


def _programme(
    problem: HoursProblem,
    group: _Group,
    space: _StateSpace,
    cost: np.ndarray,
    moves: np.ndarray,
    queues: _Queues,
) -> tuple[int, list[tuple[bool, ...]]]:
    """The least cost of the relaxation over every sequence of the group's joint states
    (``space``), and a sequence of the offices' open states (one per plan slot) that attains it."""
    size = problem.plan_slots
    count = len(space.bits)
    every = np.arange(count)
    # The queues move when every office they wait on is open.
    waited_on = [index for index, office in enumerate(group.offices) if office.id in group.gate]
    moving: np.ndarray = space.bits[:, waited_on].sum(axis=1) == len(waited_on)
    # The queue stops and moves again only where some office may change state.
    finite = moves < _INFINITE
    changing = (finite & space.differ[None, :, :]).any(axis=(1, 2))
    changes = np.flatnonzero(changing)
    starts = np.concatenate(([0], changes[changes > 0])).astype(np.int64)
    row_of = {int(slot): row for row, slot in enumerate(starts)}
    # Each state's possible states before it, per pattern of allowed moves: most slots allow
    # only staying, so the programme visits a few pairs of states rather than all of them.
    patterns: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    # ``running[j]``: least cost of slots 0..s with the queue moving at s, in state j.
    # ``waiting[i, j]``: least cost of slots 0..s (the closure's trucks not yet costed) with the
    # queue stopped since ``starts[live[i]]`` (moving just before it, or it is slot 0), in
    # state j. A closure that began earlier costs at least as much whenever the queue moves
    # again (more trucks have come), so one that has cost no less so far than a later one in
    # the same state never leads to the least cost: it is dropped, and a closure with no state
    # left leaves ``live``.
    running = np.where(moving, cost[0], _INFINITE)
    live = np.zeros(1, dtype=np.int64)
    waiting = np.where(moving, _INFINITE, cost[0])[None, :]
    # What each state came from, to read the sequence back: for a stopped queue, the closures
    # live at the slot and the state before per closure; for a moving one, the closure it ended
    # (-1: none) and the state before.
    came_waiting: list[tuple[np.ndarray, np.ndarray]] = [(live, np.zeros((1, count), dtype=np.int16))]
    came_running: list[tuple[np.ndarray, np.ndarray]] = [(np.full(count, -1), np.zeros(count, dtype=np.int16))]
    for slot in range(1, size):
        key = finite[slot].tobytes()
        if key not in patterns:
            patterns[key] = _predecessors(finite[slot])
        before, padded = patterns[key]
        rows = len(live)
        if before.shape[1] == 1:
            # Every state can only have come from one: no choice to make.
            only = before[:, 0]
            step = np.where(padded[:, 0], _INFINITE, moves[slot][only, every])
            from_waiting = waiting[:, only] + step[None, :]
            before_waiting = np.broadcast_to(only, (rows, count))
            from_running = running[only] + step
            before_running = only
        else:
            step = np.where(padded, _INFINITE, moves[slot][before, every[:, None]])
            candidates = (waiting[:, before] + step[None, :, :]).reshape(rows * count, -1)
            choice = np.argmin(candidates, axis=1)
            from_waiting = candidates[np.arange(rows * count), choice].reshape(rows, count)
            before_waiting = before[np.tile(every, rows), choice].reshape(rows, count)
            running_candidates = running[before] + step
            running_choice = np.argmin(running_candidates, axis=1)
            from_running = running_candidates[every, running_choice]
            before_running = before[every, running_choice]
        opens_here = slot in row_of
        if opens_here:
            reopening = from_waiting + queues.closure(starts[live], slot)[:, None]
            reopened_at = np.argmin(reopening, axis=0)
            reopened = reopening[reopened_at, every]
            use_closure = reopened < from_running
            came_running.append((np.where(use_closure, live[reopened_at], -1),
                                 np.where(use_closure, before_waiting[reopened_at, every], before_running)))
            running_next = np.minimum(from_running, reopened)
        else:
            came_running.append((np.full(count, -1), before_running))
            running_next = from_running
        running = np.where(moving, np.minimum(running_next + cost[slot], _INFINITE), _INFINITE)
        waiting = np.where(moving[None, :], _INFINITE, np.minimum(from_waiting + cost[slot], _INFINITE))
        if opens_here:
            live = np.append(live, row_of[slot])
            waiting = np.vstack([waiting, np.where(moving, _INFINITE, np.minimum(from_running + cost[slot], _INFINITE))])
            came_waiting.append((live, np.vstack([before_waiting, before_running[None, :]]).astype(np.int16)))
        else:
            came_waiting.append((live, before_waiting.astype(np.int16)))
        if len(live) > 1:
            later = np.minimum.accumulate(waiting[:0:-1], axis=0)[::-1]
            waiting[:-1] = np.where(waiting[:-1] >= later, _INFINITE, waiting[:-1])
            keep = (waiting < _INFINITE).sum(axis=1) > 0
            keep[-1] = True
            live, waiting = live[keep], waiting[keep]
    closing = np.min(waiting, axis=1) + queues.closure(starts[live], size)
    if np.min(running) <= np.min(closing):
        best, state, row = int(np.min(running)), int(np.argmin(running)), -1
    else:
        position = int(np.argmin(closing))
        best, state, row = int(closing[position]), int(np.argmin(waiting[position])), int(live[position])
    sequence = [0] * size
    for slot in range(size - 1, -1, -1):
        sequence[slot] = state
        if slot == 0:
            break
        if row < 0:
            ended, came_from = came_running[slot]
            row, state = int(ended[state]), int(came_from[state])
        else:
            rows_then, came_from = came_waiting[slot]
            previous = int(came_from[int(np.searchsorted(rows_then, row)), state])
            if starts[row] == slot:
                row = -1
            state = previous
    return best, [tuple(bool(bit) for bit in space.bits[index]) for index in sequence]


def _predecessors(allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per state k, the states j with ``allowed[j, k]``, padded to one length (``padded``
    marks the fillers; a state with none gets one filler)."""
    lists = [np.flatnonzero(allowed[:, k]) for k in range(allowed.shape[1])]
    width = max(1, max(len(found) for found in lists))
    before = np.zeros((len(lists), width), dtype=np.int64)
    padded = np.ones((len(lists), width), dtype=bool)
    for k, found in enumerate(lists):
        before[k, :len(found)] = found
        padded[k, :len(found)] = False
    return before, padded
