"""A window of days of a long roster, posed as a roster problem of its own.

The neighbourhood search re-optimises a few days (or officers) of a roster with the rest
fixed. For a year-long part (the benchmark's Instances 23 and 24: 364 days, 100 and 150
officers, up to a million variables) doing that on a clone of the whole model costs seconds of copying and
presolve per step, most of a step's time. Here the window becomes a small ``RosterProblem``
whose rosters cost what the whole roster costs, up to a constant:

* the days before the window are its history (the rules read history already);
* the days after it, for as long as any rule looks ahead, are pinned to the current roster,
  so every rule that spans the window's edge sees the days beyond it;
* limits over the whole horizon (shifts of a type, working minutes, weekends, nights) lose
  what the officer works outside the window;
* interval demand loses what shifts from before the window already staff;
* with some officers only, demand loses what the others staff (``residual_problem``);
* days of the window that are not free (two weekends freed, the weeks between them held) are
  pinned to the current roster like the days after it.

So a roster of the window that costs less is a whole roster that costs less by as much, and
the search can compare the two through the independent checker on the window alone. Rules
that average or compare over the whole horizon (average hours, weekly overtime blocks, fair
spread across officers) do not decompose this way, and parts with them are searched whole.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from solver.roster.constraints.weekends import weekends
from solver.roster.construct import reduced_intervals, residual_problem, staffing
from solver.roster.problem import (
    MinutesWindow,
    Officer,
    PastShift,
    Pin,
    RosterProblem,
    Shift,
)
from solver.roster.variables import day_of

Key = tuple[str, str]
# Weekly rest looks over a week, and a weekend over two days: a window's edge is never
# nearer than this to a day whose rules could change.
_LEAST_REACH = 8


def decomposable(problem: RosterProblem) -> bool:
    """Whether every rule of ``problem`` survives being cut into windows (see above)."""
    if problem.fair_spread:
        return False
    return all(o.rules.average_hours is None and o.rules.overtime is None
               for o in problem.officers)


def reach(problem: RosterProblem) -> int:
    """Days any rule looks across: a window keeps this many known days on either side."""
    longest = _LEAST_REACH
    for officer in problem.officers:
        rules = officer.rules
        for limit in (rules.max_consecutive_days, rules.min_consecutive_days,
                      rules.min_consecutive_days_off, rules.max_consecutive_nights):
            if limit is not None:
                longest = max(longest, limit.value + 2)
    return longest


def window_problem(problem: RosterProblem, assigned: frozenset[Key], first: int, last: int,
                   officer_ids: Iterable[str] | None = None,
                   free_days: Iterable[int] | None = None) -> RosterProblem:
    """Days ``first``..``last`` (indexes, inclusive) of ``problem`` around roster ``assigned``,
    for ``officer_ids`` (all officers if None); with ``free_days``, the other days of the
    window are pinned to ``assigned`` too (two weekends weeks apart, the days between held)."""
    if not decomposable(problem):
        raise ValueError(f"{problem.name}: its rules do not decompose into windows of days")
    if not 0 <= first <= last < problem.days:
        raise ValueError(f"days {first}..{last} are not a window of the {problem.days}-day horizon")
    margin = reach(problem)
    end = min(problem.days, last + 1 + margin)
    chosen = None if officer_ids is None else set(officer_ids)
    held = set() if free_days is None else set(range(first, last + 1)) - set(free_days)
    window = _days(problem, assigned, first, end, pinned_from=last + 1, margin=margin,
                   held=held, officer_ids=chosen)
    worked = _worked(problem, assigned)
    window = dataclasses.replace(window, officers=tuple(
        _rules_left(problem, window, officer, worked[officer.id]) for officer in problem.officers))
    if chosen is not None:
        inside_ids = {s.id for s in window.shifts}
        others = frozenset(pair for pair in assigned
                           if pair[0] not in chosen and pair[1] in inside_ids)
        window = residual_problem(window, chosen, others)
    return window


def _worked(problem: RosterProblem, assigned: Iterable[Key]) -> dict[str, list[Shift]]:
    worked: dict[str, list[Shift]] = defaultdict(list)
    for officer_id, shift_id in assigned:
        worked[officer_id].append(problem.shift(shift_id))
    return worked


def _days(problem: RosterProblem, assigned: frozenset[Key], first: int, end: int,
          pinned_from: int, margin: int, held: set[int],
          officer_ids: set[str] | None) -> RosterProblem:
    """Days ``first``..``end - 1`` of ``problem``, the ``margin`` days before them its history
    (from ``assigned``) and the days from ``pinned_from`` and those ``held`` pinned to
    ``assigned`` (for ``officer_ids`` only, if given: the others' pins would be dropped)."""
    history_days = first + problem.history_days if first <= margin else margin
    start = problem.start + timedelta(days=first)
    known_from = start - timedelta(days=history_days)
    inside = [s for s in problem.shifts if first <= problem.day_index(s.day) < end]
    inside_ids = {s.id for s in inside}
    pinned_days = {day_of(problem, i) for i in (*range(pinned_from, end), *held)}

    history = [p for p in problem.history if p.day >= known_from]
    before: set[Key] = set()
    for officer_id, shift_id in assigned:
        shift = problem.shift(shift_id)
        if shift.day < start:
            before.add((officer_id, shift_id))
            if shift.day >= known_from:
                history.append(PastShift(officer_id=officer_id, template_id=shift.template_id,
                                         day=shift.day, start=shift.start, end=shift.end,
                                         night=shift.night))
    pins = [p for p in problem.pins if p.shift_id in inside_ids]
    pinned = [s for s in inside if s.day in pinned_days]
    for officer in problem.officers:
        if officer_ids is not None and officer.id not in officer_ids:
            continue
        for shift in pinned:
            if problem.may_staff(officer, shift):
                pins.append(Pin(officer_id=officer.id, shift_id=shift.id,
                                assigned=(officer.id, shift.id) in assigned))
    published = problem.published
    if published is not None:
        published = dataclasses.replace(published, assignments=frozenset(
            pair for pair in published.assignments if pair[1] in inside_ids))
    low = min((s.start for s in inside), default=None)
    high = max((s.end for s in inside), default=None)
    return dataclasses.replace(
        problem,
        name=f"{problem.name}, days {first + 1}-{end}",
        start=start,
        days=end - first,
        shifts=tuple(inside),
        shift_cover=tuple(c for c in problem.shift_cover if c.shift_id in inside_ids),
        interval_cover=tuple(_interval_cover(problem, before, inside)),
        absences=tuple(a for a in problem.absences
                       if low is not None and high is not None and a.end > low
                       and a.start < high),
        requests=tuple(r for r in problem.requests if start <= r.day < start + timedelta(
            days=end - first)),
        history=tuple(history),
        history_days=history_days,
        pins=tuple(pins),
        published=published,
    )


def _interval_cover(problem: RosterProblem, before: set[Key], inside: list[Shift]):  # type: ignore[no-untyped-def]
    """The intervals a shift of the window could staff, less what earlier shifts staff."""
    if not problem.interval_cover:
        return
    reach_of: dict[str, tuple] = {}
    for shift in inside:
        low, high = reach_of.get(shift.office_id, (shift.start, shift.end))
        reach_of[shift.office_id] = (min(low, shift.start), max(high, shift.end))
    for interval in reduced_intervals(problem, staffing(problem, before)):
        span = reach_of.get(interval.office_id)
        if span is not None and span[0] <= interval.start and interval.end <= span[1]:
            yield interval


def _rules_left(problem: RosterProblem, window: RosterProblem, officer: Officer,
                worked: list[Shift]) -> Officer:
    """The officer's limits over the horizon, less what they work (``worked``) outside the
    window. Beyond a soft limit already, the window pays from its first unit: a constant
    apart."""
    inside = [s for s in worked if window.start <= s.day <= window.end_day]
    outside = [s for s in worked if not window.start <= s.day <= window.end_day]
    rules = officer.rules
    changes: dict[str, object] = {}
    if rules.max_shifts_per_template:
        changes["max_shifts_per_template"] = rules.template_limits_less(
            Counter(s.template_id for s in outside))
    if rules.max_night_shifts is not None:
        changes["max_night_shifts"] = rules.max_night_shifts.less(
            sum(1 for s in outside if s.night))
    if rules.working_time:
        full_past = [p for p in problem.history if p.officer_id == officer.id]
        window_past = [p for p in window.history if p.officer_id == officer.id]
        changes["working_time"] = tuple(
            _minutes_left(w, _minutes(w, worked, full_past) - _minutes(w, inside, window_past))
            for w in rules.working_time)
    if rules.max_weekends is not None:
        days = {s.day for s in worked} | {p.day for p in problem.history
                                          if p.officer_id == officer.id}
        changes["max_weekends"] = rules.max_weekends.less(
            _weekends_worked(problem, officer, days) - _weekends_worked(window, officer, days))
    if not changes:
        return officer
    return dataclasses.replace(officer, rules=dataclasses.replace(rules, **changes))  # type: ignore[arg-type]


def _minutes(window: MinutesWindow, shifts: Iterable[Shift], past: Iterable[PastShift]) -> int:
    return (sum(s.minutes for s in shifts if window.contains(s.day))
            + sum(p.minutes for p in past if window.contains(p.day)))


def _minutes_left(window: MinutesWindow, used: int) -> MinutesWindow:
    return dataclasses.replace(
        window,
        min_minutes=None if window.min_minutes is None else window.min_minutes.less(used),
        max_minutes=None if window.max_minutes is None else window.max_minutes.less(used))


def _weekends_worked(problem: RosterProblem, officer: Officer, days: set[date]) -> int:
    return sum(1 for group in weekends(problem, officer)
               if any(day_of(problem, index) in days for index in group))


