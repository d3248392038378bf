"""A lower bound from the linear relaxation of a CP-SAT model, proven from its duals.

CP-SAT's own bound comes from the LP it solves during the search, and on some models it never
gets there in the time: Rusumo's customs roster (14,558 variables) kept a bound of 142,000 for
300 s while its linear relaxation is 905,829, against a best roster of 909,260. PDLP, the
first-order LP solver that ships with OR-Tools, solves that relaxation in about 12 s.

Used by the roster engine for parts with demand per interval, on a thread beside the search
(``solver.roster.solve``): inside a part's share it cost the searches more than the bound
gained, beside them it proves the Rusumo roster within 1 % at 60 s. Also used by ``python -m
bench parts --relaxation`` to show how far a part's best plan can be from its optimum.

Whatever the LP solver's accuracy, the bound is rigorous: for any multipliers y of the rows,

    min c.x over the box  >=  sum_i y_i b_i + sum_j min over [l_j, u_j] of (c - A^T y)_j x_j,

where b_i is the row's lower side when y_i > 0 and its upper side when y_i < 0 (Lagrangian
duality; every variable of a CP-SAT model has a finite domain). Approximate duals only make
the bound weaker, never wrong.

Constraints under enforcement literals e1..ek are kept: a clause or an implication (what
``add_implication`` writes, an enforced ``bool_and``) becomes the clause with every e negated
added, and a linear row is relaxed by its largest possible violation times the number of e
that are false. Without them a literal defined as "any of these" (a weekend worked, written as
implications) floats free of its members: the relaxation of benchmark Instance 12 was 91
against an optimum of 4,040, and is 3,627 with them. Other constraints are dropped, which only
loosens the relaxation.
"""

from __future__ import annotations

import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

# CP-SAT's domains stop at +-2^62; beyond that a side is unbounded.
_UNBOUNDED = 2**62
# Rounding of some 10^5 products of duals and coefficients near 10^6.
_RELATIVE_TOLERANCE = 1e-7


@dataclass(frozen=True, slots=True)
class RelaxationBound:
    """``bound``: a proven lower bound of the model's objective, in its own units, and
    ``relaxation`` the LP solver's objective (both None if it stopped before an answer);
    ``solved``: whether it proved the relaxation optimal."""

    bound: float | None
    relaxation: float | None
    solved: bool
    seconds: float


@dataclass(slots=True)
class _Rows:
    lower: list[float]
    upper: list[float]
    row: list[int]
    column: list[int]
    coefficient: list[float]

    def add(self, lower: float, upper: float, terms: list[tuple[int, float]]) -> None:
        index = len(self.lower)
        self.lower.append(lower)
        self.upper.append(upper)
        merged: dict[int, float] = {}
        for column, coefficient in terms:
            merged[column] = merged.get(column, 0.0) + coefficient
        for column, coefficient in merged.items():
            self.row.append(index)
            self.column.append(column)
            self.coefficient.append(coefficient)


def linear_relaxation_bound(model: cp_model.CpModel, seconds: float, threads: int = 1,
                            tolerance: float = 1e-4, *, enforced: bool = True) -> RelaxationBound:
    """Solve the linear relaxation of ``model`` with PDLP for at most ``seconds`` and bound the
    model's objective from the duals (minimisation, as every Juxta model).

    ``tolerance``: PDLP's relative optimality tolerance. The bound holds whatever it is; a
    looser one answers sooner with a weaker bound (Rusumo's customs roster: 1e-4 in 7.3 s,
    0.15 % below the relaxation; 1e-3 in 2.8 s, 2 % below; the default 1e-8 in 12 s).

    ``enforced``: keep the rows of constraints under enforcement literals (module docstring).
    They can double PDLP's time; without them the bound is weaker but still valid."""
    return proto_relaxation_bound(model_proto(model), seconds, threads, tolerance,
                                  enforced=enforced)


def proto_relaxation_bound(proto: cp_model_pb2.CpModelProto, seconds: float, threads: int = 1,
                           tolerance: float = 1e-4, *, enforced: bool = True) -> RelaxationBound:
    """``linear_relaxation_bound`` of a model taken as a message (``model_proto``): a copy
    that a thread can bound while the search goes on changing the model itself."""
    started = time.monotonic()
    if proto.HasField("floating_point_objective") or not proto.HasField("objective"):
        return RelaxationBound(None, None, False, time.monotonic() - started)
    rows = _linear_rows(proto, enforced)
    low = np.array([v.domain[0] for v in proto.variables], dtype=float)
    high = np.array([v.domain[-1] for v in proto.variables], dtype=float)
    if np.any(np.abs(low) >= _UNBOUNDED) or np.any(np.abs(high) >= _UNBOUNDED):
        # The bound needs every variable in a finite box; no LP is worth solving without it.
        return RelaxationBound(None, None, False, time.monotonic() - started)
    cost = np.zeros(len(proto.variables))
    np.add.at(cost, np.array(proto.objective.vars, dtype=int), np.array(proto.objective.coeffs, dtype=float))

    solver = pywraplp.Solver.CreateSolver("PDLP")
    variables = [solver.NumVar(lo, hi, "") for lo, hi in zip(low, high, strict=True)]
    constraints = [solver.Constraint(-solver.infinity() if lo == -math.inf else lo,
                                     solver.infinity() if hi == math.inf else hi)
                   for lo, hi in zip(rows.lower, rows.upper, strict=True)]
    for row, column, coefficient in zip(rows.row, rows.column, rows.coefficient, strict=True):
        constraints[row].SetCoefficient(variables[column], coefficient)
    objective = solver.Objective()
    for column in np.flatnonzero(cost):
        objective.SetCoefficient(variables[column], float(cost[column]))
    objective.SetMinimization()
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    solver.SetNumThreads(max(1, threads))
    solver.SetSolverSpecificParametersAsString(
        "termination_criteria { simple_optimality_criteria { "
        f"eps_optimal_relative: {tolerance:g} eps_optimal_absolute: {tolerance:g} }} }}")
    status = solver.Solve()
    scale = proto.objective.scaling_factor or 1.0
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        # Stopped by the time limit, PDLP reports no iterate at all.
        return RelaxationBound(None, None, False, time.monotonic() - started)
    duals = np.array([constraint.dual_value() for constraint in constraints])
    lower, upper = np.array(rows.lower), np.array(rows.upper)
    # A multiplier may only price a side that exists.
    duals = np.where((duals > 0) & np.isinf(lower), 0.0, duals)
    duals = np.where((duals < 0) & np.isinf(upper), 0.0, duals)
    reduced = cost.copy()
    np.add.at(reduced, np.array(rows.column, dtype=int),
              -np.array(rows.coefficient) * duals[np.array(rows.row, dtype=int)])
    row_part = np.where(duals > 0, duals * np.where(np.isinf(lower), 0.0, lower),
                        duals * np.where(np.isinf(upper), 0.0, upper)).sum()
    column_part = np.minimum(reduced * low, reduced * high).sum()
    value = (row_part + column_part + proto.objective.offset) * scale
    bound = value - _RELATIVE_TOLERANCE * (abs(value) + 1.0)
    relaxation = (objective.Value() + proto.objective.offset) * scale
    return RelaxationBound(bound=float(bound), relaxation=relaxation,
                           solved=status == pywraplp.Solver.OPTIMAL,
                           seconds=time.monotonic() - started)


def model_proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protocol buffer message (the model's own proto is a C++ object)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pb"
        model.export_to_file(str(path))
        proto = cp_model_pb2.CpModelProto()
        proto.ParseFromString(path.read_bytes())
    return proto


def _linear_rows(proto: cp_model_pb2.CpModelProto, enforced: bool) -> _Rows:
    """Linear rows and clauses, those under enforcement literals if ``enforced``; literal ~x
    counts as 1 - x."""
    rows = _Rows([], [], [], [], [])
    for constraint in proto.constraints:
        kind = constraint.WhichOneof("constraint")
        if constraint.enforcement_literal:
            if enforced:
                _add_enforced(proto, constraint, rows)
            continue
        if kind == "linear":
            domain = constraint.linear.domain
            lower = -math.inf if domain[0] <= -_UNBOUNDED else float(domain[0])
            upper = math.inf if domain[-1] >= _UNBOUNDED else float(domain[-1])
            rows.add(lower, upper, list(zip(constraint.linear.vars, map(float, constraint.linear.coeffs),
                                            strict=True)))
        elif kind in ("bool_or", "at_most_one", "exactly_one"):
            _add_literal_sum(rows, list(getattr(constraint, kind).literals),
                             1.0 if kind != "at_most_one" else -math.inf,
                             1.0 if kind != "bool_or" else math.inf)
    return rows


def _add_literal_sum(rows: _Rows, literals: list[int], least: float, most: float) -> None:
    """The row least <= (number of ``literals`` true) <= most."""
    # The sum of the literals' values is the sum of their terms plus one per negated literal.
    negated = sum(1 for literal in literals if literal < 0)
    rows.add(least - negated, most - negated, [_term(literal) for literal in literals])


def _add_enforced(proto: cp_model_pb2.CpModelProto, constraint: cp_model_pb2.ConstraintProto,
                  rows: _Rows) -> None:
    """Rows that every solution meets whether or not ``constraint``'s enforcement holds."""
    kind = constraint.WhichOneof("constraint")
    unless = [_negation(literal) for literal in constraint.enforcement_literal]
    if kind in ("bool_or", "bool_and"):
        members = list(getattr(constraint, kind).literals)
        clauses = [[*unless, *members]] if kind == "bool_or" else [
            [*unless, literal] for literal in members]
        for clause in clauses:
            _add_literal_sum(rows, clause, 1.0, math.inf)
        return
    if kind != "linear":
        return
    terms = list(zip(constraint.linear.vars, map(float, constraint.linear.coeffs), strict=True))
    lowest = sum(c * proto.variables[v].domain[0 if c > 0 else -1] for v, c in terms)
    highest = sum(c * proto.variables[v].domain[-1 if c > 0 else 0] for v, c in terms)
    if max(abs(lowest), abs(highest)) >= _UNBOUNDED:
        return
    domain = constraint.linear.domain
    # sum over e of (1 - e) is k - sum of e: written with the negated literals' terms.
    slack = [_term(literal) for literal in unless]
    offset = sum(1.0 for literal in unless if literal < 0)
    if domain[0] > -_UNBOUNDED and domain[0] > lowest:
        # activity >= lower - (lower - lowest) x (number of e false)
        gap = float(domain[0]) - lowest
        rows.add(float(domain[0]) - gap * offset, math.inf,
                 terms + [(column, gap * sign) for column, sign in slack])
    if domain[-1] < _UNBOUNDED and domain[-1] < highest:
        gap = highest - float(domain[-1])
        rows.add(-math.inf, float(domain[-1]) + gap * offset,
                 terms + [(column, -gap * sign) for column, sign in slack])


def _negation(literal: int) -> int:
    return -literal - 1


def _term(literal: int) -> tuple[int, float]:
    """A literal as a column and sign: ~x (negative reference -x-1) is 1 - x."""
    return (literal, 1.0) if literal >= 0 else (-literal - 1, -1.0)
