"""Large-neighbourhood search for parts too large for CP-SAT to close on its own.

Starting from the part's best roster, each step frees a neighbourhood and fixes the rest:

* a few officers over the whole horizon (they trade their whole rosters);
* every officer over a window of days (the day-to-day puzzle of who covers what);
* a few officers over a window (block swaps between officers);
* every officer around the day that costs most (where the roster is worst).

A short single-worker CP-SAT run re-optimises the freed assignments from the current roster
(as a hint). Every run returns a complete roster, so the workers (one search thread per
configured worker, CP-SAT releasing the GIL while it solves) share one incumbent: a roster
that costs no more than the best so far replaces it, which lets search move along plateaus.
Neighbourhood sizes adapt: one solved to optimality well within its time grows, one that
runs out of time shrinks.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import CpSatRun, clone_model, run_cpsat

if TYPE_CHECKING:
    from solver.roster.solve import Part

ENGINE = "roster-lns"
Key = tuple[str, str]


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
                 report: Callable[[], None]) -> None:
        self.part = part
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
        # Seconds a step may take: enough for CP-SAT to load the model and try the hint.
        self.step_seconds = min(3.0, 0.5 + len(part.built.vars.x) / 10_000)
        self.day_costs = self._day_costs(None)
        self.templates_of = _workable_templates(part)

    def run(self) -> None:
        workers = max(1, self.config.workers)
        threads = [threading.Thread(target=self._worker, args=(self.config.seed + 1000 * w,))
                   for w in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _worker(self, seed: int) -> None:
        rng = random.Random(seed)
        step = 0
        while time.monotonic() < self.deadline - 0.05:
            step += 1
            with self.lock:
                values = self.part.values
                neighbourhood = rng.choice(self.kinds)
                free = self._free(neighbourhood, rng)
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

    def _free(self, neighbourhood: _Neighbourhood, rng: random.Random) -> set[Key]:
        kind = neighbourhood.kind
        if kind == "officers":
            chosen = self._related_officers(neighbourhood.size, rng)
            return {key for key in self.day_of if key[0] in chosen}
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
        window = range(first, first + width)
        if kind == "officers x days":
            chosen = self._related_officers(neighbourhood.size, rng)
            return {key for key, day in self.day_of.items() if key[0] in chosen and day in window}
        return {key for key, day in self.day_of.items() if day in window}


def improve(part: Part, seconds: float, config: SolverConfig,
            report: Callable[[], None]) -> None:
    """Improve ``part``'s roster for ``seconds``; calls ``report`` on every improvement."""
    if part.values is None or seconds <= 0.1:
        return
    _Search(part, seconds, config, report).run()


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
