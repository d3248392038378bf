"""Runs of consecutive days: the shared encodings behind the consecutive-days rules.

A sequence is one officer's days from the first known day of history to the end of the
horizon: constants for history, literals for the horizon (``RosterVars.day_states``).

* Maximum run ``L``: every window of ``L + 1`` known days reaching into the horizon holds at
  most ``L`` worked days; soft, each full window costs one unit (a run ``L + k`` long pays k).
* Minimum run ``L``: a run whose previous day is known and whose next day (the first day
  after it) lies in the horizon lasts at least ``L`` days. Runs reaching the start of the
  known days or the end of the horizon are not judged, since they may continue outside.
  Each too-short run is a pattern (off, ``k`` days on, off) forbidden by one clause when
  hard, or paid through one literal per pattern (a unit per missing day) when soft. On the
  benchmark, these clauses gave CP-SAT better bounds and rosters than the start/end
  variables of the min-up/min-down polytope, whose extra variables it handles poorly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from solver.roster.problem import Limit
from solver.roster.variables import DayState, Guard, Penalty, RosterVars, day_of, total


@dataclass(frozen=True, slots=True)
class RunRule:
    """One run rule of one officer: what it is called, whom it binds, how to word a breach."""

    name: str
    scope: str
    subject: str
    guard: Guard
    describe: Callable[[date, int], str]


def _negate(state: DayState) -> DayState:
    if state is None:
        return None
    if isinstance(state, int):
        return 1 - state
    return ~state


def add_max_run(model: cp_model.CpModel, v: RosterVars, first: int, states: list[DayState],
                limit: Limit, rule: RunRule) -> list[Penalty]:
    length = limit.value
    last = first + len(states) - 1
    penalties: list[Penalty] = []
    for start in range(max(first, -length), last - length + 1):
        window = states[start - first:start - first + length + 1]
        fixed = sum(s for s in window if isinstance(s, int))
        free = [s for s in window if not isinstance(s, int)]
        if fixed + len(free) <= length:
            continue
        end_day = day_of(v.problem, start + length)
        if limit.enforcement.hard:
            model.add(total(free) + fixed <= length).only_enforce_if(
                v.guard(rule.name, rule.scope, rule.guard))
            continue
        if not free:
            penalties.append(Penalty(rule.name, rule.subject, end_day, 1,
                                     limit.enforcement.weight, rule.describe(end_day, 1)))
            continue
        paid = model.new_bool_var(f"{rule.name}: {rule.scope} window {start}")
        model.add(total(free) + fixed <= length + paid)
        penalties.append(Penalty(rule.name, rule.subject, end_day, paid,
                                 limit.enforcement.weight, rule.describe(end_day, 1)))
    return penalties


def add_min_run(model: cp_model.CpModel, v: RosterVars, first: int, states: list[DayState],
                limit: Limit, rule: RunRule, *, of_work: bool) -> list[Penalty]:
    """Minimum length of runs of work (``of_work``) or of days off."""
    if limit.value <= 1:
        return []
    seq = states if of_work else [_negate(s) for s in states]
    last = first + len(seq) - 1
    penalties: list[Penalty] = []
    enforce = v.guard(rule.name, rule.scope, rule.guard) if limit.enforcement.hard else []
    for start in range(first + 1, last):
        for length in range(1, limit.value):
            after = start + length
            if after > last or after < 0:
                continue
            # The short run: not in a run the day before, `length` days in it, out after.
            pattern = [_negate(seq[start - 1 - first])]
            pattern += [seq[d - first] for d in range(start, after)]
            pattern.append(_negate(seq[after - first]))
            if any(isinstance(p, int) and p == 0 for p in pattern):
                continue
            literals = [p for p in pattern if not isinstance(p, int)]
            if limit.enforcement.hard:
                model.add_bool_or([~lit for lit in literals]).only_enforce_if(enforce)
                continue
            short = limit.value - length
            start_day = day_of(v.problem, start)
            message = rule.describe(start_day, length)
            if not literals:
                penalties.append(Penalty(rule.name, rule.subject, start_day, short,
                                         limit.enforcement.weight, message))
                continue
            paid = model.new_bool_var(f"{rule.name}: {rule.scope} {start}+{length}")
            model.add_bool_or([~lit for lit in literals] + [paid])
            penalties.append(Penalty(rule.name, rule.subject, start_day, short * paid,
                                     limit.enforcement.weight, message))
    return penalties
