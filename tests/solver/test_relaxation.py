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


def test_an_implication_ties_the_literal_it_implies():
    # "worked" is implied by each day worked (as add_implication writes it) and limited to 1:
    # dropping the implications would let the relaxation work both days for nothing.
    model = cp_model.CpModel()
    saturday, sunday = model.new_bool_var("saturday"), model.new_bool_var("sunday")
    worked = model.new_bool_var("worked")
    model.add_implication(saturday, worked)
    model.add_implication(sunday, worked)
    model.add(worked <= 0)
    model.minimize(10 * (1 - saturday) + 10 * (1 - sunday))
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound == pytest.approx(20, abs=1e-3)
    assert linear_relaxation_bound(model, seconds=10, enforced=False).bound == pytest.approx(
        0, abs=1e-3)


def test_an_enforced_clause_holds_unless_its_enforcement_is_false():
    model = cp_model.CpModel()
    a, b, c = (model.new_bool_var(name) for name in "abc")
    model.add_bool_or([b, c]).only_enforce_if(a)  # a <= b + c
    model.minimize(-4 * a + b + c)
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound == pytest.approx(-3, abs=1e-3)
    assert result.bound <= _optimum(model) + 1e-9


def test_an_enforced_row_is_relaxed_by_its_largest_violation_when_not_enforced():
    # x >= 6 only if e: relaxed to x >= 6 e (x ranges over 0..10), so the LP pays 6 e.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    e, f = model.new_bool_var("e"), model.new_bool_var("f")
    model.add(x >= 6).only_enforce_if(e)
    model.add(x <= 2).only_enforce_if(~f)  # x <= 2 + 8 f
    model.add(e == 1)
    model.minimize(x + 4 * f)
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound == pytest.approx(6 + 4 * 0.5, abs=1e-3)
    assert result.bound <= _optimum(model) + 1e-9


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 6), st.integers(0, 4),
                          st.booleans()), min_size=1, max_size=6),
       st.lists(st.integers(-3, 5), min_size=5, max_size=5))
def test_the_bound_with_enforced_rows_never_exceeds_the_optimum(rows, costs):
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 2, f"x{i}") for i in range(5)]
    flags = [model.new_bool_var(f"e{i}") for i in range(5)]
    for first, second, right, flag, negated in rows:
        model.add(xs[first] + 2 * xs[second] >= right).only_enforce_if(
            ~flags[flag] if negated else flags[flag])
        model.add_implication(flags[flag], flags[(flag + 1) % 5])
    model.minimize(sum(c * (x - 2 * e) for c, x, e in zip(costs, xs, flags, strict=True)))
    result = linear_relaxation_bound(model, seconds=10)
    assert result.bound is not None
    assert result.bound <= _optimum(model) + 1e-6
