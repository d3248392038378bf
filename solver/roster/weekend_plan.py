"""Which weekends each officer works, planned for all officers at once where weekends are scarce.

Where officers may work only so many weekends and the weekend days demanded come close to what
those limits let them staff (``construct.weekends_scarce``), who works which weekend decides
most of what the roster leaves short, and it is a choice no officer can make alone: a weekend
one officer takes is one another need not. The roster built officer by officer settles it
greedily (the first officers take the weekends that look shortest, the last find the rest
taken by officers who could have gone elsewhere), and the search after it can only trade
weekends a few officers at a time. On the benchmark's Instance 12 the first pass left 75
officers missing on weekends where a plan of the weekends alone leaves 40.

So the weekends are planned first, on a relaxation of the problem: its weekend days alone,
with every rule that only a roster's weekdays could satisfy switched off (minimum working time,
minimum consecutive days and days off, weekly rest, average hours, overtime) and requests,
published roster and fair spread left out. Every rule that limits what an officer can do on a
weekend holds: leave, skills, accreditation, shift types, rest and successions within the
weekend, the weekend limit itself, weekends taken whole. The plan says which weekend days each
officer with a weekend limit works; the construction then builds each officer's roster around
them. Only parts searched by windows ask for a plan (elsewhere the construction has too little
time to fill the weekdays around it), and only where CP-SAT finds a useful one in its time
(``PLAN_MAX_PAIRS``).
"""

from __future__ import annotations

import dataclasses
import itertools

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.roster.constraints.weekends import weekends
from solver.roster.model import RosterModel, build_model
from solver.roster.problem import Officer, RosterProblem, Shift

ENGINE = "roster-weekend-plan"
# The largest plan, in officers times weekend shifts, CP-SAT finds a useful one for in the
# construction's time: Instance 23 (100 officers, 1,664 weekend shifts) got a plan costing
# 27,402 in 100 s and a roster at 600 s of 25,525 against 27,130 without it; Instance 24 (150
# officers, 3,328 weekend shifts) a plan costing 180,632, and a roster of 129,258 against
# 105,680 (seed 1, 2 workers, 2026-11-28); planned in two half-year blocks instead (each
# officer's weekend limit shared by the weekends each holds), 135,887.
PLAN_MAX_PAIRS = 250_000


def plannable(problem: RosterProblem) -> bool:
    """Whether ``problem``'s weekends are few enough to plan (``PLAN_MAX_PAIRS``)."""
    return len(problem.officers) * len(_weekend_shifts(problem)) <= PLAN_MAX_PAIRS


def limited_weekdays(problem: RosterProblem) -> frozenset[int]:
    """The weekdays (Monday 0) of the weekends of officers with a weekend limit."""
    return frozenset().union(*(o.rules.weekend_days for o in problem.officers
                               if o.rules.max_weekends is not None))


def _weekend_shifts(problem: RosterProblem) -> tuple[Shift, ...]:
    """The shifts on the weekend days of the officers with a weekend limit."""
    weekdays = limited_weekdays(problem)
    return tuple(s for s in problem.shifts if s.day.weekday() in weekdays)


def weekend_problem(problem: RosterProblem) -> RosterProblem:
    """``problem`` on its weekend days alone, relaxed so that whatever a roster of the whole
    horizon does on those days, this problem allows too (see above)."""
    shifts = _weekend_shifts(problem)
    kept = {s.id for s in shifts}
    return dataclasses.replace(
        problem,
        shifts=shifts,
        officers=tuple(_relaxed(o) for o in problem.officers),
        shift_cover=tuple(c for c in problem.shift_cover if c.shift_id in kept),
        interval_cover=(),
        requests=(),
        pins=tuple(p for p in problem.pins if p.shift_id in kept),
        published=None,
        fair_spread=(),
    )


def _relaxed(officer: Officer) -> Officer:
    rules = officer.rules
    return dataclasses.replace(officer, rules=dataclasses.replace(
        rules,
        working_time=tuple(dataclasses.replace(w, min_minutes=None)
                           for w in rules.working_time if w.max_minutes is not None),
        min_consecutive_days=None,
        min_consecutive_days_off=None,
        weekly_rest_minutes=None,
        average_hours=None,
        overtime=None,
    ))


def plan_weekends(problem: RosterProblem, config: SolverConfig,
                  seconds: float) -> dict[str, frozenset[int]] | None:
    """For each officer with a weekend limit, the weekend days (indexes) the plan has them
    work, each weekend whole or not at all; None if no plan was found in time."""
    relaxed = weekend_problem(problem)
    built = build_model(relaxed)
    limited = [o for o in relaxed.officers if o.rules.max_weekends is not None]
    for officer in limited:
        work_weekends_whole(built, officer)
    run = run_cpsat(built.model, SolverConfig(time_limit_seconds=seconds,
                                              workers=config.workers, seed=config.seed),
                    engine=ENGINE)
    if not run.has_solution:
        return None
    worked = {(officer_id, problem.day_index(problem.shift(shift_id).day))
              for (officer_id, shift_id), on in built.read_values(run.solver).items() if on}
    return {officer.id: frozenset(
        index for group in weekends(problem, officer) for index in group
        if (officer.id, index) in worked) for officer in limited}


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
