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
from collections.abc import Iterable
from datetime import timedelta

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import clone_model, hint_everything, run_cpsat
from solver.roster.model import build_model
from solver.roster.problem import RosterProblem, Shift

ENGINE = "roster-construct"
_LONGEST_SHIFT = timedelta(hours=26)
# What an officer's search for any roster may take when the construction's time is spent (it
# stops at the first roster: under a second for a year-long officer of the benchmark).
_LEAST_FEASIBILITY_SECONDS = 10.0
_FEASIBILITY_SUBSOLVERS = ("quick_restart_no_lp", "no_lp")


def residual_problem(problem: RosterProblem, officer_ids: set[str],
                     others: set[tuple[str, str]]) -> RosterProblem:
    """``problem`` for ``officer_ids`` alone; ``others`` are the other officers' assignments.

    Demand drops by what the others staff (never below zero); a fair-spread group is kept
    only if all its members are free, published and personal facts follow their officers.
    The objective of the result differs from the whole roster's by a constant (what the
    others cost), so improving one improves the other.
    """
    staffed = staffing(problem, others)
    shift_cover = tuple(
        dataclasses.replace(c, required=max(0, c.required - staffed[c.shift_id][c.skill]))
        for c in problem.shift_cover)
    interval_cover = tuple(reduced_intervals(problem, staffed))
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


def staffing(problem: RosterProblem,
             assignments: Iterable[tuple[str, str]]) -> dict[str, Counter[str | None]]:
    """Officers on each shift of ``assignments``, in all (key None) and by skill."""
    staffed: dict[str, Counter[str | None]] = defaultdict(Counter)
    for officer_id, shift_id in assignments:
        officer = problem.officer(officer_id)
        counts = staffed[shift_id]
        counts[None] += 1
        for skill in officer.skills:
            counts[skill] += 1
    return staffed


def reduced_intervals(problem: RosterProblem, staffed: dict[str, Counter[str | None]]):  # type: ignore[no-untyped-def]
    """``problem``'s interval demand less what ``staffed`` (``staffing``) already covers."""
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
    """A roster built officer by officer in about ``seconds`` (officers reached after them get
    any roster their rules allow, a little later), or None if one officer's own rules leave
    them no roster that CP-SAT finds."""
    deadline = time.monotonic() + seconds
    # The least flexible officers choose first, while most of the demand is still open.
    order = sorted(problem.officers, key=lambda o: sum(
        1 for s in problem.shifts if problem.may_staff(o, s)))
    roster: set[tuple[str, str]] = set()
    for position, officer in enumerate(order):
        share = max(deadline - time.monotonic(), 0.0) / (len(order) - position)
        alone = residual_problem(problem, {officer.id}, roster)
        built = build_model(alone)
        # Once the time is spent, the officers left still get a roster that keeps their
        # rules, only not the one that serves the demand best: a roster late beats none.
        start = _feasible_start(built.model, config, max(share, _LEAST_FEASIBILITY_SECONDS))
        if start is None:
            return None
        chosen = start
        if share > 0.05:
            run = run_cpsat(built.model, SolverConfig(time_limit_seconds=share, workers=1, seed=config.seed),
                            engine=ENGINE)
            if run.has_solution:
                chosen = run.solver
        roster |= {key for key, on in built.read_values(chosen).items() if on}
    return roster


def _feasible_start(model: cp_model.CpModel, config: SolverConfig, seconds: float) -> cp_model.CpSolver | None:
    """One roster of ``model`` that keeps its hard rules, whatever it costs, hinted into it.

    A year of one officer held to a narrow band of total minutes, consecutive-day limits and
    a weekend cap (the benchmark's Instances 20-24) is a puzzle CP-SAT's default two workers
    took 2-60 s to solve, objective or not; its quick-restart search without the LP solves it
    in well under a second. The costed search then starts from it."""
    feasibility = clone_model(model)
    feasibility.clear_objective()
    feasibility.clear_hints()
    solver = cp_model.CpSolver()
    for subsolver in _FEASIBILITY_SUBSOLVERS:
        solver.parameters.subsolvers.append(subsolver)
    run = run_cpsat(feasibility, SolverConfig(time_limit_seconds=max(seconds, 0.05), workers=config.workers,
                                              seed=config.seed), engine=ENGINE, solver=solver)
    if not run.has_solution:
        return None
    hint_everything(model, run.solver)
    return run.solver
