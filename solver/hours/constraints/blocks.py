"""Shape of each office's opening: at most N blocks a day, a minimum block length, no
closed fragment between two blocks shorter than the minimum (an hour by default), and the
fragmentation cost of every block.

Blocks are counted on the local day they start. Minimum lengths use the strong
start-up/shut-down form (a start in the last L slots implies open now), which is the convex
hull of the minimum up/down-time polytope, so the relaxation stays tight. A block open when
the plan begins continues from before it and is neither counted nor measured; one still open
when the plan ends continues into the next plan.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.penalties import Penalty, per_event, per_hour
from solver.hours.problem import SLOT_MINUTES, HoursProblem, Office
from solver.hours.variables import HardRule, HoursVars, Literal

NAME = "Opening blocks per day, minimum block length, no short fragment"


def add_blocks(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for office in problem.offices:
        starts, stops = vars.transitions(office.id)
        if all(isinstance(start, int) for start in starts):
            continue  # one state throughout: no block starts or stops inside the plan
        penalties += _blocks_per_day(model, problem, vars, office, starts)
        row = vars.open[office.id]
        rules = office.blocks
        penalties += _min_run(
            model, vars, office, starts, [(literal, False) for literal in row],
            rules.min_block_minutes, rules.min_block.hard, rules.min_block.weight,
            names.MIN_BLOCK, "opening block",
        )
        penalties += _min_run(
            model, vars, office, stops, [(literal, True) for literal in row],
            rules.min_fragment_minutes, rules.min_fragment.hard, rules.min_fragment.weight,
            names.MIN_FRAGMENT, "closed break between blocks",
        )
    return penalties


def _blocks_per_day(
    model: cp_model.CpModel,
    problem: HoursProblem,
    vars: HoursVars,
    office: Office,
    starts: list[Literal],
) -> list[Penalty]:
    rules = office.blocks
    penalties = []
    for day in problem.office_days[office.id]:
        day_starts = [
            start for start in starts[day.first_slot : day.end_slot] if not isinstance(start, int)
        ]
        if not day_starts:
            continue
        count = sum(day_starts)
        if rules.block_cost:
            penalties.append(
                per_event(names.FRAGMENTATION, office.name, day.day, count, rules.block_cost,
                          "opening blocks", unit="blocks")
            )
        limit = rules.max_blocks_per_day
        if len(day_starts) <= limit:
            continue
        if rules.max_blocks.hard:
            vars.require(
                model.add(count <= limit),
                HardRule(names.MAX_BLOCKS, office.name, day.day,
                         f"{office.name} opens at most {limit} block(s) on {day.day.isoformat()}"),
            )
        else:
            excess = model.new_int_var(0, len(day_starts) - limit, f"extra_blocks[{office.id}][{day.day}]")
            model.add(count - limit <= excess)
            penalties.append(
                per_event(names.MAX_BLOCKS, office.name, day.day, excess, rules.max_blocks.weight,
                          f"blocks beyond {limit} a day", unit="blocks")
            )
    return penalties


def _min_run(
    model: cp_model.CpModel,
    vars: HoursVars,
    office: Office,
    events: list[Literal],
    states: list[tuple[cp_model.IntVar, bool]],
    minutes: int,
    hard: bool,
    weight: int,
    rule: str,
    what: str,
) -> list[Penalty]:
    """A run that begins with an event (a start, or a stop) lasts ``minutes``: an event in
    the last L slots forces the state (open, or closed when ``negated``) now. Soft, each
    slot pays for the events of the last L slots beyond the one its state allows."""
    length = minutes // SLOT_MINUTES
    if length <= 1:
        return []
    shortfalls = []
    previous: tuple[object, ...] | None = None
    # Where events can happen at all (a step's first slot): the window is a slice of these.
    at = [slot for slot, event in enumerate(events) if slot and not isinstance(event, int)]
    for slot in range(1, len(states)):
        recent = [events[e] for e in at[bisect_left(at, slot - length + 1) : bisect_right(at, slot)]]
        literal, negated = states[slot]
        # Slots of one decision step repeat the same constraint; state it once.
        key = (tuple(event.index for event in recent), literal.index)
        if recent and key == previous and not hard:
            # ...but soft, every slot pays its own shortfall, which is the same one again.
            shortfalls.append(shortfalls[-1])
            continue
        if not recent or key == previous:
            previous = key
            continue
        previous = key
        state = literal.Not() if negated else literal
        if hard:
            vars.require(
                model.add(sum(recent) <= state),
                HardRule(rule, office.name, None,
                         f"every {what} of {office.name} lasts at least {minutes} minutes"),
            )
        else:
            short = model.new_int_var(0, len(recent), f"short_{what}[{office.id}][{slot}]")
            model.add(sum(recent) <= state + short)
            shortfalls.append(short)
    if not shortfalls:
        return []
    return [
        per_hour(rule, office.name, None, sum(shortfalls), weight,
                 f"{what}s shorter than {minutes} minutes")
    ]
