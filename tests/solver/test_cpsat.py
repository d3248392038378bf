"""The shared CP-SAT helpers: models that are freed as soon as they are dropped."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from ortools.sat.python import cp_model

from solver.cpsat import clone_model, new_model


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _garbage_left(make: object) -> int:
    """Unreachable objects a full collection finds after ``make()``'s model is dropped."""
    model = make()  # type: ignore[operator]
    model.add(model.new_bool_var("x") + model.new_bool_var("y") >= 1)
    clone = clone_model(model)
    clone.add(clone.get_bool_var_from_proto_index(0) == 1)
    del model, clone
    return gc.collect()


def test_a_model_and_its_clone_leave_no_cycle_behind(collector_off: None) -> None:
    assert _garbage_left(new_model) == 0


def test_the_plain_cp_model_does_which_is_why_the_helpers_exist(collector_off: None) -> None:
    # OR-Tools' aliases wrap the model's own bound methods: if a release drops them, this
    # test says the helpers are no longer needed.
    assert _garbage_left(cp_model.CpModel) > 0


def test_a_model_without_aliases_still_solves() -> None:
    model = new_model()
    x = model.new_int_var(0, 10, "x")
    model.add(x >= 3)
    model.minimize(x)
    solver = cp_model.CpSolver()
    assert solver.solve(clone_model(model)) == cp_model.OPTIMAL
    assert solver.objective_value == 3
