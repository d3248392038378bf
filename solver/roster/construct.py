"""A first roster built officer by officer, for parts where CP-SAT struggles to find one.

The only rules that tie officers to each other are demand and fair spread; every other rule
concerns one officer. So a roster can be built one officer at a time: each officer gets the
roster that best serves the demand the officers before them left open, under all of their own
rules, solved by CP-SAT on the engine's own model of that officer alone. It satisfies every
hard rule of a single officer by construction (a hard demand or a hard fair spread may still
be missed, which the search after it repairs), and it is a far better start for the search
than what CP-SAT finds in its first seconds on a year-long roster of a hundred officers.

``residual_problem`` is also what the officer neighbourhoods of the search solve: the part's
problem restricted to some officers, with demand reduced by what the others already staff.
"""

from __future__ import annotations

import bisect
import dataclasses
import time
from collections import Counter, defaultdict
from datetime import timedelta

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.roster.model import build_model
from solver.roster.problem import RosterProblem, Shift

ENGINE = "roster-construct"
_LONGEST_SHIFT = timedelta(hours=26)


def residual_problem(problem: RosterProblem, officer_ids: set[str],
                     others: set[tuple[str, str]]) -> RosterProblem:
    """``problem`` for ``officer_ids`` alone; ``others`` are the other officers' assignments.

    Demand drops by what the others staff (never below zero); a fair-spread group is kept
    only if all its members are free, published and personal facts follow their officers.
    The objective of the result differs from the whole roster's by a constant (what the
    others cost), so improving one improves the other.
    """
    staffed: dict[str, Counter[str | None]] = defaultdict(Counter)
    for officer_id, shift_id in others:
        officer = problem.officer(officer_id)
        counts = staffed[shift_id]
        counts[None] += 1
        for skill in officer.skills:
            counts[skill] += 1
    shift_cover = tuple(
        dataclasses.replace(c, required=max(0, c.required - staffed[c.shift_id][c.skill]))
        for c in problem.shift_cover)
    interval_cover = tuple(_reduced_intervals(problem, staffed))
    published = problem.published
    if published is not None:
        published = dataclasses.replace(published, assignments=frozenset(
            pair for pair in published.assignments if pair[0] in officer_ids))
    return dataclasses.replace(
        problem,
        officers=tuple(o for o in problem.officers if o.id in officer_ids),
        shift_cover=shift_cover,
        interval_cover=interval_cover,
        absences=tuple(a for a in problem.absences if a.officer_id in officer_ids),
        requests=tuple(r for r in problem.requests if r.officer_id in officer_ids),
        history=tuple(h for h in problem.history if h.officer_id in officer_ids),
        pins=tuple(p for p in problem.pins if p.officer_id in officer_ids),
        published=published,
        fair_spread=tuple(g for g in problem.fair_spread if set(g.officer_ids) <= officer_ids),
    )


def _reduced_intervals(problem: RosterProblem, staffed: dict[str, Counter[str | None]]):  # type: ignore[no-untyped-def]
    if not problem.interval_cover:
        return
    by_office: dict[str, list[Shift]] = defaultdict(list)
    for shift in sorted(problem.shifts, key=lambda s: s.start):
        by_office[shift.office_id].append(shift)
    starts = {office: [s.start for s in shifts] for office, shifts in by_office.items()}
    for interval in problem.interval_cover:
        shifts = by_office.get(interval.office_id, [])
        first = bisect.bisect_left(starts.get(interval.office_id, []),
                                   interval.start - _LONGEST_SHIFT)
        last = bisect.bisect_right(starts.get(interval.office_id, []), interval.start)
        present = sum(staffed[s.id][interval.skill] for s in shifts[first:last]
                      if s.end >= interval.end and s.id in staffed)
        yield dataclasses.replace(interval, required=max(0, interval.required - present))


def construct(problem: RosterProblem, config: SolverConfig,
              seconds: float) -> set[tuple[str, str]] | None:
    """A roster built officer by officer within ``seconds``, or None if one officer's own
    rules leave them no roster (or time ran out)."""
    deadline = time.monotonic() + seconds
    # The least flexible officers choose first, while most of the demand is still open.
    order = sorted(problem.officers, key=lambda o: sum(
        1 for s in problem.shifts if problem.may_staff(o, s)))
    roster: set[tuple[str, str]] = set()
    for position, officer in enumerate(order):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        alone = residual_problem(problem, {officer.id}, roster)
        built = build_model(alone)
        share = remaining / (len(order) - position)
        run = run_cpsat(built.model, SolverConfig(time_limit_seconds=max(share, 0.05),
                                                  workers=1, seed=config.seed),
                        engine=ENGINE)
        if not run.has_solution:
            return None
        roster |= {key for key, on in built.read_values(run.solver).items() if on}
    return roster
