"""Large-neighbourhood search for parts too large for CP-SAT to close on its own.

Starting from the part's best roster, each step frees a neighbourhood and fixes the rest:

* a few officers over the whole horizon (they trade their whole rosters);
* every officer over a window of days (the day-to-day puzzle of who covers what);
* a few officers over a window (block swaps between officers);
* every officer around the day that costs most (where the roster is worst);
* every officer around a few weekends, days apart (where officers may work only so many
  weekends, covering one weekend means freeing another: no window of days holds both);
  searched by windows, a few officers around two weekends some weeks apart, the days between
  held (``weekend exchange``).

A short single-worker CP-SAT run re-optimises the freed assignments from the current roster
(as a hint). Every run returns a complete roster, so the workers (one search thread per
configured worker, CP-SAT releasing the GIL while it solves) share one incumbent: a roster
that costs no more than the best so far replaces it, which lets search move along plateaus.
Neighbourhood sizes adapt: one solved to optimality well within its time grows, one that
runs out of time shrinks.

Very long parts are searched by windows instead (``by_windows``): a neighbourhood becomes a
small problem of its own (``window``), built and solved with all the workers, one at a time,
since copying and presolving a year-long model took most of every step. The independent
checker prices each window's roster before and after, and the difference is the whole
roster's (tests/solver/roster/test_window.py holds the engine to that).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import CpSatRun, clone_model, run_cpsat
from solver.roster.checker import check_assignments
from solver.roster.constraints.weekends import weekends
from solver.roster.model import build_model, heaviest_first, interchangeable_officers
from solver.roster.window import window_problem

if TYPE_CHECKING:
    from solver.roster.problem import RosterProblem
    from solver.roster.solve import Part
    from solver.rules import Violation

ENGINE = "roster-lns"
# How many weekends apart the two weekends of an exchange may be (searched by windows): the
# days between are held, but they still make the window's model.
_EXCHANGE_WEEKS = 6
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class _Selection:
    """What a step frees: days ``first``..``last`` of ``officers`` (None: every officer), only
    those of ``days`` among them if given."""

    officers: frozenset[str] | None
    first: int
    last: int
    days: frozenset[int] | None = None


@dataclass(slots=True)
class _Neighbourhood:
    """One kind of neighbourhood and its current size (officers or days)."""

    kind: str
    size: int
    smallest: int
    largest: int

    def grow(self) -> None:
        self.size = min(self.largest, self.size + 1)

    def shrink(self) -> None:
        self.size = max(self.smallest, self.size - 1)


class _Search:
    """The shared state of the search threads: the incumbent and the neighbourhoods."""

    def __init__(self, part: Part, seconds: float, config: SolverConfig,
                 report: Callable[[], None], by_windows: bool = False,
                 stall_seconds: float | None = None) -> None:
        self.part = part
        self.stall_seconds = stall_seconds
        self.last_improved = time.monotonic()
        self.by_windows = by_windows
        self.config = config
        self.report = report
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        problem = part.problem
        self.officers = [o.id for o in problem.officers]
        self.days = problem.days
        self.day_of = {key: problem.day_index(problem.shift(key[1]).day)
                       for key in part.built.vars.x}
        officers = len(self.officers)
        self.kinds = [
            _Neighbourhood("officers", min(3, officers), 1, officers),
            _Neighbourhood("days", min(7, self.days), 1, self.days),
            _Neighbourhood("officers x days", max(1, officers // 3), 1, officers),
            _Neighbourhood("costly days", min(5, self.days), 1, self.days),
        ]
        self.weekends = _weekends_around(problem)
        if len(self.weekends) > 1:
            self.kinds.append(
                _Neighbourhood("weekend exchange", min(8, officers), 2, officers) if by_windows
                else _Neighbourhood("weekends", 2, 2, len(self.weekends)))
        # Seconds a step may take: enough for CP-SAT to load the model and try the hint.
        self.step_seconds = min(3.0, 0.5 + len(part.built.vars.x) / 10_000)
        self.day_costs = self._day_costs(None)
        self.templates_of = _workable_templates(part)
        self.interchangeable = interchangeable_officers(problem) if by_windows else []
        self._assigned_of: dict[Key, bool] | None = None
        self._assigned_cache: frozenset[Key] = frozenset()

    def run(self) -> None:
        if self.by_windows:
            self._window_worker(self.config.seed)
            return
        workers = max(1, self.config.workers)
        threads = [threading.Thread(target=self._worker, args=(self.config.seed + 1000 * w,))
                   for w in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _going(self) -> bool:
        now = time.monotonic()
        return now < self.deadline - 0.05 and (
            self.stall_seconds is None or now - self.last_improved < self.stall_seconds)

    def _worker(self, seed: int) -> None:
        rng = random.Random(seed)
        step = 0
        while self._going():
            step += 1
            with self.lock:
                values = self.part.values
                neighbourhood = rng.choice(self.kinds)
                free = self._keys(self._select(neighbourhood, rng))
            if values is None or not free:
                continue
            limit = min(self.step_seconds, self.deadline - time.monotonic())
            run = _reoptimise(self.part, values, free, limit, seed + step)
            if run is None:
                continue
            with self.lock:
                if run.stats.status == "optimal" and run.stats.wall_seconds < limit / 3:
                    neighbourhood.grow()
                elif run.stats.status != "optimal":
                    neighbourhood.shrink()
                self._accept(run)

    def _window_worker(self, seed: int) -> None:
        rng = random.Random(seed)
        if self.part.values is not None:
            self.day_costs = _costs_by_day(self.part.problem, check_assignments(
                self.part.problem, self._assigned()).costs, 0, self.days - 1)
        # What each kind of neighbourhood has saved per second lately: kinds are drawn in
        # proportion, never below a tenth of the best, so the search leans on what works
        # (on Instance 23 a whole year of one officer saved ten times what a week did) and
        # still tries the rest.
        rates = {kind.kind: 1.0 for kind in self.kinds}
        step = 0
        while self._going():
            step += 1
            best = max(rates.values())
            neighbourhood = rng.choices(self.kinds, weights=[
                max(rates[k.kind], best / 10) for k in self.kinds])[0]
            limit = min(self.step_seconds, self.deadline - time.monotonic())
            if limit <= 0.05:
                return
            started, objective = time.monotonic(), self.part.objective or 0
            optimal, quick = self._window_step(self._select(neighbourhood, rng), limit,
                                               seed + step)
            saved = (objective - (self.part.objective or 0)) / max(
                time.monotonic() - started, 0.01)
            rates[neighbourhood.kind] = 0.7 * rates[neighbourhood.kind] + 0.3 * saved
            if optimal and quick:
                neighbourhood.grow()
            elif not optimal:
                neighbourhood.shrink()

    def _assigned(self) -> frozenset[Key]:
        """The incumbent's assignments, kept while the incumbent stands: a year of 150
        officers has a million keys to scan."""
        values = self.part.values
        assert values is not None
        if self._assigned_of is not values:
            self._assigned_cache = frozenset(k for k, on in values.items() if on)
            self._assigned_of = values
        return self._assigned_cache

    def _window_step(self, selection: _Selection, seconds: float,
                     seed: int) -> tuple[bool, bool]:
        """Re-optimise one window; whether CP-SAT proved it optimal, and within a third of
        its time."""
        part = self.part
        assert part.values is not None and part.objective is not None
        problem = part.problem
        assigned = self._assigned()
        started = time.monotonic()
        window = window_problem(problem, assigned, selection.first, selection.last,
                                selection.officers, selection.days)
        built = build_model(window)
        for key, var in built.vars.x.items():
            built.model.add_hint(var, key in assigned)
        solver = cp_model.CpSolver()
        solver.parameters.linearization_level = 2
        left = seconds - (time.monotonic() - started)
        run = run_cpsat(built.model, SolverConfig(time_limit_seconds=max(left, 0.05),
                                                  workers=self.config.workers, seed=seed),
                        engine=ENGINE, solver=solver)
        optimal = run.stats.status == "optimal"
        quick = run.stats.wall_seconds < seconds / 3
        if not run.has_solution:
            return optimal, quick
        officers = {o.id for o in window.officers}
        shifts = {s.id for s in window.shifts}
        old = frozenset(k for k in assigned if k[0] in officers and k[1] in shifts)
        new = frozenset(k for k, on in built.read_values(run.solver).items() if on)
        if new == old or not new <= part.values.keys():
            return optimal, quick
        before, after = check_assignments(window, old), check_assignments(window, new)
        change = after.objective - before.objective
        if not after.feasible or change > 0:
            return optimal, quick
        values = dict(part.values)
        values.update(dict.fromkeys(old, False))
        values.update(dict.fromkeys(new, True))
        part.values = heaviest_first(problem, self.interchangeable, values)
        part.objective += change
        for day in range(selection.first, selection.last + 1):
            self.day_costs.pop(day, None)
        # A window of some officers prices their share of its days only: a rough figure,
        # which only steers where the costly-days neighbourhood looks.
        self.day_costs.update(_costs_by_day(window, after.costs, 0,
                                            selection.last - selection.first,
                                            offset=selection.first))
        if change < 0:
            self.report()
        return optimal, quick

    def _accept(self, run: CpSatRun) -> None:
        if not run.has_solution or run.stats.objective is None:
            return
        objective = round(run.stats.objective)
        part = self.part
        if part.objective is None or objective > part.objective:
            return
        values = part.built.read_values(run.solver)
        if values == part.values:
            return
        improved = objective < part.objective
        part.values, part.objective = values, objective
        self.day_costs = self._day_costs(run.solver)
        if improved:
            self.last_improved = time.monotonic()
            self.report()

    def _day_costs(self, solver: cp_model.CpSolver | None) -> dict[int, int]:
        """What each day of the incumbent costs, for the costly-days neighbourhood."""
        if solver is None:
            return {}
        costs: dict[int, int] = defaultdict(int)
        problem = self.part.problem
        for penalty in self.part.built.penalties:
            if penalty.day is None:
                continue
            amount = penalty.amount if isinstance(penalty.amount, int) else solver.value(
                penalty.amount)
            if amount:
                costs[problem.day_index(penalty.day)] += int(amount) * penalty.weight
        return dict(costs)

    def _related_officers(self, count: int, rng: random.Random) -> set[str]:
        """A random officer and those who can work most of the same shift types: officers
        who could take over each other's shifts, which is what an exchange needs."""
        seed = rng.choice(self.officers)
        mine = self.templates_of[seed]

        def closeness(other: str) -> float:
            shared = len(mine & self.templates_of[other])
            return shared / (1 + len(mine | self.templates_of[other])) + rng.random() * 0.5
        others = sorted((o for o in self.officers if o != seed), key=closeness, reverse=True)
        return {seed, *others[:count - 1]}

    def _select(self, neighbourhood: _Neighbourhood, rng: random.Random) -> _Selection:
        kind = neighbourhood.kind
        if kind == "weekend exchange":
            return self._weekend_exchange(neighbourhood.size, rng)
        if kind == "weekends":
            chosen = rng.sample(self.weekends, neighbourhood.size)
            days = frozenset().union(*chosen)
            return _Selection(None, min(days), max(days), days)
        if kind == "officers":
            chosen = self._related_officers(neighbourhood.size, rng)
            return _Selection(frozenset(chosen), 0, self.days - 1)
        if kind == "costly days" and self.day_costs:
            days = list(self.day_costs)
            centre = rng.choices(days, weights=[self.day_costs[d] for d in days])[0]
            width = neighbourhood.size
            first = min(max(0, centre - rng.randrange(width)), max(0, self.days - width))
        else:
            width = neighbourhood.size if kind != "officers x days" else rng.randint(
                min(3, self.days), min(14, self.days))
            width = min(width, self.days)
            first = rng.randrange(self.days - width + 1)
        last = min(first + width, self.days) - 1
        if kind == "officers x days":
            return _Selection(frozenset(self._related_officers(neighbourhood.size, rng)),
                              first, last)
        return _Selection(None, first, last)

    def _weekend_exchange(self, officers: int, rng: random.Random) -> _Selection:
        """A few officers around two weekends some weeks apart, the days between held: where
        an officer's weekends are all in use, taking a weekend still short means giving up
        another, and a window of a year's days is too large to hold both (searched by
        windows). The first weekend is drawn by what its days cost."""
        costs = [sum(self.day_costs.get(d, 0) for d in around) for around in self.weekends]
        index = (rng.choices(range(len(self.weekends)), weights=costs)[0] if any(costs)
                 else rng.randrange(len(self.weekends)))
        nearby = [i for i in range(max(0, index - _EXCHANGE_WEEKS),
                                   min(len(self.weekends), index + _EXCHANGE_WEEKS + 1))
                  if i != index]
        days = self.weekends[index] | self.weekends[rng.choice(nearby)]
        chosen = frozenset(rng.sample(self.officers, min(officers, len(self.officers))))
        return _Selection(chosen, min(days), max(days), frozenset(days))

    def _keys(self, selection: _Selection) -> set[Key]:
        return {key for key, day in self.day_of.items()
                if selection.first <= day <= selection.last
                and (selection.days is None or day in selection.days)
                and (selection.officers is None or key[0] in selection.officers)}


def improve(part: Part, seconds: float, config: SolverConfig,
            report: Callable[[], None], *, by_windows: bool = False,
            stall_seconds: float | None = None) -> None:
    """Improve ``part``'s roster for ``seconds``; calls ``report`` on every improvement.

    ``by_windows``: search by windows posed as problems of their own (see above), for parts
    whose rules decompose (``window.decomposable``). ``stall_seconds``: stop early once that
    long has passed without an improvement."""
    if part.values is None or seconds <= 0.1:
        return
    _Search(part, seconds, config, report, by_windows, stall_seconds).run()


def _costs_by_day(problem: RosterProblem, costs: Iterable[Violation], first: int, last: int,
                  offset: int = 0) -> dict[int, int]:
    """What each day ``first``..``last`` of ``problem`` costs, by day index plus ``offset``."""
    totals: dict[int, int] = defaultdict(int)
    for cost in costs:
        if cost.day is None:
            continue
        index = problem.day_index(cost.day)
        if first <= index <= last and cost.cost:
            totals[index + offset] += int(cost.cost)
    return dict(totals)


def _weekends_around(problem: RosterProblem) -> list[frozenset[int]]:
    """Each weekend of the horizon with the day before and after it, as day indexes, where
    some officer may work only so many weekends (none otherwise). Officers whose weekends
    fall on other weekdays (Friday-Saturday) add theirs."""
    around: dict[frozenset[int], None] = {}
    seen: set[frozenset[int]] = set()
    for officer in problem.officers:
        if officer.rules.max_weekends is None or officer.rules.weekend_days in seen:
            continue
        seen.add(officer.rules.weekend_days)
        for group in weekends(problem, officer):
            inside = frozenset(index for index in range(group[0] - 1, group[-1] + 2)
                               if 0 <= index < problem.days)
            if inside:
                around[inside] = None
    return sorted(around, key=min)


def _reoptimise(part: Part, values: dict[Key, bool], free: set[Key], seconds: float,
                seed: int) -> CpSatRun | None:
    """Solve the part with everything outside ``free`` fixed to ``values``."""
    if seconds <= 0.01:
        return None
    model = clone_model(part.built.model)
    model.clear_hints()
    fixed = []
    for key, var in part.built.vars.x.items():
        literal = model.get_bool_var_from_proto_index(var.index)
        if key in free:
            model.add_hint(literal, values[key])
        else:
            fixed.append(literal if values[key] else ~literal)
    model.add_bool_and(fixed)
    solver = cp_model.CpSolver()
    solver.parameters.linearization_level = 2
    return run_cpsat(model, SolverConfig(time_limit_seconds=seconds, workers=1, seed=seed),
                     engine=ENGINE, solver=solver)


def _workable_templates(part: Part) -> dict[str, frozenset[str]]:
    """Shift types each officer may work at all (skills, accreditation, a zero limit)."""
    problem = part.problem
    workable: dict[str, set[str]] = defaultdict(set)
    for officer_id, shift_id in part.built.vars.x:
        officer = problem.officer(officer_id)
        shift = problem.shift(shift_id)
        limit = officer.rules.template_limit(shift.template_id)
        if limit is not None and limit.value == 0 and limit.enforcement.hard:
            continue
        if officer.rules.skills.hard and not shift.required_skills <= officer.skills:
            continue
        workable[officer_id].add(shift.template_id)
    return {o.id: frozenset(workable[o.id]) for o in problem.officers}
