"""Column generation: a part's linear relaxation over whole officer rosters, the bound it
proves, and a roster dived from it.

Where demand is per shift and every other rule concerns one officer at a time, a roster is a
choice of one personal roster (a column) per officer, and the linear relaxation over such
columns is far stronger than the one over single assignments. On Instance 8 of the benchmark
CP-SAT's own bound stays at 1,206-1,227 and in 40 s it finds no roster with the 12 officers
missing that the best known 1,300 has (the nights need 86 officer-nights, the officers may work
74); over columns the relaxation reaches 1,296.6. Each round prices every officer (a CP-SAT
run of that officer alone, demand valued at the master's duals) and adds the rosters that
would lower the master's cost; the dive then fixes the officers the relaxation has all but
chosen and prices the rest again, and CP-SAT completes the roster around the fixed officers.

The bound is Lagrangian: the duals (held within what a missing or surplus officer costs)
times the demand, plus each officer's least priced roster as CP-SAT bounds it, so it holds
whether or not the rounds converged.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import clone_model, run_cpsat
from solver.roster.checker import check_assignments
from solver.roster.constraints.coverage import counts_for
from solver.roster.construct import restrict_to_officers
from solver.roster.model import (
    RosterModel,
    build_model,
    heaviest_first,
    interchangeable_officers,
    penalty_sum,
)
from solver.roster.problem import RosterProblem

ENGINE = "roster"
# Rosters each pricing run may add: the last few it improved through, not only its best,
# widen the master at no extra run (on Instance 8 the relaxation converged in 33 rounds).
COLUMNS_PER_PRICING = 3
PRICING_SECONDS = 2.0
# The dive fixes every officer whose best column carries this much of the relaxation...
DIVE_FIX_WEIGHT = 0.6
# ...until this share of the officers is fixed; CP-SAT plans the rest around them. Fixing
# all of them by the dive cost Instance 8 1,523 where CP-SAT completing the last third
# reached 1,410.
DIVE_FIXED_SHARE = 2 / 3
DIVE_ROUNDS_BETWEEN_FIXES = 3
# Time left once the dived roster is proven the best its fixes allow, below which CP-SAT does
# not try again from the relaxation without them.
UNDIVED_MIN_SECONDS = 1.0
# Of the time given: the relaxation, then the dive; the rest completes the roster.
ROOT_SHARE = 0.6
DIVE_END_SHARE = 0.75
# Kept off the bound, per officer priced and once for the master, for CP-SAT's scaling of a
# fractional objective and GLOP's tolerance (objectives are integers, so a bound loses
# nothing by it).
BOUND_MARGIN = 1e-3


@dataclass(frozen=True, slots=True)
class ColumnStart:
    """What the columns gave: a roster (None if the time ran out before one) and the bound
    the relaxation proves (None if some officer's pricing proved nothing)."""

    roster: frozenset[tuple[str, str]] | None
    bound: float | None


def applies(problem: RosterProblem) -> bool:
    """Whether the part splits into officers joined by shift demand alone, every shortfall
    priced (a hard requirement would leave the first masters without a solution)."""
    return (bool(problem.shift_cover) and not problem.interval_cover
            and not problem.fair_spread
            and all(not cover.under.hard for cover in problem.shift_cover))


@dataclass(frozen=True, slots=True)
class _Row:
    required: int
    under_weight: int
    over_weight: int


class _Pricing:
    """One officer alone, without demand: their own rules and costs, demand valued apart."""

    def __init__(self, problem: RosterProblem, officer_id: str, rows_of: dict) -> None:
        self.officer_id = officer_id
        self.built: RosterModel = build_model(restrict_to_officers(problem, {officer_id}))
        self.own_cost = penalty_sum(self.built.penalties)
        self.rows_of = rows_of
        self.columns: list[tuple[int, frozenset[str]]] = []
        self.known: set[frozenset[str]] = set()

    def price(self, duals: dict[int, float], convexity: float,
              seconds: float) -> tuple[int, float | None, bool]:
        """New columns of negative reduced cost; the least priced roster's lower bound; and
        whether the officer has any roster at all."""
        x = self.built.vars.x
        values = {key: sum(duals[row] for row in self.rows_of.get(key, ())) for key in x}
        self.built.model.minimize(self.own_cost - sum(
            value * var for key, var in x.items() if (value := values[key])))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(seconds, 0.05)
        found = _Improving(self.built, self.own_cost)
        status = solver.solve(self.built.model, found)
        if status == cp_model.INFEASIBLE:
            return 0, None, False
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return 0, None, True
        added = 0
        for cost, shifts in found.rosters[-COLUMNS_PER_PRICING:]:
            reduced = cost - sum(values[(self.officer_id, s)] for s in shifts) - convexity
            # An officer's first roster joins whatever it saves: the master needs one each.
            if (reduced < -1e-6 or not self.columns) and shifts not in self.known:
                self.known.add(shifts)
                self.columns.append((cost, shifts))
                added += 1
        return added, solver.best_objective_bound, True


class _Improving(cp_model.CpSolverSolutionCallback):
    def __init__(self, built: RosterModel, own_cost: cp_model.LinearExprT) -> None:
        super().__init__()
        self.built, self.own_cost = built, own_cost
        self.rosters: list[tuple[int, frozenset[str]]] = []

    def on_solution_callback(self) -> None:
        shifts = frozenset(key[1] for key, var in self.built.vars.x.items()
                           if self.boolean_value(var))
        self.rosters.append((round(self.value(self.own_cost)), shifts))


@dataclass(slots=True)
class _Master:
    """A solved master LP: its value, the duals of demand and of each officer's one roster,
    and the weight of every column."""

    value: float
    duals: dict[int, float]
    convexity: dict[str, float]
    weights: dict[tuple[str, int], float]


class _ColumnGeneration:
    """The master's demand rows, every officer's pricing model and columns, and the dive's
    fixed officers."""

    def __init__(self, problem: RosterProblem, config: SolverConfig) -> None:
        self.config = config
        self.rows: list[_Row] = []
        rows_of: dict[tuple[str, str], list[int]] = defaultdict(list)
        for cover in problem.shift_cover:
            shift = problem.shift(cover.shift_id)
            index = len(self.rows)
            self.rows.append(_Row(required=cover.required, under_weight=cover.under.weight,
                                  over_weight=cover.over_weight))
            for officer in problem.officers:
                if counts_for(officer, shift, cover.skill):
                    rows_of[(officer.id, shift.id)].append(index)
        without_demand = dataclasses.replace(problem, shift_cover=())
        self.pricing = {o.id: _Pricing(without_demand, o.id, rows_of) for o in problem.officers}
        self.fixed: dict[str, int] = {}
        self.best_bound: float | None = None

    def price_all(self, duals: dict[int, float], convexity: dict[str, float],
                  deadline: float) -> tuple[int, bool]:
        """Price every officer not fixed; returns the columns added and whether every officer
        has a roster. Raises the bound when every officer's pricing proved one."""
        free = [p for p in self.pricing.values() if p.officer_id not in self.fixed]
        seconds = min(PRICING_SECONDS, max(deadline - time.monotonic(), 0.05))
        # CP-SAT lets go of the interpreter while it solves: two officers priced at once.
        with ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool:
            results = list(pool.map(
                lambda p: p.price(duals, convexity.get(p.officer_id, 0.0), seconds), free))
        if not all(has_roster for _, _, has_roster in results):
            return 0, False
        if not self.fixed and all(bound is not None for _, bound, _ in results):
            bound = sum(duals[i] * row.required for i, row in enumerate(self.rows)) + sum(
                bound for _, bound, _ in results if bound is not None)
            if self.best_bound is None or bound > self.best_bound:
                self.best_bound = bound
        return sum(added for added, _, _ in results), True

    def master(self) -> _Master | None:
        """The master LP over the columns so far; None if GLOP does not solve it."""
        lp = pywraplp.Solver.CreateSolver("GLOP")
        objective = lp.Objective()
        convexity = {}
        row_constraints = [lp.Constraint(row.required, row.required) for row in self.rows]
        for constraint, row in zip(row_constraints, self.rows, strict=True):
            under, over = lp.NumVar(0, lp.infinity(), ""), lp.NumVar(0, lp.infinity(), "")
            constraint.SetCoefficient(under, 1)
            constraint.SetCoefficient(over, -1)
            objective.SetCoefficient(under, row.under_weight)
            objective.SetCoefficient(over, row.over_weight)
        weights = {}
        for officer_id, pricing in self.pricing.items():
            convexity[officer_id] = lp.Constraint(1, 1)
            for index, (cost, shifts) in enumerate(pricing.columns):
                if officer_id in self.fixed and self.fixed[officer_id] != index:
                    continue
                weight = lp.NumVar(0, 1, "")
                weights[(officer_id, index)] = weight
                convexity[officer_id].SetCoefficient(weight, 1)
                objective.SetCoefficient(weight, cost)
                for shift_id in shifts:
                    for row in pricing.rows_of.get((officer_id, shift_id), ()):
                        row_constraints[row].SetCoefficient(weight, 1)
        objective.SetMinimization()
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        # Held within what a missing or surplus officer costs, the duals price a valid bound
        # even where the solver's tolerance lets them stray.
        duals = {i: min(max(c.dual_value(), -row.over_weight), row.under_weight)
                 for i, (c, row) in enumerate(zip(row_constraints, self.rows, strict=True))}
        return _Master(value=objective.Value(), duals=duals,
                       convexity={o: c.dual_value() for o, c in convexity.items()},
                       weights={key: w.solution_value() for key, w in weights.items()})

    def generate(self, deadline: float, rounds: int | None = None) -> _Master | None:
        """Rounds of master and pricing until no column helps, ``rounds`` are done or the
        time is up; None if some officer has no roster at all or the master went unsolved."""
        done = 0
        while True:
            master = self.master()
            if master is None:
                return None
            if time.monotonic() >= deadline or (rounds is not None and done >= rounds):
                return master
            added, feasible = self.price_all(master.duals, master.convexity, deadline)
            if not feasible:
                return None
            done += 1
            if not added:
                return self.master()

    def fix_chosen(self, master: _Master) -> None:
        """Fix every free officer whose leading column carries ``DIVE_FIX_WEIGHT`` of the
        relaxation, or else the one whose carries most."""
        leading = {o: lead for o, lead in _leading(master).items() if o not in self.fixed}
        chosen = [o for o, (weight, _) in leading.items() if weight >= DIVE_FIX_WEIGHT]
        if not chosen and leading:
            chosen = [max(leading, key=lambda o: leading[o][0])]
        for officer_id in chosen:
            self.fixed[officer_id] = leading[officer_id][1]

    def support(self, master: _Master) -> set[tuple[str, str]]:
        """Every (officer, shift) of a column the relaxation uses."""
        return {(o, shift) for (o, index), weight in master.weights.items() if weight > 1e-6
                for shift in self.pricing[o].columns[index][1]}

    def leading_columns(self, master: _Master) -> dict[str, frozenset[str]]:
        """Each officer's column that carries most of the relaxation."""
        return {o: self.pricing[o].columns[index][1]
                for o, (_, index) in _leading(master).items()}


def _leading(master: _Master) -> dict[str, tuple[float, int]]:
    """Each officer's heaviest column in the relaxation: its weight and index."""
    best: dict[str, tuple[float, int]] = {}
    for (officer_id, index), weight in master.weights.items():
        if weight > best.get(officer_id, (-1.0, 0))[0]:
            best[officer_id] = (weight, index)
    return best


def column_start(problem: RosterProblem, config: SolverConfig, seconds: float,
                 built: RosterModel | None = None) -> ColumnStart | None:
    """The relaxation over officer rosters, its bound, and a roster dived from it within
    about ``seconds``; None if some officer's own rules leave them no roster. ``built`` is
    the part's model, if the caller has it (it is copied, never changed)."""
    started = time.monotonic()
    built = built or build_model(problem)
    generation = _ColumnGeneration(problem, config)
    # Each officer's first column: demand valued at what a missing officer costs.
    opening = {i: float(row.under_weight) for i, row in enumerate(generation.rows)}
    _, feasible = generation.price_all(opening, {}, started + seconds * ROOT_SHARE)
    if not feasible or not all(p.columns for p in generation.pricing.values()):
        # Some officer has no roster, or none that CP-SAT found in time: nothing to start.
        return None
    master = generation.generate(started + seconds * ROOT_SHARE)
    if master is None:
        return None
    root = master
    dive_end = started + seconds * DIVE_END_SHARE
    while (len(generation.fixed) < DIVE_FIXED_SHARE * len(problem.officers)
           and time.monotonic() < dive_end):
        generation.fix_chosen(master)
        master = generation.generate(dive_end, rounds=DIVE_ROUNDS_BETWEEN_FIXES)
        if master is None:
            return None
    roster = _complete(built, generation, master, config,
                       started + seconds - time.monotonic())
    if generation.fixed and started + seconds - time.monotonic() >= UNDIVED_MIN_SECONDS:
        # CP-SAT proved the dived roster the best its fixes allow with time to spare: the
        # fixes may be what costs. On Instance 5 the dive's eleventh fix cost an officer
        # missing (1,242); from the relaxation alone CP-SAT finds 1,143 (optimal) in 3 s.
        generation.fixed = {}
        undived = _complete(built, generation, root, config,
                            started + seconds - time.monotonic())
        roster = _cheaper(problem, roster, undived)
    bound = None if generation.best_bound is None else (
        generation.best_bound - BOUND_MARGIN * (len(problem.officers) + 1))
    return ColumnStart(roster=roster, bound=bound)


def _cheaper(problem: RosterProblem, *rosters: frozenset[tuple[str, str]] | None
             ) -> frozenset[tuple[str, str]] | None:
    """Of ``rosters``, the one the independent checker finds keeps every hard rule and
    prices lowest."""
    priced = []
    for roster in rosters:
        if roster is not None and (report := check_assignments(problem, roster)).feasible:
            priced.append((report.objective, sorted(roster), roster))
    return min(priced)[2] if priced else None


def _complete(built: RosterModel, generation: _ColumnGeneration, master: _Master,
              config: SolverConfig, seconds: float) -> frozenset[tuple[str, str]] | None:
    """CP-SAT on the whole part with the dived officers fixed and the others held to the
    shifts of the columns the relaxation uses, from the columns it leans to.

    Held to those shifts, Instance 12's 60 officers got 4,261 in 10 s where the dive alone
    (too slow to fix enough of them there) left CP-SAT 6,699; the search after the start
    frees every officer again."""
    problem = built.problem
    leading = generation.leading_columns(master)
    groups = interchangeable_officers(problem)
    # The model orders interchangeable officers' rosters; handed round into that order, the
    # rosters of a group with a fixed member are all fixed, and the others' are left free,
    # so that the order can hold.
    values = heaviest_first(problem, groups, {
        key: key[1] in leading.get(key[0], frozenset()) for key in built.vars.x})
    alike = {officer.id for group in groups for officer in group}
    fixed = set(generation.fixed)
    for group in groups:
        if fixed & {officer.id for officer in group}:
            fixed |= {officer.id for officer in group}
    support = generation.support(master)
    model = clone_model(built.model)
    model.clear_hints()
    for key, var in built.vars.x.items():
        if key[0] in fixed:
            model.add(var == int(values[key]))
            continue
        if key[0] not in alike and key not in support:
            model.add(var == 0)
        model.add_hint(var, values[key])
    run = run_cpsat(model, dataclasses.replace(config, time_limit_seconds=max(seconds, 0.5)),
                    engine=ENGINE)
    if not run.has_solution:
        return None
    return frozenset(key for key, var in built.vars.x.items()
                     if run.solver.boolean_value(var))
