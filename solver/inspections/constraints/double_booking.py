"""No officer or bay double-booked: within the plan, and against bookings already made.

An officer attends one inspection at a time, so a pool of interchangeable officers attends at
most as many as it has members; a bay holds at most ``capacity`` trucks at once. Bookings
already confirmed are fixed intervals the plan must work around (the members of a pool share
their bookings, so a booked stretch takes the whole pool).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty
from ..problem import InspectionProblem
from ..variables import BatchVars

NAME = names.NO_DOUBLE_BOOKING


def add_no_double_booking(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    low, high = problem.horizon
    for pools, intervals_of in (
        (vars.prepared.officer_pools, vars.officer_intervals()),
        (vars.prepared.bay_pools, vars.bay_intervals()),
    ):
        for pool_id, intervals in intervals_of.items():
            pool = pools[pool_id]
            held = [
                (
                    model.new_fixed_size_interval_var(
                        start, end - start, f"booked[{pool_id}]@{start}"
                    ),
                    units,
                )
                for (start, end), units in pool.busy
                if end > low and start < high
            ]
            _at_most(model, [(interval, 1) for interval in intervals] + held, pool.capacity)
    return []


def _at_most(
    model: cp_model.CpModel, intervals: list[tuple[cp_model.IntervalVar, int]], capacity: int
) -> None:
    """At most ``capacity`` units in use at any moment."""
    if len(intervals) <= 1 and all(units <= capacity for _, units in intervals):
        return
    if capacity == 1:
        model.add_no_overlap([interval for interval, _ in intervals])
    else:
        model.add_cumulative(
            [interval for interval, _ in intervals], [units for _, units in intervals], capacity
        )
