"""The linear-relaxation bound: the LP's value, proven from its duals, never above an optimum."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from solver.relaxation import linear_relaxation_bound


def _optimum(model: cp_model.CpModel) -> float:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value


def test_the_bound_is_the_relaxation_not_the_integer_optimum():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(2 * x + 2 * y >= 3)
    model.minimize(x + y)
    result = linear_relaxation_bound(model, seconds=10)
    assert result.solved
    assert result.bound == pytest.approx(1.5, abs=1e-4)
    assert result.bound <= 1.5 < _optimum(model)


@pytest.mark.parametrize("kind", ["bool_or", "at_most_one", "exactly_one"])
def test_a_negated_literal_counts_as_one_minus_its_variable(kind):
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    if kind == "bool_or":
        model.add_bool_or([~a, ~b])  # a + b <= 1
        model.minimize(-(a + b))
    elif kind == "at_most_one":
        model.add_at_most_one([a, ~b])  # a <= b
        model.minimize(-2 * a + b)
    else:
        model.add_exactly_one([~a, b])  # a = b
        model.minimize(b - 2 * a)
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound == pytest.approx(-1.0, abs=1e-3)
    assert result.bound <= _optimum(model) + 1e-9


def test_the_objective_scaling_and_offset_are_applied():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.add(4 * x >= 7)
    model.minimize(3 * x + 5)
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound == pytest.approx(3 * 1.75 + 5, abs=1e-3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 6)), min_size=1, max_size=6),
       st.lists(st.integers(-3, 5), min_size=5, max_size=5))
def test_the_bound_never_exceeds_the_optimum(rows, costs):
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 2, f"x{i}") for i in range(5)]
    for first, second, right in rows:
        model.add(xs[first] + 2 * xs[second] >= right)
    model.minimize(sum(c * x for c, x in zip(costs, xs, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    result = linear_relaxation_bound(model, seconds=10)
    if status == cp_model.INFEASIBLE:
        return
    assert status == cp_model.OPTIMAL
    assert result.bound is not None
    assert result.bound <= solver.objective_value + 1e-6
