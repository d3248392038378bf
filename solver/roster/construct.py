"""A first roster built officer by officer, for parts where CP-SAT struggles to find one.

The only rules that tie officers to each other are demand and fair spread; every other rule
concerns one officer. So a roster can be built one officer at a time: each officer gets the
roster that best serves the demand the officers before them left open, under all of their own
rules, solved by CP-SAT on the engine's own model of that officer alone. It satisfies every
hard rule of a single officer by construction (a hard demand or a hard fair spread may still
be missed, which the search after it repairs), and it is a far better start for the search
than what CP-SAT finds in its first seconds on a year-long roster of a hundred officers.

For one officer, demand is linear: a shift where an officer is still missing saves its
under-cover weight, one already staffed costs its over-cover weight. So the officer's model
holds their own rules only, with those values as objective terms: modelling the whole year's
demand for each of a hundred officers took half the construction's time on Instance 23 and
left most officers no time to serve it.

``residual_problem`` is also what the officer neighbourhoods of the search solve: the part's
problem restricted to some officers, with demand reduced by what the others already staff.
"""

from __future__ import annotations

import bisect
import dataclasses
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import clone_model, run_cpsat
from solver.roster.checker import check_assignments
from solver.roster.constraints.weekends import weekends
from solver.roster.model import RosterModel, build_model, penalty_sum
from solver.roster.problem import IntervalCover, Officer, RosterProblem, Shift
from solver.roster.weekend_plan import (
    flow_plan,
    keep_to_plan,
    limited_weekdays,
    shift_plan,
    work_weekends_whole,
)
from solver.rules import Enforcement

ENGINE = "roster-construct"
_LONGEST_SHIFT = timedelta(hours=26)
# What one more officer on a shift with a hard demand still open is worth to the construction:
# more than any soft rule, though the demand is not enforced (the search after it is).
_HARD_DEMAND_WEIGHT = 1_000_000
# What an officer's search gets in a pass, by the size of their model: the year of one
# Instance 23 officer (3,700 variables) came within 0.2 % of the LP bound of what they can
# serve in a second, three seconds added little, and the 28 days of an Instance 13 officer
# (500 variables) reached their best in 0.1 s. When the construction's time is spent, the
# first pass still gives each officer some of that, and an officer whose search finds nothing
# in it gets the first roster a search for any roster at all finds.
_SECONDS_PER_VARIABLE = 1 / 4000
_OFFICER_SECONDS = (0.1, 1.0)
_LEAST_OFFICER_SECONDS = 0.5
_FEASIBILITY_SECONDS = 10.0
# Where officers may work only so many weekends, a weekend worked on one day of two spends a
# whole weekend of the officer's allowance on half of what it could staff. One officer's best
# reply cannot see that: a Sunday another officer already staffs is worth nothing to them, so
# officers settle into working one day each of the same weekends while other weekends go
# short. So where the weekend days demanded come to at least this share of what the officers'
# weekend limits let them staff, every officer with a limit works each weekend whole or not
# at all in the construction, from the first pass. The benchmark's instances that are built
# so are all at 0.93 or more (Instance 9, at 0.64, is the exception); Instance 23's first pass
# went from 277,873 (1,018 weekends worked on one day) to 241,239, and its roster at 600 s
# from 46,583 to 31,055 (the ninth session's charge on such a weekend, from the second pass
# only, is gone). The search after the construction may break a weekend where that pays.
SCARCE_WEEKENDS_SHARE = 0.9
_QUICK_SUBSOLVERS = ("quick_restart_no_lp", "no_lp")
# The most of the construction's time the weekends' shift plan may take; it has taken far less
# (Instance 24: 45-49 s of 346 s; Instance 13: 1.4 s of 30 s; Instances 1-12: 0.2 s at most).
SHIFT_PLAN_SHARE = 0.4


def residual_problem(problem: RosterProblem, officer_ids: set[str],
                     others: set[tuple[str, str]]) -> RosterProblem:
    """``problem`` for ``officer_ids`` alone; ``others`` are the other officers' assignments.

    Demand drops by what the others staff (never below zero); a fair-spread group is kept
    only if all its members are free, published and personal facts follow their officers.
    The objective of the result differs from the whole roster's by a constant (what the
    others cost), so improving one improves the other.
    """
    staffed = staffing(problem, others)
    return dataclasses.replace(
        restrict_to_officers(problem, officer_ids),
        shift_cover=tuple(
            dataclasses.replace(c, required=max(0, c.required - staffed[c.shift_id][c.skill]))
            for c in problem.shift_cover),
        interval_cover=tuple(reduced_intervals(problem, staffed)))


def restrict_to_officers(problem: RosterProblem, officer_ids: set[str]) -> RosterProblem:
    """``problem`` with ``officer_ids`` alone, their personal facts with them; demand as is."""
    published = problem.published
    if published is not None:
        published = dataclasses.replace(published, assignments=frozenset(
            pair for pair in published.assignments if pair[0] in officer_ids))
    return dataclasses.replace(
        problem,
        officers=tuple(o for o in problem.officers if o.id in officer_ids),
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
    for interval, shifts in _spanning_shifts(problem):
        present = sum(staffed[s.id][interval.skill] for s in shifts if s.id in staffed)
        yield dataclasses.replace(interval, required=max(0, interval.required - present))


def _spanning_shifts(problem: RosterProblem) -> Iterator[tuple[IntervalCover, list[Shift]]]:
    """Each interval of demand with the shifts at its office that span it."""
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
        yield interval, [s for s in shifts[first:last] if s.end >= interval.end]


@dataclass(slots=True)
class _Need:
    """One row of demand as the construction sees it: officers still missing, and what one
    more is worth (its under-cover weight while any is missing, minus its over-cover weight
    after)."""

    skill: str | None
    missing: int
    under_weight: int
    over_weight: int

    def value(self) -> int:
        return self.under_weight if self.missing > 0 else -self.over_weight


def _needs_by_shift(problem: RosterProblem) -> dict[str, list[_Need]]:
    """The rows of demand each shift serves; an interval's row is shared by every shift that
    spans it, so staffing it through one shift counts for all."""
    needs: dict[str, list[_Need]] = defaultdict(list)

    def need(required: int, skill: str | None, under: Enforcement, over_weight: int) -> _Need:
        weight = _HARD_DEMAND_WEIGHT if under.hard else under.weight
        return _Need(skill=skill, missing=required, under_weight=weight, over_weight=over_weight)
    for cover in problem.shift_cover:
        needs[cover.shift_id].append(need(cover.required, cover.skill, cover.under,
                                          cover.over_weight))
    for interval, shifts in _spanning_shifts(problem):
        row = need(interval.required, interval.skill, interval.under, interval.over_weight)
        for shift in shifts:
            needs[shift.id].append(row)
    return needs


def construct(problem: RosterProblem, config: SolverConfig, seconds: float, *,
              weekend_plan: bool = False) -> set[tuple[str, str]] | None:
    """A roster built officer by officer in about ``seconds``, or None if one officer's own
    rules leave them no roster that CP-SAT finds; with ``weekend_plan``, around weekends
    planned for all officers at once where they are scarce (``weekend_plan``).

    The first pass gives every officer a roster, however late: a roster late beats none.
    While time is left, further passes plan each officer again against everyone else's roster
    as it now stands: the first officers chose before anyone else, and each pass lets them
    make room. On Instance 23 four passes took the roster from 156,017 to 92,793, 75,791 and
    66,715, in 110 s each on the development machine."""
    deadline = time.monotonic() + seconds
    # The least flexible officers choose first, while most of the demand is still open.
    order = sorted(problem.officers, key=lambda o: sum(
        1 for s in problem.shifts if problem.may_staff(o, s)))
    needs = _needs_by_shift(problem)
    without_demand = dataclasses.replace(problem, shift_cover=(), interval_cover=())
    whole = weekends_scarce(problem)
    models = {o.id: _officer_model(without_demand, o, whole) for o in order}
    if whole and weekend_plan:
        # An officer can work a day their model holds a shift for (leave and skills allow).
        plan = flow_plan(problem, lambda officer, index: bool(
            models[officer.id].vars.on_day(officer.id, index)))
        shifts = shift_plan(problem, plan, config,
                            SHIFT_PLAN_SHARE * max(0.0, deadline - time.monotonic()))
        for officer in order:
            if officer.id in plan:
                keep_to_plan(models[officer.id], officer, plan[officer.id],
                             shifts.get(officer.id, frozenset()))
    rosters: dict[str, set[tuple[str, str]]] = {o.id: set() for o in order}
    best: tuple[int, set[tuple[str, str]]] | None = None
    first_pass = True
    while True:
        changed = False
        for position, officer in enumerate(order):
            left = deadline - time.monotonic()
            if not first_pass and left <= 0:
                break
            built = models[officer.id]
            enough = _officer_seconds(built)
            share = min(enough, max(left, 0.0) / (len(order) - position))
            if first_pass:
                share = max(share, min(enough, _LEAST_OFFICER_SECONDS))
            mine = _replan(built, officer, needs, rosters[officer.id], share, config,
                           first_pass)
            if mine is None and whole and first_pass:
                # Their own rules leave no roster with whole weekends (or none with the
                # weekends the plan gave them): plan them free.
                built = models[officer.id] = _officer_model(without_demand, officer, False)
                mine = _replan(built, officer, needs, set(), share, config, True)
            if mine is None:
                return None
            changed |= mine != rosters[officer.id]
            rosters[officer.id] = mine
        roster = set().union(*rosters.values())
        if first_pass and time.monotonic() >= deadline:
            return roster
        # Each officer's search starts from their roster, but may stop on a worse one: the
        # independent checker prices every pass, and the best roster stands.
        cost = check_assignments(problem, frozenset(roster)).objective
        if best is not None and cost >= best[0]:
            return best[1]
        best = (cost, roster)
        first_pass = False
        if not changed or time.monotonic() >= deadline:
            return roster


def _officer_model(without_demand: RosterProblem, officer: Officer,
                   whole_weekends: bool) -> RosterModel:
    """The model of ``officer`` alone, held to whole weekends if ``whole_weekends``."""
    built = build_model(restrict_to_officers(without_demand, {officer.id}))
    if whole_weekends:
        work_weekends_whole(built, officer)
    return built


def _officer_seconds(built: RosterModel) -> float:
    least, most = _OFFICER_SECONDS
    return min(max(len(built.vars.x) * _SECONDS_PER_VARIABLE, least), most)


def _replan(built: RosterModel, officer: Officer, needs: dict[str, list[_Need]],
            current: set[tuple[str, str]], seconds: float, config: SolverConfig,
            first: bool) -> set[tuple[str, str]] | None:
    """The officer's roster that best serves what the others leave open, from ``current``;
    on the first pass, any roster their rules allow if the search finds none in time."""
    _count_served(needs, officer, current, -1)
    _serve_demand(built, officer, needs)
    built.model.clear_hints()
    if not first:
        for key, var in built.vars.x.items():
            built.model.add_hint(var, key in current)
    run = run_cpsat(built.model, SolverConfig(time_limit_seconds=seconds, workers=config.workers,
                                              seed=config.seed), engine=ENGINE,
                    solver=_quick_solver())
    chosen: cp_model.CpSolver | None = run.solver if run.has_solution else None
    if chosen is None and first:
        chosen = _feasible_start(built.model, config)
        if chosen is None:
            return None
    mine = current if chosen is None else {
        key for key, on in built.read_values(chosen).items() if on}
    _count_served(needs, officer, mine, +1)
    return mine


def _count_served(needs: dict[str, list[_Need]], officer: Officer,
                  roster: set[tuple[str, str]], change: int) -> None:
    """The officer's ``roster`` counted as serving its rows of demand (``change`` +1) or taken
    off them again (-1)."""
    for _, shift_id in roster:
        for row in _served(needs.get(shift_id, []), officer):
            row.missing -= change


def _served(rows: list[_Need], officer: Officer) -> Iterator[_Need]:
    return (row for row in rows if row.skill is None or row.skill in officer.skills)


def _serve_demand(built: RosterModel, officer: Officer, needs: dict[str, list[_Need]]) -> None:
    """The officer's objective: their own rules' costs less what their shifts serve."""
    shifts, values = [], []
    for (_, shift_id), var in built.vars.x.items():
        value = sum(row.value() for row in _served(needs.get(shift_id, []), officer))
        if value:
            shifts.append(var)
            values.append(value)
    built.model.minimize(penalty_sum(built.penalties)
                         - cp_model.LinearExpr.weighted_sum(shifts, values))


def weekends_scarce(problem: RosterProblem) -> bool:
    """Whether the officer-days demanded on weekends (demand per shift) come to at least
    ``SCARCE_WEEKENDS_SHARE`` of what the officers can staff on them under their weekend
    limits (an officer without a limit can staff every weekend day)."""
    limited = [o for o in problem.officers if o.rules.max_weekends is not None]
    if not limited or not problem.shift_cover:
        return False
    weekdays = limited_weekdays(problem)
    demanded = sum(c.required for c in problem.shift_cover
                   if problem.shift(c.shift_id).day.weekday() in weekdays)
    staffable = 0
    for officer in problem.officers:
        inside = [[d for d in group if d >= 0] for group in weekends(problem, officer)]
        limit = officer.rules.max_weekends
        allowed = sorted((len(g) for g in inside), reverse=True)
        if limit is not None:
            allowed = allowed[:limit.value]
        staffable += sum(allowed)
    return staffable > 0 and demanded >= SCARCE_WEEKENDS_SHARE * staffable


def _quick_solver() -> cp_model.CpSolver:
    """CP-SAT's quick-restart searches without the LP: a year of one officer held to a narrow
    band of total minutes, consecutive-day limits and a weekend cap (the benchmark's Instances
    20-24) is a puzzle CP-SAT's default two workers took 2-60 s to solve, objective or not;
    these find a roster in well under a second and, on Instance 23, one within 0.2 % of the
    LP bound of what an officer can serve in a second (the default workers: 11 % short)."""
    solver = cp_model.CpSolver()
    for subsolver in _QUICK_SUBSOLVERS:
        solver.parameters.subsolvers.append(subsolver)
    return solver


def _feasible_start(model: cp_model.CpModel, config: SolverConfig) -> cp_model.CpSolver | None:
    """Any roster of ``model`` that keeps its hard rules, whatever it costs: the search stops
    at the first, given far longer than an officer's share."""
    feasibility = clone_model(model)
    feasibility.clear_objective()
    feasibility.clear_hints()
    run = run_cpsat(feasibility, SolverConfig(time_limit_seconds=_FEASIBILITY_SECONDS,
                                              workers=config.workers, seed=config.seed),
                    engine=ENGINE, solver=_quick_solver())
    return run.solver if run.has_solution else None
